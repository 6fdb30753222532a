"""Train, evaluate and describe the character-level NER model shipped in ``kg/models/cluener_ner``.

One command reproduces the model and its card from CLUENER 2020 ``train.json``:

    .venv/bin/python scripts/train_ner.py --data /work/shared/data/cluener2020/train.json --out kg/models/cluener_ner

Steps: map the CLUENER types to the model's labels, hold out a seeded fifth of
the sentences for evaluation (never trained on), carve a dev split for early
stopping out of the rest, write DocBins, run ``spacy train`` with
``scripts/ner/config.cfg``, copy only ``model-best`` to ``--out``, score it on
the held-out fifth (exact spans per label), measure one-core throughput, and
write ``MODEL_CARD.md``. Intermediate files go to ``--work`` (default
``build/ner``, ignored by git).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.util import filter_spans

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "ner" / "config.cfg"
SOURCE_NOTE = "SOURCE.txt"

# CLUENER type -> model label; book, game, movie and scene are dropped.
LABEL_MAP: dict[str, str] = {
    "company": "ENTERPRISE",
    "name": "PERSON",
    "government": "ORGANIZATION",
    "organization": "ORGANIZATION",
    "address": "PLACE",
    "position": "TITLE",
}
DROPPED_TYPES: tuple[str, ...] = ("book", "game", "movie", "scene")
# Row names of the score table, in the order of the issue, and the model label each one scores.
SCORE_ROWS: tuple[tuple[str, str], ...] = (
    ("company", "ENTERPRISE"),
    ("name", "PERSON"),
    ("government+organization", "ORGANIZATION"),
    ("address", "PLACE"),
    ("position", "TITLE"),
)
# Legal-name augmentation of the training part only (CLUENER rarely writes 有限公司): company names get the
# organisation form of a registered Chinese firm name (字号 + 行业 + 组织形式), sometimes with a place first.
LEGAL_FORMS: tuple[str, ...] = ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司")
INDUSTRY_WORDS: tuple[str, ...] = (
    "科技", "电子", "实业", "化工", "医药", "能源", "汽车", "环保", "食品", "纺织",
    "建设", "物流", "信息技术", "投资", "贸易", "光电", "重工", "制药", "智能装备", "农业",
)
FIRM_PLACES: tuple[str, ...] = (
    "北京", "上海", "天津", "重庆", "深圳", "广州", "杭州", "南京", "武汉", "成都",
    "山东", "江苏", "浙江", "广东", "河南", "湖南", "安徽", "福建", "四川", "陕西",
)
AUGMENT_SHARE = 0.75
HELDOUT_FRACTION = 5
DEV_FRACTION = 10
DEFAULT_SEED = 2020

Span = tuple[int, int, str]


@dataclass(slots=True)
class Record:
    """One CLUENER sentence with its mapped spans (end exclusive)."""

    line: int
    text: str
    spans: list[Span]


@dataclass(slots=True)
class Split:
    """Line numbers of each part; held-out lines are never seen by training."""

    train: list[int]
    dev: list[int]
    heldout: list[int]

    def fingerprint(self) -> str:
        """A short hash of the held-out line numbers, to check that two runs held out the same fifth."""
        return hashlib.sha1(",".join(map(str, sorted(self.heldout))).encode()).hexdigest()[:12]


@dataclass(slots=True)
class Counts:
    """True positives, predictions and gold spans of one label."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    # Gold spans missed, split by what the model did there instead.
    boundary: int = 0
    wrong_type: int = 0
    missed: int = 0

    def scores(self) -> tuple[float, float, float]:
        """Precision, recall and F1 (0 where undefined)."""
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass(slots=True)
class Report:
    """Everything the model card states."""

    seed: int
    split: Split
    records: int
    type_counts: dict[str, int]
    dropped_overlaps: int
    misaligned: int
    augmented: int
    train_seconds: float = 0.0
    train_cpu_seconds: float = 0.0
    best_step: str = ""
    scores: dict[str, Counts] = field(default_factory=dict)
    chars_per_second: float = 0.0
    sample_chars_per_second: float = 0.0
    sample_chars: int = 0
    size_bytes: int = 0
    legal_names: int = 0


def read_records(path: Path) -> tuple[list[Record], dict[str, int]]:
    """Read CLUENER JSON lines, keep the mapped types and count every type's spans."""
    records: list[Record] = []
    type_counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle):
            if not line.strip():
                continue
            row = json.loads(line)
            spans: list[Span] = []
            for cluener_type, surfaces in row.get("label", {}).items():
                for surface, offsets in surfaces.items():
                    type_counts[cluener_type] = type_counts.get(cluener_type, 0) + len(offsets)
                    if cluener_type not in LABEL_MAP:
                        continue
                    for start, end in offsets:
                        if row["text"][start : end + 1] != surface:
                            raise ValueError(f"line {line_no}: {surface!r} is not at [{start}, {end}]")
                        spans.append((start, end + 1, LABEL_MAP[cluener_type]))
            records.append(Record(line_no, row["text"], sorted(set(spans))))
    return records, type_counts


def split_records(records: list[Record], seed: int) -> Split:
    """Shuffle line numbers with ``seed``; the first fifth is held out, a tenth of the rest is dev."""
    lines = [record.line for record in records]
    random.Random(seed).shuffle(lines)
    n_heldout = len(lines) // HELDOUT_FRACTION
    heldout, rest = lines[:n_heldout], lines[n_heldout:]
    n_dev = len(rest) // DEV_FRACTION
    return Split(train=sorted(rest[n_dev:]), dev=sorted(rest[:n_dev]), heldout=sorted(heldout))


def augment_legal_names(records: list[Record], seed: int) -> list[Record]:
    """Copies of about three quarters of the training sentences with a company, one company written as a full legal name.

    The chosen ENTERPRISE span (unless it already ends in 公司, 集团 or 银行)
    gets an optional industry word and an organisation form appended, and
    sometimes a place name in front; the span grows to cover them and later
    spans shift. Only ever applied to the training part.
    """
    rng = random.Random(seed)
    extra: list[Record] = []
    for record in records:
        firms = [span for span in record.spans if span[2] == "ENTERPRISE" and not record.text[span[0] : span[1]].endswith(("公司", "集团", "银行"))]
        if not firms or rng.random() >= AUGMENT_SHARE:
            continue
        start, end, _label = rng.choice(firms)
        prefix = rng.choice(FIRM_PLACES) if rng.random() < 0.3 else ""
        suffix = (rng.choice(INDUSTRY_WORDS) if rng.random() < 0.5 else "") + rng.choice(LEGAL_FORMS)
        text = record.text[:start] + prefix + record.text[start:end] + suffix + record.text[end:]
        spans: list[Span] = []
        for s, e, label in record.spans:
            if (s, e) == (start, end):
                spans.append((s, e + len(prefix) + len(suffix), label))
            elif s >= end:
                spans.append((s + len(prefix) + len(suffix), e + len(prefix) + len(suffix), label))
            elif e <= start:
                spans.append((s, e, label))
            # a span overlapping the rewritten one is dropped
        extra.append(Record(record.line, text, sorted(spans)))
    return extra


def to_docbin(nlp: Language, records: list[Record]) -> tuple[DocBin, int, int]:
    """Char-tokenised docs with entities; returns the DocBin, overlapping spans dropped, misaligned spans."""
    docbin = DocBin(store_user_data=False)
    dropped = misaligned = 0
    for record in records:
        doc = nlp.make_doc(record.text)
        spans = []
        for start, end, label in record.spans:
            span = doc.char_span(start, end, label=label)
            if span is None:
                misaligned += 1
            else:
                spans.append(span)
        kept = filter_spans(spans)
        dropped += len(spans) - len(kept)
        doc.ents = kept
        docbin.add(doc)
    return docbin, dropped, misaligned


def run_training(config: Path, work: Path, train: Path, dev: Path, extra: list[str]) -> tuple[float, float]:
    """Run ``spacy train``; returns its wall-clock and CPU seconds."""
    output = work / "training"
    if output.exists():
        shutil.rmtree(output)
    command = [
        sys.executable, "-m", "spacy", "train", str(config),
        "--output", str(output), "--paths.train", str(train), "--paths.dev", str(dev), *extra,
    ]
    log_path = work / "train.log"
    started = time.perf_counter()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            log.flush()
            sys.stdout.write(line)
        if process.wait() != 0:
            raise SystemExit(f"spacy train failed, see {log_path}")
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return seconds, cpu


def best_checkpoint(log: Path) -> str:
    """Describe the best dev row of the ``spacy train`` log (epoch, step, entity F1) and the last step run."""
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[0].isdigit() and parts[1].isdigit():
            rows.append((float(parts[3]), int(parts[0]), int(parts[1])))
    f, epoch, step = max(rows, key=lambda row: (row[0], -row[2]))
    return f"step {step} (epoch {epoch}), dev entity F1 {f:.2f}; training stopped at step {rows[-1][2]}"


def install_model(work: Path, out: Path, report: Report) -> None:
    """Copy only the ``model-best`` pipeline to ``out`` and describe it in its meta."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(work / "training" / "model-best", out)
    config = spacy.util.load_config(out / "config.cfg", interpolate=False)
    config["paths"].update(train=None, dev=None)  # training-time paths into --work mean nothing once shipped
    config.to_disk(out / "config.cfg")
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        name="cluener_ner",
        version="0.1.0",
        description="Character-level Chinese NER (ENTERPRISE, PERSON, ORGANIZATION, PLACE, TITLE) trained on CLUENER 2020; see MODEL_CARD.md.",
        license="Research use only (trained on CLUENER 2020, which is published for research use)",
        author="chainkg",
    )
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    report.size_bytes = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())


def evaluate(nlp: Language, records: list[Record]) -> dict[str, Counts]:
    """Exact-span counts per model label and overall (``ALL``) against the unfiltered gold spans."""
    counts = {label: Counts() for _row, label in SCORE_ROWS}
    counts["ALL"] = Counts()
    for record, doc in zip(records, nlp.pipe((r.text for r in records), batch_size=256)):
        gold = set(record.spans)
        predicted = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
        for label, bucket in counts.items():
            g = {s for s in gold if label in ("ALL", s[2])}
            p = {s for s in predicted if label in ("ALL", s[2])}
            bucket.gold += len(g)
            bucket.predicted += len(p)
            bucket.tp += len(g & p)
            for start, end, gold_label in g - p:
                if any(ps < end and start < pe and pl == gold_label for ps, pe, pl in predicted):
                    bucket.boundary += 1
                elif any(ps < end and start < pe for ps, pe, _pl in predicted):
                    bucket.wrong_type += 1
                else:
                    bucket.missed += 1
    return counts


def chars_per_second(run, n_chars: int, repeats: int = 3) -> float:
    """Characters per CPU second: best of ``repeats`` runs of ``run()`` after one warm-up run.

    CPU time of this process, not wall clock, so that other load on a shared
    machine does not count; with the process pinned to one core it is a
    one-core figure.
    """
    run()
    best = min(_timed(run) for _ in range(repeats))
    return n_chars / best


def _timed(run) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def pin_to_one_core() -> None:
    """Restrict this process to a single CPU so throughput is a one-core figure."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def write_card(out: Path, data: Path, report: Report, command: str, config: Path, work: Path) -> None:
    """Write ``MODEL_CARD.md`` next to the model."""
    split = report.split
    training = spacy.util.load_config(config)["training"]
    batch = training["batcher"]["size"]
    heldout_list = work / "heldout_lines.txt"
    heldout_list = heldout_list.relative_to(ROOT) if heldout_list.is_relative_to(ROOT) else heldout_list
    rows: list[str] = []
    errors: list[str] = []
    for name, label in (*SCORE_ROWS, ("overall (micro, all five)", "ALL")):
        c = report.scores[label]
        p, r, f = c.scores()
        rows.append(f"| {name} | {label if label != 'ALL' else '—'} | {c.gold} | {c.predicted} | {p:.3f} | {r:.3f} | {f:.3f} |")
        errors.append(f"| {name} | {c.gold - c.tp} | {c.boundary} | {c.wrong_type} | {c.missed} |")
    type_counts = ", ".join(f"{k} {v}" for k, v in sorted(report.type_counts.items(), key=lambda kv: -kv[1]))
    source_note = data.parent / SOURCE_NOTE
    card = f"""# cluener_ner — character-level Chinese NER

A small spaCy {spacy.__version__} pipeline (`zh`, char segmenter: one token per character) with a single
`ner` component whose own tok2vec embeds each character (ORTH) and its SHAPE class with hash embeddings
(8000 + 200 rows, width 128) and encodes context with a 4-layer maxout CNN (window 2, eight characters either
side), feeding the transition-based NER model (hidden width 64). Loaded by `kg.nlp.ner.load_ner()` from the
installed package; nothing is downloaded.

## Data and licence

- Trained on CLUENER 2020 `train.json` (Xu et al. 2020, *CLUENER2020: Fine-grained Named Entity Recognition
  Dataset and Benchmark for Chinese*, arXiv:2001.04351), sentences taken from THUCNews. The copy used is
  described in `{source_note}`: taken from github.com/taishan1994/UIE_CLUENER at commit 52dd6b6e
  (`data/cluener/train.json`, blob sha1 f8f0500379dc69d487572253e8bc6b3ff086ae9f, identical to the files vendored
  in other CLUENER baselines). Neither that repository nor the official CLUEbenchmark/CLUENER2020 repository
  carries a licence file; the data set is published by CLUE for research use.
- **Licence: research use only.** This model is derived from that data and inherits the restriction. Cite
  Xu et al. 2020 when reporting results.
- Span counts in the file: {type_counts}.

## Label mapping

| CLUENER type | model label | project label (`kg_ner` component) |
|---|---|---|
| company | ENTERPRISE | Enterprise |
| name | PERSON | Person |
| government, organization | ORGANIZATION | Organization |
| address | PLACE | Place |
| position | TITLE | — (not an entity; available from `kg.nlp.ner.predict_spans`) |
| book, game, movie, scene | dropped (their characters are trained as outside any entity) | — |

## Training

- Command (from the repository root, reproduces the model, the split and this card):
  `{command}`
- Config: `scripts/ner/config.cfg` (spaCy `spacy train` on CPU: Adam, learning rate
  {training["optimizer"]["learn_rate"]}, dropout {training["dropout"]}, batches of {batch["start"]}→{batch["stop"]} characters,
  dev evaluation every {training["eval_frequency"]} steps, at most {training["max_steps"]} steps, early stop after
  {training["patience"]} steps without a better dev entity F1; the best dev checkpoint is kept).
- Split: the {report.records} sentences' line numbers are shuffled with `random.Random({report.seed})`;
  the first fifth, **{len(split.heldout)} sentences**, is held out for evaluation and never trained on
  (fingerprint `{split.fingerprint()}`: sha1 of the sorted held-out line numbers joined by commas, first 12 hex
  digits; the list is written to `{heldout_list}`). Of the remaining {len(split.train) + len(split.dev)},
  a tenth (**{len(split.dev)}**) is the dev split for early stopping and checkpoint choice and
  **{len(split.train)}** are trained on.
- Legal-name augmentation (training part only; dev and held-out sentences are left as they are): CLUENER
  rarely writes full firm names, so {report.augmented} extra training sentences copy a training sentence with one
  company rewritten as a registered name: an optional industry word (科技, 电子, 化工 …) and an organisation form
  (有限公司, 股份有限公司, 有限责任公司, 集团有限公司, 集团股份有限公司) appended, 30% with a province or big-city
  name in front, the ENTERPRISE span grown to match (seeded with the split seed; lists in `scripts/train_ner.py`).
- Overlapping gold spans dropped when building training docs: {report.dropped_overlaps}; spans not on
  character boundaries: {report.misaligned}.
- Training time: **{report.train_cpu_seconds / 60:.1f} min of CPU time**, {report.train_seconds / 60:.1f} min wall clock,
  for `spacy train` on a {os.cpu_count()}-core machine ({platform.machine()}, Python {platform.python_version()}, no GPU).
  Training runs on one core; the wall clock also counts whatever else the machine was running.
- Checkpoint kept (`model-best`): {report.best_step}.
- Model size on disk (everything in this folder except this card): **{report.size_bytes / 1e6:.1f} MB**.

## Held-out scores

Exact span match (start, end and label) on the {len(split.heldout)} held-out sentences, against all mapped gold
spans (overlaps not removed).

| CLUENER type | model label | gold | predicted | precision | recall | F1 |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Gold spans not found exactly, by what the model predicted over them: a span of the same label with other
boundaries, only spans of another label, or nothing.

| CLUENER type | not found | same label, other boundaries | other label | nothing |
|---|---|---|---|---|
{chr(10).join(errors)}

## Speed

Characters per second of CPU time with the process pinned to one core (CPU time rather than wall clock, so
that other jobs on the machine do not count), best of three runs after a warm-up:

- {report.chars_per_second:,.0f} characters per second: `nlp.pipe` over the held-out sentences, batch size 256.
- {report.sample_chars_per_second:,.0f} characters per second through `kg.nlp.ner.predict_spans`
  (sentence splitting included) on the {report.sample_chars:,} characters of the five pages in `samples/seeds/`.

## Known limits

- Trained on short news sentences (at most 50 characters) from THUCNews (finance, sports, entertainment, games
  …), not on industrial-policy articles; `predict_spans` cuts long text into sentences before tagging.
- Full legal names are rare in CLUENER: `有限公司` occurs in {report.legal_names} of its {report.records} sentences
  (companies are mostly short names such as 浙商银行). The augmentation above teaches the legal-name pattern,
  but the held-out scores cannot show how well, since the held-out sentences have almost no such names; expect
  long names to be cut short or split now and then.
- CLUENER annotates positions (`TITLE`) separately from names and counts sports clubs as organisations; both
  conventions carry over.
- Scores are on held-out CLUENER sentences, not on this project's pages.
"""
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run every step."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="CLUENER 2020 train.json (JSON lines)")
    parser.add_argument("--out", type=Path, required=True, help="model folder to (re)create, e.g. kg/models/cluener_ner")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "ner", help="folder for DocBins, logs and checkpoints")
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the held-out/dev split")
    parser.add_argument("--skip-train", action="store_true", help="reuse the last run in --work (re-evaluate, rewrite the card)")
    # Anything else is passed to `spacy train` as config overrides, e.g. --training.max_steps=200.
    args, overrides = parser.parse_known_args(argv)

    records, type_counts = read_records(args.data)
    split = split_records(records, args.seed)
    by_line = {record.line: record for record in records}
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    dropped = misaligned = 0
    augmented = augment_legal_names([by_line[line] for line in split.train], args.seed)
    for part in ("train", "dev", "heldout"):
        part_records = [by_line[line] for line in getattr(split, part)]
        docbin, d, m = to_docbin(nlp, part_records + (augmented if part == "train" else []))
        docbin.to_disk(work / f"{part}.spacy")
        dropped += d
        misaligned += m
    (work / "heldout_lines.txt").write_text("\n".join(map(str, split.heldout)) + "\n", encoding="utf-8")
    report = Report(args.seed, split, len(records), type_counts, dropped, misaligned, augmented=len(augmented))
    report.legal_names = sum("有限公司" in record.text for record in records)

    timing = work / "train_seconds.txt"
    if not args.skip_train:
        wall, cpu = run_training(args.config, work, work / "train.spacy", work / "dev.spacy", overrides)
        timing.write_text(f"{wall:.1f} {cpu:.1f}\n")
    report.train_seconds, report.train_cpu_seconds = map(float, timing.read_text().split())
    report.best_step = best_checkpoint(work / "train.log")
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    install_model(work, out, report)

    model = spacy.load(out)
    heldout = [by_line[line] for line in split.heldout]
    report.scores = evaluate(model, heldout)

    pin_to_one_core()
    texts = [record.text for record in heldout]
    report.chars_per_second = chars_per_second(lambda: list(model.pipe(texts, batch_size=256)), sum(map(len, texts)))
    sys.path.insert(0, str(ROOT))
    from kg.nlp.ner import predict_spans

    pages = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "samples" / "seeds").glob("*.txt"))]
    report.sample_chars = sum(map(len, pages))
    report.sample_chars_per_second = chars_per_second(
        lambda: [predict_spans(page, nlp=model) for page in pages], report.sample_chars
    )

    command = f".venv/bin/python scripts/train_ner.py --data {args.data} --out {args.out}"
    if args.seed != DEFAULT_SEED:
        command += f" --seed {args.seed}"
    if overrides:
        command += " " + " ".join(overrides)
    write_card(out, args.data, report, command, args.config, work)
    for name, label in (*SCORE_ROWS, ("overall", "ALL")):
        p, r, f = report.scores[label].scores()
        print(f"{name:>26}  P {p:.3f}  R {r:.3f}  F {f:.3f}")
    print(f"train {report.train_seconds / 60:.1f} min, size {report.size_bytes / 1e6:.1f} MB, "
          f"{report.chars_per_second:,.0f} chars/s (held-out), {report.sample_chars_per_second:,.0f} chars/s (samples)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
