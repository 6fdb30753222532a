"""Train, score and write the CRF entity tagger: the work behind ``kg train``.

Scoring is span-level on projected gold mentions: a predicted span counts when
its offsets and type (or one of the gold's ``alt_types``) match; a prediction
on an optional gold mention is neither a hit nor a false hit, and a missed
optional mention is no miss.
"""

from __future__ import annotations

import json
import os
import re
import random
import shlex
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycrfsuite

from kg.errors import InputError
from kg.nlp.tagger import (
    LABELS,
    META_FILE,
    MODEL_FILE,
    EntityTagger,
    FeatureExtractor,
    text_chunks,
    tags_from_spans,
)
from kg.train.config import TrainConfig
from kg.train.data import Example, gold_files, load_cluener, load_gold, load_peoples_daily, sample, split_heldout
from kg.train.hints import hints_for_texts, non_overlapping, rule_hints

Span = tuple[int, int, str]
# Our type -> the CLUENER types scored under it (the held-out fifth is scored per our type).
CLUENER_REPORT = {"Enterprise": "company", "Person": "name", "Organization": "government+organization", "Place": "address"}


# --- scoring ------------------------------------------------------------------------


@dataclass(slots=True)
class Scores:
    """True positives, false positives and misses per type."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, gold: Example, predicted: Sequence[Span], key: Callable[[Any], str] | None = None) -> None:
        """Count one text's predictions against its gold spans (``key`` maps a gold span to the type scored)."""
        by_offsets = {(s.start, s.end): s for s in gold.spans}
        matched: set[tuple[int, int]] = set()
        for start, end, label in predicted:
            span = by_offsets.get((start, end))
            if span is not None and (label == span.label or label in span.alt_labels):
                if span.optional:
                    matched.add((start, end))
                    continue
                self.tp[key(span) if key else span.label] += 1
                matched.add((start, end))
            elif span is not None and span.optional:
                continue
            else:
                self.fp[label] += 1
        for span in gold.spans:
            if not span.optional and (span.start, span.end) not in matched:
                self.fn[key(span) if key else span.label] += 1

    def prf(self, label: str | None = None) -> tuple[float, float, float, int]:
        """Precision, recall, F1 and gold count for one type (all types when None)."""
        if label is None:
            tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        else:
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def table(self, labels: Sequence[str] = LABELS) -> str:
        """A Markdown table: one row per type and the micro total."""
        lines = ["| type | P | R | F1 | gold |", "|---|---|---|---|---|"]
        for label in [*labels, None]:
            p, r, f, n = self.prf(label)
            lines.append(f"| {label or 'all'} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |")
        return "\n".join(lines)

    def as_dict(self, labels: Sequence[str] = LABELS) -> dict[str, dict[str, float]]:
        """JSON-ready scores per type and overall."""
        out = {}
        for label in [*labels, None]:
            p, r, f, n = self.prf(label)
            out[label or "all"] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": n}
        return out


# --- hints ----------------------------------------------------------------------------


def attach_gold_hints(examples: Sequence[Example]) -> None:
    """Fill ``example.hints`` of whole documents with the installed rules' output (one ``kg build``)."""
    if not examples:
        return
    with tempfile.TemporaryDirectory(prefix="kg-train-texts-") as tmp:
        folder = Path(tmp)
        names = {}
        for number, example in enumerate(examples):
            name = f"{number:04d}_{Path(example.doc).stem}.txt"
            (folder / name).write_text(example.text, encoding="utf-8")
            names[name] = example
        found = rule_hints(folder)
    for name, example in names.items():
        example.hints = found.get(name, [])


def attach_sentence_hints(examples: Sequence[Example]) -> None:
    """Fill ``example.hints`` of corpus sentences (CLUENER, People's Daily) with the rules' output."""
    for example, hints in zip(examples, hints_for_texts([e.text for e in examples])):
        example.hints = hints


# --- training ---------------------------------------------------------------------------


def _labelled(example: Example, optional: str) -> list[Span]:
    return [(s.start, s.end, s.label) for s in example.spans if optional == "positive" or not s.optional]


def train_crf(examples: Sequence[Example], extractor: FeatureExtractor, config: TrainConfig, model_path: Path) -> dict[str, Any]:
    """Train a CRF on ``examples`` (documents are featurised whole, then cut into sentences) and write it."""
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params({
        "c1": config.c1, "c2": config.c2, "max_iterations": config.max_iterations,
        "feature.possible_transitions": True,
    })
    chars = 0
    started = time.process_time()
    for example in examples:
        features = extractor(example.text, example.hints)
        tags = tags_from_spans(len(example.text), _labelled(example, config.optional))
        for start, end in text_chunks(example.text, config.max_chunk):
            trainer.append(features[start:end], tags[start:end])
            chars += end - start
    featurised = time.process_time() - started
    trainer.train(str(model_path))
    return {"chars": chars, "featurise_cpu_s": round(featurised, 2), "train_cpu_s": round(time.process_time() - started - featurised, 2),
            "iterations": trainer.logparser.last_iteration["num"] if trainer.logparser.last_iteration else None}


def fit(examples: Sequence[Example], config: TrainConfig, clusters: dict[str, tuple[str, ...]]) -> EntityTagger:
    """A trained :class:`EntityTagger` (in memory)."""
    extractor = FeatureExtractor(dict(config.features), clusters if config.features.get("clusters") else {})
    with tempfile.TemporaryDirectory(prefix="kg-crf-") as tmp:
        path = Path(tmp) / MODEL_FILE
        stats = train_crf(examples, extractor, config, path)
        meta = {"name": "entity_crf", "labels": list(LABELS), "scheme": "BIO", "features": dict(config.features),
                "crf": {"c1": config.c1, "c2": config.c2, "max_iterations": config.max_iterations}, "training": stats}
        return EntityTagger(path.read_bytes(), meta, extractor.clusters)


def predict_examples(tagger: EntityTagger, examples: Sequence[Example]) -> list[list[Span]]:
    """The tagger's spans for each example, with that example's hints."""
    return [tagger.predict(e.text, e.hints) for e in examples]


def score(examples: Sequence[Example], predictions: Sequence[Sequence[Span]]) -> Scores:
    """Span scores of ``predictions`` on ``examples``."""
    scores = Scores()
    for example, predicted in zip(examples, predictions):
        scores.add(example, predicted)
    return scores


_PROVINCE_DOC = re.compile(r"^(?:gwr2026_(?P<a>[a-z]+)_excerpt|raw2026_(?P<b>[a-z]+)_[a-z])$")


def document_group(doc: str) -> str:
    """Documents from one source share a group, so that no fold sees a sibling of its held-out text.

    A province's work-report excerpt (gwr2026_X_excerpt) and the pieces cut from its full report
    (raw2026_X_a, _b …) may share paragraphs: they are one group.

    Examples
    --------
    >>> document_group("raw2026_ningxia_b.txt"), document_group("gwr2026_hubei_excerpt.txt"), document_group("001_x.txt")
    ('ningxia', 'hubei', '001_x')
    """
    stem = Path(doc).stem
    match = _PROVINCE_DOC.match(stem)
    return (match.group("a") or match.group("b")) if match else stem


def document_folds(examples: Sequence[Example], folds: int, seed: int) -> list[list[int]]:
    """Indices of ``examples`` in ``folds`` groups: source groups shuffled (seeded), dealt largest first to the lightest fold."""
    groups: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault(document_group(example.doc), []).append(index)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    keys.sort(key=lambda k: -sum(len(examples[i].text) for i in groups[k]))
    out: list[list[int]] = [[] for _ in range(folds)]
    weight = [0] * folds
    for key in keys:
        lightest = weight.index(min(weight))
        out[lightest].extend(groups[key])
        weight[lightest] += sum(len(examples[i].text) for i in groups[key])
    return [sorted(fold) for fold in out if fold]


def cross_validate(documents: Sequence[Example], config: TrainConfig, clusters: dict[str, tuple[str, ...]],
                   extra: Sequence[Example] = (), folds: int = 5, seed: int = 13,
                   max_train_docs: int | None = None) -> tuple[Scores, Scores]:
    """Model and rules-only span scores pooled over document folds.

    ``extra`` (corpus sentences) joins every training part; ``max_train_docs``
    keeps a seeded subset of each training part (for a learning curve).
    """
    model_scores, rule_scores = Scores(), Scores()
    for number, fold in enumerate(document_folds(documents, folds, seed)):
        held = [documents[i] for i in fold]
        rest = [d for i, d in enumerate(documents) if i not in set(fold)]
        if max_train_docs is not None and len(rest) > max_train_docs:
            rest = random.Random(seed + number).sample(rest, max_train_docs)
        tagger = fit([*rest, *extra], config, clusters)
        for example, predicted in zip(held, predict_examples(tagger, held)):
            model_scores.add(example, predicted)
            rule_scores.add(example, non_overlapping(example.hints))
    return model_scores, rule_scores


# --- the command -------------------------------------------------------------------------


def resolve_inputs(config: TrainConfig, gold_dirs: Sequence[Path], text_dirs: Sequence[Path]) -> list[Example]:
    """The gold documents of the config and the command line (config exclusions applied)."""
    dirs = [*config.gold_dirs, *gold_dirs]
    existing = [d for d in dirs if Path(d).is_dir()]
    if not existing:
        raise InputError(f"no gold folder found (looked in {', '.join(map(str, dirs)) or 'nothing'})")
    paths = gold_files(existing, exclude=config.exclude)
    documents = load_gold(paths, [*config.text_dirs, *text_dirs])
    if not documents:
        raise InputError(f"no gold file with a text in {', '.join(map(str, existing))}")
    return documents


def corpus_examples(config: TrainConfig) -> tuple[list[Example], list[Example], str]:
    """The sampled CLUENER / People's Daily training sentences, CLUENER's held-out fifth, and its fingerprint."""
    extra: list[Example] = []
    held: list[Example] = []
    fingerprint = ""
    if config.cluener_path and Path(config.cluener_path).is_file() and config.cluener_sample > 0:
        rows = load_cluener(Path(config.cluener_path), config.cluener_address)
        train_part, held, fingerprint = split_heldout(rows, config.cluener_heldout, config.cluener_seed)
        extra += sample(train_part, config.cluener_sample, config.seed)
    if config.peoples_daily_path and Path(config.peoples_daily_path).is_file() and config.peoples_daily_sample > 0:
        extra += sample(load_peoples_daily(Path(config.peoples_daily_path)), config.peoples_daily_sample, config.seed)
    return extra, held, fingerprint


def build_clusters(config: TrainConfig) -> dict[str, tuple[str, ...]]:
    """The char -> cluster table from the configured unlabelled text (empty when vectors are off)."""
    if not (config.vectors and config.features.get("clusters")):
        return {}
    from kg.train.data import iter_texts
    from kg.train.vectors import cluster_table

    texts = list(iter_texts([p for p in config.vector_texts if Path(p).exists()]))
    if not texts:
        return {}
    return cluster_table(texts, config.vector_clusters, dim=config.vector_dim, min_count=config.vector_min_count, seed=config.seed)


def heldout_split(documents: Sequence[Example], fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
    """(held-out, training) documents: whole source groups, seeded, about ``fraction`` of the characters held out."""
    if len(documents) < 2 or fraction <= 0:
        return [], list(documents)
    groups: dict[str, list[Example]] = {}
    for document in documents:
        groups.setdefault(document_group(document.doc), []).append(document)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    total = sum(len(d.text) for d in documents)
    held: list[Example] = []
    for key in keys:
        if sum(len(d.text) for d in held) >= fraction * total or len(held) + len(groups[key]) >= len(documents):
            continue
        held.extend(groups[key])
    if not held:
        held = groups[keys[0]][:1]
    kept = {id(d) for d in held}
    return held, [d for d in documents if id(d) not in kept]


@dataclass(slots=True)
class TrainResult:
    """What ``kg train`` prints and records."""

    heldout: Scores
    rules: Scores
    heldout_docs: list[str]
    train_docs: list[str]
    cluener: Scores | None
    cluener_fingerprint: str
    out: Path


def train_command(config: TrainConfig, out: Path, gold_dirs: Sequence[Path] = (), text_dirs: Sequence[Path] = (),
                  command: str | None = None, log: Callable[[str], None] = lambda _m: None) -> TrainResult:
    """Train on the configured gold and corpora, score a held-out part of the gold, write the model folder."""
    documents = resolve_inputs(config, gold_dirs, text_dirs)
    log(f"{len(documents)} gold documents, {sum(len(d.text) for d in documents)} characters")
    if config.features.get("hints"):
        attach_gold_hints(documents)
    extra, cluener_held, fingerprint = corpus_examples(config)
    if extra and config.features.get("hints"):
        log(f"rule hints for {len(extra)} corpus sentences")
        attach_sentence_hints(extra)
    clusters = build_clusters(config)
    log(f"char clusters: {len(clusters)} characters")
    held_docs, train_docs = heldout_split(documents, config.heldout_fraction, config.seed)
    tagger = fit([*train_docs, *extra], config, clusters)
    heldout_scores, rule_scores = Scores(), Scores()
    for example, predicted in zip(held_docs, predict_examples(tagger, held_docs)):
        heldout_scores.add(example, predicted)
        rule_scores.add(example, non_overlapping(example.hints))
    cluener_scores = None
    if cluener_held:
        if config.features.get("hints"):
            attach_sentence_hints(cluener_held)
        cluener_scores = Scores()
        for example, predicted in zip(cluener_held, predict_examples(tagger, cluener_held)):
            cluener_scores.add(example, predicted)
    if config.refit_all and held_docs:
        log("refitting on every gold document")
        tagger = fit([*documents, *extra], config, clusters)
    result = TrainResult(heldout_scores, rule_scores, [d.doc for d in held_docs], [d.doc for d in train_docs],
                         cluener_scores, fingerprint, Path(out))
    write_model(tagger, result, config, documents, extra, command or _this_command())
    return result


def _this_command() -> str:
    return "kg " + " ".join(shlex.quote(a) for a in sys.argv[1:])


FEATURE_TEXT = {
    "window": "the characters at -1 and +1", "window2": "the characters at -2 and +2",
    "bigrams": "the bigrams ending and starting at the character", "bigrams2": "the bigrams at distance 2",
    "classes": "character classes of the character and its neighbours", "clusters": "char-vector cluster ids (3 granularities)",
    "jieba": "jieba word position", "pos": "jieba POS", "gazetteer": "gazetteer hits (administrative places with level, "
    "listed companies, industries) as B/I/E", "cues": "closed-class cue words (name suffixes, titles, boundary words, "
    "conjunctions; kg.nlp.lexicon) inside and next to the character", "hints": "the rules' spans (label and B/I/E)",
}

LICENCES = {
    "gold": "SPEC v2 annotations of public newspaper pages, news items and government work reports "
            "(official documents of state organs, PRC Copyright Law art. 5); annotations by the chainkg project",
    "cluener": "CLUENER 2020 (Xu et al. 2020, arXiv:2001.04351), derived from THUCNews: no licence file, "
               "published for research use only",
    "peoples_daily": "People's Daily 1998 NER corpus (as vendored by zjy-ucas/ChineseNER): no licence, research use only",
    "vectors": "character clusters computed here from the unlabelled texts listed (government work reports: "
               "official documents; CLUENER and DuIE 2.0 text: research use only)",
}


def write_model(tagger: EntityTagger, result: TrainResult, config: TrainConfig, documents: Sequence[Example],
                extra: Sequence[Example], command: str) -> None:
    """The model folder: model file, cluster table, meta.json (content hash, config, scores) and MODEL_CARD.md."""
    out = result.out
    sources = Counter(e.source for e in extra)
    tagger.meta.update({
        "config": config.as_dict(),
        "data": {"gold_documents": [d.doc for d in documents], "corpus_sentences": dict(sources)},
        "scores": {"heldout": result.heldout.as_dict(), "rules_heldout": result.rules.as_dict(),
                   "heldout_documents": result.heldout_docs,
                   "cluener_heldout": result.cluener.as_dict(list(CLUENER_REPORT))
                   if result.cluener else None, "cluener_fingerprint": result.cluener_fingerprint},
        "command": command,
    })
    tagger.to_disk(out)
    meta = json.loads((out / META_FILE).read_text(encoding="utf-8"))
    card = model_card(meta, result, config, documents, sources, command)
    existing = out / "MODEL_CARD.md"
    extra_sections = ""
    if existing.is_file():
        # sections below this marker (measurements made outside `kg train`) survive a retrain
        marker = "<!-- measurements -->"
        previous = existing.read_text(encoding="utf-8")
        if marker in previous:
            extra_sections = "\n" + previous[previous.index(marker):]
    existing.write_text(card + extra_sections, encoding="utf-8")


def model_card(meta: dict[str, Any], result: TrainResult, config: TrainConfig, documents: Sequence[Example],
               sources: Counter, command: str) -> str:
    """The Markdown model card: data, licences, scores, the exact command."""
    size = sum(f.stat().st_size for f in result.out.iterdir() if f.is_file())
    lines = [
        "# entity_crf: character CRF entity tagger", "",
        "A linear-chain CRF (python-crfsuite, BIO over Place, Enterprise, Person, Chain, Project, Organization) on",
        "per-character features: " + "; ".join(FEATURE_TEXT[k] for k, v in config.features.items() if v and k in FEATURE_TEXT) + ".",
        "Runtime: `kg.nlp.tagger.EntityTagger.from_disk(folder).predict(text, hints)`; the hints are the rules' spans.", "",
        "## Built by", "", "```", command, "```", "",
        f"content hash `{meta.get('content_hash', '')}`, {size / 1e6:.2f} MB, features: "
        + ", ".join(k for k, v in config.features.items() if v) + ".", "",
        "## Data", "",
        f"- SPEC v2 gold, {len(documents)} documents ({sum(len(d.text) for d in documents)} characters): "
        + ", ".join(d.doc for d in documents) + ". Licence: " + LICENCES["gold"] + ".",
        "- The test split of ../shared/gold/SPLITS.md is excluded by the config and was never read for training.",
    ]
    if sources.get("cluener"):
        lines.append(f"- CLUENER 2020 train, {sources['cluener']} sentences (a {config.cluener_sample:g} sample of the part outside "
                     f"the held-out fifth, fingerprint `{result.cluener_fingerprint}`), address -> Place: {config.cluener_address}. "
                     f"Licence: {LICENCES['cluener']}.")
    if sources.get("peoples_daily"):
        lines.append(f"- People's Daily 1998, {sources['peoples_daily']} sentences. Licence: {LICENCES['peoples_daily']}.")
    if meta.get("features", {}).get("clusters") and config.vectors:
        lines.append(f"- Char clusters ({', '.join(map(str, config.vector_clusters))} clusters over {config.vector_dim}-dim "
                     f"PPMI+SVD vectors) from: {', '.join(map(str, config.vector_texts))}. Licence: {LICENCES['vectors']}.")
    lines += [
        "", "**Use**: " + _use_note(config, sources),
        "", "## Held-out scores (printed by `kg train`)", "",
        f"Span F1 on {len(result.heldout_docs)} held-out gold documents ({', '.join(result.heldout_docs)}), model trained "
        "without them" + (" (the shipped model is then refitted on every document)" if config.refit_all else "") + ":", "",
        result.heldout.table(), "", "The rules' spans on the same documents:", "", result.rules.table(), "",
    ]
    if result.cluener:
        lines += ["CLUENER held-out fifth (span F1):", "",
                  result.cluener.table(list(CLUENER_REPORT)), "",
                  "(" + ", ".join(f"{k} = CLUENER {v}" for k, v in CLUENER_REPORT.items()) + ")", ""]
    return "\n".join(lines)


def _use_note(config: TrainConfig, sources: Counter) -> str:
    """Which research-only data went in, so that the card says how the model may be used."""
    research = [name for name, used in (("CLUENER 2020 labels", sources.get("cluener")),
                                        ("People's Daily 1998 labels", sources.get("peoples_daily"))) if used]
    if config.vectors and config.features.get("clusters") and any("cluener" in str(p) or "duie" in str(p) for p in config.vector_texts):
        research.append("CLUENER / DuIE text (through the char clusters only)")
    if not research:
        return "no research-only data went into this model."
    return "research-only data went into this model (" + "; ".join(research) + "): treat it as for research use."


def cpu_count() -> int:
    """Cores this process may use (for the chars/s per core figures)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
