"""Training the relation scorer: labelled candidate pairs from SPEC v2 gold, a logistic model, CV of the policies.

The pipeline (the default config, without the scorer itself) runs over every
annotated document, so that the candidates are the mentions and rule
relations a build really has. Each candidate pair (see
:func:`kg.nlp.relscorer.candidate_pairs`) is labelled by the gold: positive
when a required gold relation of that type joins gold entities the two
mentions match (by normalised name or alias as ``kg eval`` matches, with
``alt_heads``/``alt_tails``), left out when only an optional relation does,
negative otherwise.

The model is an L2-regularised logistic regression fitted in numpy (full batch,
Adam) on sparse binary features. Cross-validation over document folds gives
each candidate an out-of-fold probability; every relation type's policy
(``rules`` alone, scorer ``add``, ``filter``, ``both``) and thresholds are then
chosen by the F1 of a document-level simulation of ``kg eval`` (edges keyed by
canonical names, one-to-one matching against the gold relations). The choice
and the whole table go into the model folder's ``meta.json`` and model card.
"""

from __future__ import annotations

import json
import random
import shlex
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import InputError
from kg.eval import max_matching, names, prf
from kg.gold import GoldFile, read_gold_file
from kg.nlp.relscorer import ArticleIndex, RelationModel, RuleIndex, addable, candidate_pairs, pair_features
from kg.train.config import read_toml, settings_dict
from kg.train.data import find_text, gold_files

DEFAULT_CONFIG = Path(__file__).with_name("relation_scorer.toml")
POLICIES = ("rules", "add", "filter", "both")
SCORER_PIPE = "kg_relation_scorer"


# --- configuration -----------------------------------------------------------------


@dataclass(slots=True)
class RelationTrainConfig:
    """What ``kg train-relations`` reads from its TOML file."""

    gold_dirs: list[Path] = field(default_factory=list)
    text_dirs: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    pipeline: Path | None = None          # pipeline config for the candidates (None: the shipped default)
    folds: int = 5
    seed: int = 13
    l2: float = 1.0
    iterations: int = 300
    learning_rate: float = 0.1
    min_count: int = 2
    add_thresholds: list[float] = field(default_factory=lambda: [0.5, 0.6, 0.7, 0.8, 0.9])
    filter_thresholds: list[float] = field(default_factory=lambda: [0.05, 0.1, 0.2, 0.3])
    min_gain: float = 0.005               # a policy other than rules must beat them by this much F1
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready copy (paths as strings)."""
        return settings_dict(self)


def load_relation_config(path: Path | None = None) -> RelationTrainConfig:
    """Read a TOML config (the packaged ``relation_scorer.toml`` when None).

    Examples
    --------
    >>> config = load_relation_config()
    >>> config.folds, "gwr2026_gansu_excerpt" in config.exclude
    (5, True)
    """
    path = DEFAULT_CONFIG if path is None else Path(path)
    data = read_toml(path)
    gold, model, cv = data.get("gold", {}), data.get("model", {}), data.get("cv", {})
    defaults = RelationTrainConfig()
    return RelationTrainConfig(
        gold_dirs=[Path(p) for p in gold.get("dirs", [])],
        text_dirs=[Path(p) for p in gold.get("text_dirs", [])],
        exclude=list(gold.get("exclude", [])),
        pipeline=Path(gold["pipeline"]) if gold.get("pipeline") else None,
        folds=int(cv.get("folds", defaults.folds)),
        seed=int(cv.get("seed", defaults.seed)),
        l2=float(model.get("l2", defaults.l2)),
        iterations=int(model.get("iterations", defaults.iterations)),
        learning_rate=float(model.get("learning_rate", defaults.learning_rate)),
        min_count=int(model.get("min_count", defaults.min_count)),
        add_thresholds=[float(v) for v in cv.get("add_thresholds", defaults.add_thresholds)],
        filter_thresholds=[float(v) for v in cv.get("filter_thresholds", defaults.filter_thresholds)],
        min_gain=float(cv.get("min_gain", defaults.min_gain)),
        source=str(path),
    )


# --- labelled candidates ---------------------------------------------------------------


@dataclass(slots=True)
class Pair:
    """One candidate of one document: its features, gold label and what it would become in the graph."""

    type: str
    features: list[str]
    label: int | None          # 1 true, 0 false, None: only an optional gold relation (left out of training)
    rule: bool                 # a rule component proposed it
    edge: tuple[str, str, str] | None   # (type, head node key, tail node key); None: an end the build drops
    matches: frozenset[int]    # indices of the document's gold relations it matches
    text: str = ""             # head and tail as written, for reading the misses
    addable: bool = True       # the component may add it (kg.nlp.relscorer.addable)


@dataclass(slots=True)
class LabelledDocument:
    """The candidates of one annotated document, and its gold relations."""

    stem: str
    pairs: list[Pair]
    gold: GoldFile


def _mention_matches(gold: GoldFile, label: str, forms: frozenset[str]) -> set[str]:
    return {e.id for e in gold.entities if label in e.types and not forms.isdisjoint(_entity_forms(e))}


def _entity_forms(entity: Any) -> frozenset[str]:
    return names(entity.name, entity.aliases, entity.parent if "Place" in entity.types else None)


def label_document(stem: str, document: Any, nlp: Any, gold: GoldFile) -> LabelledDocument:
    """Run the pipeline on ``document`` and label every candidate pair against ``gold``."""
    from kg.extract.document import analyse
    from kg.resolve.canonical import Canonicaliser

    _document, context, states = analyse(document, nlp)
    canonicaliser = Canonicaliser(context, states)
    pairs: list[Pair] = []
    for article in states:
        keys: list[str | None] = []
        matched: list[set[str]] = []
        for mention in article.mentions:
            named = canonicaliser.name(mention, article)
            surface = article.surface(mention)
            if named is None:
                keys.append(None)
                matched.append(set())
                continue
            parent = named.attrs.get("parent") if mention.label == "Place" else None
            forms = names(named.name, [*named.aliases, surface], parent if isinstance(parent, str) else None)
            keys.append(f"{mention.label}:{named.name}")
            matched.append(_mention_matches(gold, mention.label, forms))
        rules = RuleIndex.of(article.relations)
        index = ArticleIndex(article)
        for rel_type, head, tail in candidate_pairs(article, rules, index=index):
            hits = frozenset(
                number for number, relation in enumerate(gold.relations)
                if relation.type == rel_type and matched[head] & set(relation.heads) and matched[tail] & set(relation.tails)
            )
            required = any(not gold.relations[n].optional for n in hits)
            label = 1 if required else (None if hits else 0)
            edge = (rel_type, keys[head], keys[tail]) if keys[head] and keys[tail] else None
            pairs.append(Pair(rel_type, pair_features(article, rel_type, head, tail, rules, index), label,
                              (rel_type, head, tail) in rules.pairs, edge, hits,
                              f"{article.surface(article.mentions[head])} -> {article.surface(article.mentions[tail])}",
                              addable(article, rel_type, head, tail)))
    return LabelledDocument(stem, pairs, gold)


def load_documents(config: RelationTrainConfig, gold_dirs: Sequence[Path] = (), text_dirs: Sequence[Path] = (),
                   log: Callable[[str], None] = lambda _m: None) -> list[LabelledDocument]:
    """Every gold file of the config and the command line with its text, run and labelled (config exclusions applied)."""
    from kg.extract.pipeline import load_pipeline
    from kg.ingest import read_document

    dirs = [d for d in [*config.gold_dirs, *gold_dirs] if Path(d).is_dir()]
    if not dirs:
        raise InputError("no gold folder found for the relation scorer")
    nlp = load_pipeline(config.pipeline)
    disabled = [name for name in nlp.pipe_names if name == SCORER_PIPE or nlp.get_pipe_meta(name).factory == SCORER_PIPE]
    documents = []
    started = time.process_time()
    with nlp.select_pipes(disable=disabled):
        for path in gold_files(dirs, exclude=config.exclude):
            gold = read_gold_file(path)
            text_path = find_text(Path(gold.file or f"{gold.stem}.txt").stem, [path.parent, *config.text_dirs, *text_dirs])
            if text_path is None:
                continue
            documents.append(label_document(gold.stem, read_document(text_path, text_path.parent), nlp, gold))
    if not documents:
        raise InputError(f"no gold file with a text in {', '.join(map(str, dirs))}")
    log(f"{len(documents)} documents, {sum(len(d.pairs) for d in documents)} candidate pairs "
        f"({time.process_time() - started:.1f} CPU s)")
    return documents


# --- the model -------------------------------------------------------------------------------


def fit(rows: Sequence[Sequence[str]], labels: Sequence[int], config: RelationTrainConfig, meta: dict[str, Any] | None = None) -> RelationModel:
    """An L2 logistic regression on binary feature rows (full-batch Adam; features seen fewer than ``min_count`` times dropped).

    Examples
    --------
    >>> rows = [["T|bias", "T|cue=的"]] * 20 + [["T|bias", "T|cue=和"]] * 20
    >>> model = fit(rows, [1] * 20 + [0] * 20, RelationTrainConfig(iterations=200))
    >>> p = model.probabilities([["T|bias", "T|cue=的"], ["T|bias", "T|cue=和"]])
    >>> bool(p[0] > 0.8 and p[1] < 0.2)
    True
    """
    counts = Counter(f for row in rows for f in set(row))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= config.min_count or f.endswith("|bias")))}
    flat: list[int] = []
    lengths: list[int] = []
    for row in rows:
        indices = sorted({vocabulary[f] for f in row if f in vocabulary})
        flat += indices
        lengths.append(len(indices))
    index = np.asarray(flat, dtype=np.int64)
    length = np.asarray(lengths, dtype=np.int64)
    row_of = np.repeat(np.arange(len(rows)), length)
    y = np.asarray(labels, dtype=np.float64)
    n, size = max(len(rows), 1), len(vocabulary)
    weights = np.zeros(size)
    first, second = np.zeros(size), np.zeros(size)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, config.iterations + 1):
        scores = np.bincount(row_of, weights=weights[index], minlength=len(rows)) if len(index) else np.zeros(len(rows))
        p = 1.0 / (1.0 + np.exp(-scores))
        gradient = np.bincount(index, weights=(p - y)[row_of], minlength=size) / n + config.l2 * weights / n
        first = beta1 * first + (1 - beta1) * gradient
        second = beta2 * second + (1 - beta2) * gradient**2
        weights -= config.learning_rate * (first / (1 - beta1**step)) / (np.sqrt(second / (1 - beta2**step)) + eps)
    return RelationModel(vocabulary, weights.tolist(), dict(meta or {}))


def training_rows(documents: Sequence[LabelledDocument]) -> tuple[list[list[str]], list[int]]:
    """The feature rows and labels of every labelled pair (pairs that only an optional gold relation matches left out)."""
    rows, labels = [], []
    for document in documents:
        for pair in document.pairs:
            if pair.label is not None:
                rows.append(pair.features)
                labels.append(pair.label)
    return rows, labels


def document_folds(count: int, folds: int, seed: int) -> list[list[int]]:
    """Document indices dealt into ``folds`` groups after a seeded shuffle.

    Examples
    --------
    >>> document_folds(5, 2, seed=1)
    [[1, 2, 4], [0, 3]]
    """
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::folds]) for i in range(folds)]


def out_of_fold(documents: Sequence[LabelledDocument], config: RelationTrainConfig,
                log: Callable[[str], None] = lambda _m: None) -> list[np.ndarray]:
    """Each document's candidate probabilities from a model trained without its fold."""
    probabilities: list[np.ndarray] = [np.zeros(0)] * len(documents)
    for number, fold in enumerate(document_folds(len(documents), config.folds, config.seed)):
        held = set(fold)
        rows, labels = training_rows([d for i, d in enumerate(documents) if i not in held])
        model = fit(rows, labels, config)
        for i in fold:
            probabilities[i] = model.probabilities([p.features for p in documents[i].pairs])
        log(f"fold {number + 1}/{config.folds}: {len(fold)} documents held out, trained on {len(rows)} pairs")
    return probabilities


# --- policies and their simulated scores ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Policy:
    """What the scorer does with one relation type."""

    action: str                  # rules, add, filter, both
    add_threshold: float = 1.0
    filter_threshold: float = 0.0

    def keeps(self, pair: Pair, probability: float) -> bool:
        """Whether the pair ends up a relation under this policy."""
        if pair.rule:
            return probability >= self.filter_threshold if self.action in ("filter", "both") else True
        return self.action in ("add", "both") and pair.addable and probability >= self.add_threshold


def simulate(documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray], policy: dict[str, Policy],
             types: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """(tp, predicted, gold) per relation type, ``kg eval``'s way on the edges the policy keeps.

    Edges are keyed by type and canonical names (as the graph merges them) and matched
    one-to-one to gold relations, required ones first; an edge matched to an optional
    relation is not counted. Relations the build adds outside the pipeline (the
    administrative hierarchy) are not simulated, so recall is below ``kg eval``'s.
    """
    totals: dict[str, list[int]] = {t: [0, 0, 0] for t in types}
    for document, probs in zip(documents, probabilities):
        edges: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        for pair, probability in zip(document.pairs, probs):
            if pair.edge is None or pair.type not in totals:
                continue
            chosen = policy.get(pair.type, Policy("rules"))
            if chosen.keeps(pair, float(probability)):
                edges[pair.edge] |= pair.matches
        for rel_type in types:
            relations = [(n, r) for n, r in enumerate(document.gold.relations) if r.type == rel_type]
            ordered = sorted(relations, key=lambda item: item[1].optional)
            system = [matches for edge, matches in edges.items() if edge[0] == rel_type]
            pairs = max_matching(ordered, system, lambda g, s: g[0] in s)
            tp = sum(1 for i, (_n, r) in enumerate(ordered) if i in pairs and not r.optional)
            dropped = sum(1 for i, (_n, r) in enumerate(ordered) if i in pairs and r.optional)
            totals[rel_type][0] += tp
            totals[rel_type][1] += len(system) - dropped
            totals[rel_type][2] += sum(1 for _n, r in relations if not r.optional)
    return {t: (v[0], v[1], v[2]) for t, v in totals.items()}


def choose_policies(documents: Sequence[LabelledDocument], probabilities: Sequence[np.ndarray],
                    config: RelationTrainConfig) -> tuple[dict[str, Policy], dict[str, dict[str, Any]]]:
    """Per type, the best of rules / add / filter / both (with their best thresholds) by simulated F1, and the table."""
    types = sorted({r.type for d in documents for r in d.gold.relations} | {p.type for d in documents for p in d.pairs})
    options: dict[str, list[Policy]] = {
        "rules": [Policy("rules")],
        "add": [Policy("add", a) for a in config.add_thresholds],
        "filter": [Policy("filter", 1.0, f) for f in config.filter_thresholds],
        "both": [Policy("both", a, f) for a in config.add_thresholds for f in config.filter_thresholds],
    }
    table: dict[str, dict[str, Any]] = {t: {} for t in types}
    for action, candidates in options.items():
        for candidate in candidates:
            scores = simulate(documents, probabilities, {t: candidate for t in types}, types)
            for rel_type, (tp, predicted, gold) in scores.items():
                f1 = prf(tp, predicted, gold)[2]
                best = table[rel_type].get(action)
                if best is None or f1 > best["f1"]:
                    table[rel_type][action] = {"policy": _policy_dict(candidate), "tp": tp, "predicted": predicted, "gold": gold,
                                               "p": prf(tp, predicted, gold)[0], "r": prf(tp, predicted, gold)[1], "f1": f1}
    chosen: dict[str, Policy] = {}
    for rel_type, rows in table.items():
        action = simplest_within(rows, config.min_gain)
        chosen[rel_type] = Policy(**rows[action]["policy"])
        rows["chosen"] = action
    return chosen, table


def simplest_within(rows: dict[str, dict[str, Any]], margin: float) -> str:
    """The simplest policy whose F1 is within ``margin`` of the best (rules, then add or filter, then both).

    A change to the rules' answer has to earn its place: differences under ``margin``
    are CV noise on a few dozen documents.

    Examples
    --------
    >>> simplest_within({"rules": {"f1": 0.534}, "add": {"f1": 0.535}, "filter": {"f1": 0.544}, "both": {"f1": 0.546}}, 0.01)
    'filter'
    >>> simplest_within({"rules": {"f1": 0.80}, "add": {"f1": 0.80}, "filter": {"f1": 0.805}, "both": {"f1": 0.79}}, 0.01)
    'rules'
    """
    best = max(rows[a]["f1"] for a in POLICIES)
    for tier in (("rules",), ("add", "filter"), ("both",)):
        fitting = [a for a in tier if rows[a]["f1"] >= best - margin + 1e-9]
        if fitting:
            return max(fitting, key=lambda a: rows[a]["f1"])
    return "rules"


def _policy_dict(policy: Policy) -> dict[str, Any]:
    return {"action": policy.action, "add_threshold": policy.add_threshold, "filter_threshold": policy.filter_threshold}


def table_markdown(table: dict[str, dict[str, Any]]) -> str:
    """The CV table: per relation type, P/R/F1 of rules alone and of each scorer policy, and the choice."""
    lines = ["| type | gold | rules P/R/F1 | add P/R/F1 | filter P/R/F1 | both P/R/F1 | chosen |", "|---|---|---|---|---|---|---|"]
    totals = {a: [0, 0, 0] for a in (*POLICIES, "chosen")}
    for rel_type, rows in sorted(table.items()):
        cells = []
        for action in POLICIES:
            row = rows[action]
            extra = ""
            if action in ("add", "both"):
                extra += f" a≥{row['policy']['add_threshold']:g}"
            if action in ("filter", "both"):
                extra += f" f<{row['policy']['filter_threshold']:g}"
            cells.append(f"{row['p']:.3f}/{row['r']:.3f}/**{row['f1']:.3f}**{extra}")
            for i, key in enumerate(("tp", "predicted", "gold")):
                totals[action][i] += row[key]
        for i, key in enumerate(("tp", "predicted", "gold")):
            totals["chosen"][i] += rows[rows["chosen"]][key]
        lines.append(f"| {rel_type} | {rows['rules']['gold']} | " + " | ".join(cells) + f" | {rows['chosen']} |")
    all_cells = []
    for action in (*POLICIES, "chosen"):
        p, r, f = prf(*totals[action])
        all_cells.append(f"{p:.3f}/{r:.3f}/**{f:.3f}**")
    lines.append(f"| ALL (each type's best threshold) | {totals['rules'][2]} | " + " | ".join(all_cells) + " |")
    return "\n".join(lines)


# --- the command --------------------------------------------------------------------------------


@dataclass(slots=True)
class RelationTrainResult:
    """What ``kg train-relations`` prints and records."""

    table: dict[str, dict[str, Any]]
    policies: dict[str, Policy]
    documents: list[str]
    pairs: int
    out: Path


def train_relations_command(config: RelationTrainConfig, out: Path, gold_dirs: Sequence[Path] = (), text_dirs: Sequence[Path] = (),
                            command: str | None = None, log: Callable[[str], None] = lambda _m: None) -> RelationTrainResult:
    """Label the gold documents, cross-validate the policies, fit on everything, write the model folder."""
    started = time.process_time()
    documents = load_documents(config, gold_dirs, text_dirs, log)
    if len(documents) >= 2 and config.folds >= 2:
        probabilities = out_of_fold(documents, RelationTrainConfig(**{**config.as_dict(), "folds": min(config.folds, len(documents)),
                                                                        "gold_dirs": [], "text_dirs": [], "pipeline": None}), log)
        policies, table = choose_policies(documents, probabilities, config)
    else:
        policies, table = {}, {}
    rows, labels = training_rows(documents)
    meta = {
        "name": "relation_scorer",
        "kind": "logistic regression, L2, sparse binary features (kg.nlp.relscorer)",
        "policies": {t: _policy_dict(p) for t, p in sorted(policies.items())},
        "cv": table,
        "config": config.as_dict(),
        "data": {"documents": [d.stem for d in documents], "pairs": len(rows), "positives": int(sum(labels))},
        "command": command or "kg " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    }
    model = fit(rows, labels, config, meta)
    meta["training_cpu_s"] = round(time.process_time() - started, 1)
    model.meta = meta
    model.to_disk(out)
    write_card(Path(out), meta, table)
    log(f"model written to {out} ({meta['training_cpu_s']} CPU s)")
    return RelationTrainResult(table, policies, [d.stem for d in documents], len(rows), Path(out))


LICENCE = ("SPEC v2 annotations by the chainkg project of public newspaper pages, 2011 news items and excerpts of 2026 "
           "government work reports (official documents of state organs, PRC Copyright Law art. 5)")


def write_card(out: Path, meta: dict[str, Any], table: dict[str, dict[str, Any]]) -> None:
    """MODEL_CARD.md: data, licence, the CV table, the command; hand-written sections below the marker survive."""
    marker = "<!-- measurements -->"
    card = out / "MODEL_CARD.md"
    kept = ""
    if card.is_file() and marker in (previous := card.read_text(encoding="utf-8")):
        kept = "\n" + previous[previous.index(marker):]
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file() and f.name != "MODEL_CARD.md")
    lines = [
        "# relation_scorer: logistic relation scorer", "",
        "An L2 logistic regression (numpy, no other dependency) over candidate mention pairs of one sentence (and every",
        "pair a rule proposed): relation type, labels, order, character distance, mentions between, closed-class cue words",
        "between and around, the gap with mentions masked, 、-list membership, punctuation, the document subject, genre,",
        "and whether a rule proposed the pair. Every feature is conjoined with the type and also shared across types.",
        "Runtime: `kg.nlp.relscorer`; pipeline component `kg_relation_scorer` (`kg/extract/relations/scorer.py`).", "",
        "## Built by", "", "```", str(meta.get("command", "")), "```", "",
        f"{size / 1e3:.0f} kB, {meta['data']['pairs']} training pairs ({meta['data']['positives']} positive), "
        f"{meta.get('training_cpu_s', '?')} CPU s.", "",
        "## Data", "",
        f"- {len(meta['data']['documents'])} SPEC v2 gold documents: " + ", ".join(meta["data"]["documents"]) + ".",
        f"- Licence: {LICENCE}.",
        "- The test split of ../shared/gold/SPLITS.md is excluded by the config and was never read for training.",
        "- Caveat: the candidates come from the default pipeline, whose entity tagger was trained on these same documents,",
        "  so mentions here are cleaner than on unseen text; the CV below is optimistic in the same way for every column.",
        "",
        "## Cross-validation (document folds, simulated `kg eval` per type)", "",
        "Each document's pairs scored by a model trained without its fold; edges keyed by canonical names and matched",
        "one-to-one to the gold relations. The administrative hierarchy the build adds after the pipeline is not simulated.",
        "`a≥` add threshold, `f<` filter threshold (the best on the grid per type).", "",
        table_markdown(table) if table else "(too few documents for CV)", "",
        f"`chosen`: the simplest policy within {meta['config']['min_gain']:g} F1 of the best (rules, then add or filter, "
        "then both): a change to the rules' answer has to beat CV noise.", "",
        "Chosen policy per type (used by the component when its config leaves `policy` empty):", "",
        "```", json.dumps(meta["policies"], ensure_ascii=False, indent=1), "```", "",
    ]
    card.write_text("\n".join(lines) + kept, encoding="utf-8")
