"""``kg eval``: precision, recall and F1 of a build against hand annotations.

Gold files follow ``SPEC.md`` version 2 (read by :mod:`kg.gold`). A gold file
``<stem>.gold.json`` is scored against the build's documents whose file stem is
``<stem>`` (the documents named by the nodes' mentions and the edges' evidence);
gold files without such a document, and documents without a gold file, are not
scored, and the result names them. Scoring is per document: its system nodes are
those with a mention in it, its edges those with evidence in it.

A system node matches a gold entity when its label is the entity's type or one of
its ``alt_types`` and a name or alias of one equals a name or alias of the other
after NFKC normalisation and removal of whitespace and quotes (places also match as
parent + name); single-character names and aliases never match. An edge matches a
gold relation when the type agrees, its source matches the head or one of the
``alt_heads`` and its target the tail or one of the ``alt_tails``.

Matching is one-to-one (a maximum bipartite matching), so a duplicate node counts as
a false hit. Gold items that are not ``optional`` are matched first, so that an
optional one never takes a true positive away; a system item matched to an optional
gold item drops out of the counts (neither a true positive nor a false hit), and an
optional gold item left unmatched is not a miss. A pair is counted in the row of the
type the system node has (an ``alt_types`` match counts its gold item in that row too),
so every row's precision and recall stay within [0, 1].

Examples
--------
>>> normalise(" “赣州”市 ")
'赣州市'
>>> prf(3, 4, 5)
(0.75, 0.6, 0.6667)
>>> sorted(names("青川县", ["青", "青川"], "广元市"))
['广元市青川', '广元市青川县', '青川', '青川县']
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ContractError, InputError
from kg.gold import ENTITY_TYPES, GoldEntity, GoldFile, GoldRelation, read_gold_dir
from kg.graph import SUMMARY_FILE, read_edges, read_nodes

_QUOTES = re.compile(r"[\s\"'“”‘’「」『』]")


def normalise(text: str) -> str:
    """NFKC, without whitespace and quotes."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", text))


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 rounded to four places (0 where undefined)."""
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


@dataclass(slots=True)
class Tally:
    """Counts for one type: true positives, system items, gold items, and the misses."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0
    missed: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    def scores(self) -> tuple[float, float, float]:
        """(precision, recall, F1)."""
        return prf(self.tp, self.predicted, self.gold)

    def add(self, other: Tally) -> None:
        """Add another tally's counts (not its lists)."""
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold


def names(name: str, aliases: Iterable[str], parent: str | None) -> frozenset[str]:
    """The normalised forms an item matches under: name, aliases, parent + each; never one character."""
    forms = {form for form in (normalise(n) for n in (name, *aliases) if n) if len(form) > 1}
    if parent and len(normalise(parent)) > 1:
        forms |= {normalise(parent) + form for form in list(forms)}
    return frozenset(forms)


def _node_names(node: dict[str, Any]) -> frozenset[str]:
    parent = node["props"].get("parent") if node["label"] == "Place" else None
    return names(node["name"], node["aliases"] or (), parent if isinstance(parent, str) else None)


def _entity_names(entity: GoldEntity) -> frozenset[str]:
    return names(entity.name, entity.aliases, entity.parent if "Place" in entity.types else None)


def max_matching(gold: Sequence[Any], system: Sequence[Any], compatible: Callable[[Any, Any], bool]) -> dict[int, int]:
    """A maximum one-to-one matching, gold index -> system index (augmenting paths; small per-page sets).

    Gold items are tried in order and a matched gold item stays matched while later
    ones are added, so putting the required items first gives them as many matches as
    they can have, and the whole matching is still maximum.
    """
    adjacency = [[j for j, s in enumerate(system) if compatible(g, s)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def doc_stem(path: str) -> str:
    """The file stem of a build document path: ``news/p1.txt`` -> ``p1``."""
    return Path(path).stem


class _Page:
    """One gold file and the part of the build that mentions its document."""

    def __init__(self, label: str, gold: GoldFile, nodes: dict[str, dict[str, Any]], system: list[dict[str, Any]],
                 edges: list[dict[str, Any]]) -> None:
        self.label = label
        self.gold = gold
        self.nodes = nodes
        self.system = system
        self.edges = edges
        self._gold_names = {e.id: _entity_names(e) for e in gold.entities}
        self._system_names: dict[str, frozenset[str]] = {}

    def same(self, entity: GoldEntity, node: dict[str, Any]) -> bool:
        """Whether a system node matches a gold entity: label among its types, a shared name."""
        if node["label"] not in entity.types:
            return False
        forms = self._system_names.get(node["id"])
        if forms is None:
            forms = self._system_names[node["id"]] = _node_names(node)
        return not forms.isdisjoint(self._gold_names[entity.id])

    def edge_matches(self, relation: GoldRelation, edge: dict[str, Any]) -> bool:
        """Whether a system edge matches a gold relation: same type, each end matching one of its entities."""
        if edge["type"] != relation.type:
            return False
        source, target = self.nodes.get(edge["source"]), self.nodes.get(edge["target"])
        return (
            source is not None and target is not None
            and any(self.same(self.gold.entity(h), source) for h in relation.heads)
            and any(self.same(self.gold.entity(t), target) for t in relation.tails)
        )

    def describe_node(self, node: dict[str, Any]) -> str:
        return f"{self.label}: {node['name']}"

    def describe_entity(self, entity: GoldEntity) -> str:
        return f"{self.label}: {entity.name}"

    def describe_edge(self, edge: dict[str, Any]) -> str:
        return f"{self.label}: {self.nodes[edge['source']]['name']} -> {self.nodes[edge['target']]['name']}"

    def describe_relation(self, relation: GoldRelation) -> str:
        return f"{self.label}: {self.gold.entity(relation.head).name} -> {self.gold.entity(relation.tail).name}"


def _count(
    tallies: dict[str, Tally],
    gold: Sequence[Any],
    system: Sequence[Any],
    match: Callable[[Any, Any], bool],
    gold_row: Callable[[Any], str],
    system_row: Callable[[Any], str],
    describe_gold: Callable[[Any], str],
    describe_system: Callable[[Any], str],
) -> Tally:
    """Match one page's items one-to-one, add counts, misses and false hits to ``tallies``; return the page's total."""
    ordered = sorted(gold, key=lambda item: item.optional)  # required first (a stable sort keeps the file's order)
    pairs = max_matching(ordered, system, match)
    page = Tally()
    matched_system = set(pairs.values())
    for i, item in enumerate(ordered):
        if item.optional:
            continue  # matched: its system item drops out below; unmatched: no miss
        if i in pairs:
            row = tallies[system_row(system[pairs[i]])]
            row.tp += 1
        else:
            row = tallies[gold_row(item)]
            row.missed.append(describe_gold(item))
        row.gold += 1
        page.gold += 1
        page.tp += i in pairs
    dropped = {pairs[i] for i, item in enumerate(ordered) if item.optional and i in pairs}
    for j, thing in enumerate(system):
        if j in dropped:
            continue
        row = tallies[system_row(thing)]
        row.predicted += 1
        page.predicted += 1
        if j not in matched_system:
            row.false_hits.append(describe_system(thing))
    return page


@dataclass(slots=True)
class _Build:
    """A build's entity nodes and edges, grouped by document stem."""

    nodes: dict[str, dict[str, Any]]
    docs: dict[str, set[str]]  # stem -> document paths
    nodes_by_stem: dict[str, set[str]]
    edges_by_stem: dict[str, list[dict[str, Any]]]


def _read_build(build_dir: Path) -> _Build:
    nodes, docs = {}, defaultdict(set)
    nodes_by_stem: dict[str, set[str]] = defaultdict(set)
    for node in read_nodes(build_dir):
        for mention in node["mentions"]:
            docs[doc_stem(mention["doc"])].add(mention["doc"])
        if node["label"] not in ENTITY_TYPES:
            continue
        nodes[node["id"]] = node
        for mention in node["mentions"]:
            nodes_by_stem[doc_stem(mention["doc"])].add(node["id"])
    if not nodes:
        raise ContractError(f"{build_dir}: the build has no entity nodes")
    edges_by_stem: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for edge in read_edges(build_dir):
        for evidence in edge["evidence"]:
            docs[doc_stem(evidence["doc"])].add(evidence["doc"])
        if edge["type"] == "MENTIONED_IN":
            continue
        for stem in {doc_stem(e["doc"]) for e in edge["evidence"]}:
            edges_by_stem[stem].append(edge)
    return _Build(nodes, dict(docs), nodes_by_stem, edges_by_stem)


def _skipped(build_dir: Path) -> dict[str, str]:
    """Stem -> "<doc> skipped: <reason>" for the documents ``summary.json`` says the build skipped."""
    try:
        summary = json.loads((build_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        skipped = summary.get("skipped") or []
        return {doc_stem(s["doc"]): f"{s['doc']} skipped: {s.get('reason', 'no reason given')}" for s in skipped}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}  # a build without a readable summary: the nodes and edges alone tell which documents were read


def _row(tally: Tally) -> dict[str, Any]:
    precision, recall, f1 = tally.scores()
    return {"tp": tally.tp, "predicted": tally.predicted, "gold": tally.gold, "precision": precision, "recall": recall, "f1": f1}


def evaluate(gold_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Score ``build_dir`` against ``gold_dir``; the result feeds the table and ``--json``.

    ``documents`` are the scored build documents; ``by_doc`` their entity and relation
    totals; ``unscored`` names the gold files the build has no document for and the
    build documents that have no gold file.
    """
    gold_files = read_gold_dir(gold_dir)
    build = _read_build(Path(build_dir))
    scored = [g for g in gold_files if g.stem in build.docs]
    if not scored:
        raise InputError(f"{gold_dir}: no gold file has a document in {build_dir} (gold files are <document stem>.gold.json)")
    gold_stems = {g.stem for g in gold_files}
    skipped = _skipped(Path(build_dir))

    entity_tally: dict[str, Tally] = defaultdict(Tally, {label: Tally() for label in ENTITY_TYPES})  # a row each, even empty
    relation_tally: dict[str, Tally] = defaultdict(Tally)
    by_doc = {}
    for gold in scored:
        label = ", ".join(sorted(build.docs[gold.stem]))
        system = [build.nodes[i] for i in sorted(build.nodes_by_stem.get(gold.stem, ()))]
        page = _Page(label, gold, build.nodes, system, build.edges_by_stem.get(gold.stem, []))
        entities = _count(entity_tally, gold.entities, page.system, page.same, lambda e: e.type, lambda n: n["label"],
                          page.describe_entity, page.describe_node)
        relations = _count(relation_tally, gold.relations, page.edges, page.edge_matches, lambda r: r.type,
                           lambda e: e["type"], page.describe_relation, page.describe_edge)
        by_doc[label] = {"gold": gold.path.name, "entities": _row(entities), "relations": _row(relations)}
    return {
        "documents": list(by_doc),
        "entities": _section(entity_tally),
        "relations": _section(relation_tally),
        "by_doc": by_doc,
        "unscored": {
            "gold_files": [g.path.name for g in gold_files if g.stem not in build.docs],
            "skipped": {g.path.name: skipped[g.stem] for g in gold_files if g.stem not in build.docs and g.stem in skipped},
            "documents": sorted(doc for stem, docs in build.docs.items() if stem not in gold_stems for doc in docs),
        },
    }


def _section(tallies: dict[str, Tally]) -> dict[str, Any]:
    rows = {}
    total = Tally()
    for name in sorted(tallies):
        tally = tallies[name]
        rows[name] = {**_row(tally), "missed": tally.missed, "false_hits": tally.false_hits}
        total.add(tally)
    rows["ALL"] = _row(total)
    return rows


def unscored_notes(result: dict[str, Any]) -> list[str]:
    """One line for the gold files without a document and one for the documents without a gold file (if any)."""
    notes = []
    if gold := result["unscored"]["gold_files"]:
        skipped = result["unscored"].get("skipped", {})
        shown = ", ".join(f"{name} ({skipped[name]})" if name in skipped else name for name in gold)
        notes.append(f"kg eval: no document in the build for {len(gold)} gold file{'s' * (len(gold) != 1)}: {shown}")
    if docs := result["unscored"]["documents"]:
        notes.append(f"kg eval: no gold file for {len(docs)} build document{'s' * (len(docs) != 1)}: {', '.join(docs)}")
    return notes


def _score_line(name: str, row: dict[str, Any], width: int = 16) -> str:
    return (f"  {name:<{width}}{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}"
            f"{row['tp']:>6}{row['predicted']:>6}{row['gold']:>6}")


def format_table(result: dict[str, Any], verbose: bool = False, by_doc: bool = False) -> str:
    """A plain-text table of the scores; per document when ``by_doc``; every miss and false hit when ``verbose``."""
    lines = []
    for section in ("entities", "relations"):
        lines.append(f"{section:<18}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'sys':>6}{'gold':>6}")
        for name, row in result[section].items():
            lines.append(_score_line(name, row))
        lines.append("")
    if by_doc:
        width = max(16, *(len(doc) + 2 for doc in result["by_doc"]))
        for section in ("entities", "relations"):
            lines.append(f"{'by document: ' + section:<{width + 2}}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'sys':>6}{'gold':>6}")
            for doc, rows in result["by_doc"].items():
                lines.append(_score_line(doc, rows[section], width))
            lines.append("")
    if verbose:
        for section in ("entities", "relations"):
            for name, row in result[section].items():
                for item in row.get("missed", []):
                    lines.append(f"MISS  {section[:-1] if section == 'relations' else 'entity'} {name}: {item}")
                for item in row.get("false_hits", []):
                    lines.append(f"FALSE {section[:-1] if section == 'relations' else 'entity'} {name}: {item}")
    return "\n".join(lines).rstrip() + "\n"
