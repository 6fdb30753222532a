"""``kg eval``: precision, recall and F1 of a build against hand annotations.

Gold files follow ``SPEC.md`` (one ``*.gold.json`` per page). Scoring is per
page: the system nodes of a page are those with a mention in it, its edges
those with evidence in it. A system node matches a gold entity when the label
agrees and a name or alias of one equals a name or alias of the other after
NFKC normalisation and removal of whitespace and quotes; places also match
as parent + name. Matching is one-to-one (a maximum bipartite matching), so
a duplicate node counts as a false hit. An edge matches a gold relation when
the type agrees and both ends match (under the same one-to-one rule).

Examples
--------
>>> normalise(" “菏泽”市 ")
'菏泽市'
>>> prf(3, 4, 5)
(0.75, 0.6, 0.6667)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ContractError, InputError
from kg.graph import read_edges, read_nodes

_QUOTES = re.compile(r"[\s\"'“”‘’「」『』]")
ENTITY_TYPES = ("Place", "Enterprise", "Person", "Chain", "Project", "Organization")


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


def _names(name: str, aliases: Iterable[str], parent: str | None) -> set[str]:
    names = {normalise(n) for n in (name, *aliases) if n}
    if parent:
        names |= {normalise(parent) + n for n in list(names)}
    return names


def _max_matching(left: list[Any], right: list[Any], compatible: Any) -> list[tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths); small per-page sets."""
    adjacency = [[j for j, r in enumerate(right) if compatible(l, r)] for l in left]
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

    for i in range(len(left)):
        augment(i, set())
    return [(i, j) for j, i in owner.items()]


def _doc_key(path: str) -> str:
    return Path(path).name


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Gold annotations by page file name."""
    files = sorted(Path(gold_dir).glob("*.gold.json"))
    if not files:
        raise InputError(f"{gold_dir}: no *.gold.json files")
    gold = {}
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc.msg})") from exc
        _check_gold(path, record)
        gold[_doc_key(record.get("file") or path.name.replace(".gold.json", ".txt"))] = record
    return gold


def _check_gold(path: Path, record: Any) -> None:
    """Refuse, naming the file, a gold record the scorer cannot read (the SPEC.md shape).

    Hand-written files have slips: a relation to an id that is not there, a missing
    type, aliases written as one string (which would match every character).
    """
    if not isinstance(record, dict):
        raise InputError(f"{path}: expected a JSON object")
    entities, relations = record.get("entities", []), record.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        raise InputError(f"{path}: 'entities' and 'relations' must be lists")
    ids = set()
    for number, entity in enumerate(entities, 1):
        if not isinstance(entity, dict) or not all(isinstance(entity.get(key), str) for key in ("id", "type", "name")):
            raise InputError(f"{path}: entity {number} needs a string id, type and name")
        aliases = entity.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise InputError(f"{path}: entity {entity['id']}: aliases must be a list of strings")
        ids.add(entity["id"])
    for number, relation in enumerate(relations, 1):
        if not isinstance(relation, dict) or not isinstance(relation.get("type"), str):
            raise InputError(f"{path}: relation {number} needs a string type")
        for end in ("head", "tail"):
            if relation.get(end) not in ids:
                problem = f"{end} {relation.get(end)!r} is not an entity id"
                raise InputError(f"{path}: relation {number} ({relation['type']}): {problem}")


class _Page:
    """One annotated page and the part of the build that mentions it."""

    def __init__(self, doc: str, record: dict[str, Any], nodes: dict[str, dict[str, Any]], system: list[dict[str, Any]]) -> None:
        self.doc = doc
        self.nodes = nodes
        self.system = system
        self.gold = {e["id"]: e for e in record.get("entities", [])}
        self.relations = record.get("relations", [])
        self._gold_names = {
            i: _names(e["name"], e.get("aliases") or [], e.get("parent") if e["type"] == "Place" else None) for i, e in self.gold.items()
        }
        self._system_names = {
            n["id"]: _names(n["name"], n["aliases"], n["props"].get("parent") if n["label"] == "Place" else None) for n in system
        }

    def same(self, node: dict[str, Any], gold_id: str) -> bool:
        """Whether a system node matches a gold entity: same label, a shared normalised name."""
        names = self._system_names.get(node["id"])
        if names is None:
            names = self._system_names[node["id"]] = _names(
                node["name"], node["aliases"], node["props"].get("parent") if node["label"] == "Place" else None
            )
        return node["label"] == self.gold[gold_id]["type"] and bool(names & self._gold_names[gold_id])

    def edge_matches(self, edge: dict[str, Any], relation: dict[str, Any]) -> bool:
        """Whether a system edge matches a gold relation: same type, both ends matching."""
        source, target = self.nodes.get(edge["source"]), self.nodes.get(edge["target"])
        return (
            edge["type"] == relation["type"] and source is not None and target is not None
            and self.same(source, relation["head"]) and self.same(target, relation["tail"])
        )

    def describe_node(self, node: dict[str, Any]) -> str:
        return f"{self.doc}: {node['name']}"

    def describe_entity(self, gold_id: str) -> str:
        return f"{self.doc}: {self.gold[gold_id]['name']}"

    def describe_edge(self, edge: dict[str, Any]) -> str:
        return f"{self.doc}: {self.nodes[edge['source']]['name']} -> {self.nodes[edge['target']]['name']}"

    def describe_relation(self, relation: dict[str, Any]) -> str:
        return f"{self.doc}: {self.gold[relation['head']]['name']} -> {self.gold[relation['tail']]['name']}"


def _count(tally: Tally, left: list[Any], right: list[Any], match: Any, describe_left: Any, describe_right: Any) -> None:
    """Match one type on one page one-to-one and add the counts, misses and false hits to ``tally``."""
    pairs = _max_matching(left, right, match)
    tally.tp += len(pairs)
    tally.predicted += len(left)
    tally.gold += len(right)
    matched_left = {i for i, _ in pairs}
    matched_right = {j for _, j in pairs}
    tally.false_hits += [describe_left(left[i]) for i in range(len(left)) if i not in matched_left]
    tally.missed += [describe_right(right[j]) for j in range(len(right)) if j not in matched_right]


def evaluate(gold_dir: Path, build_dir: Path) -> dict[str, Any]:
    """Score ``build_dir`` against ``gold_dir``; the result feeds the table and ``--json``."""
    gold = load_gold(gold_dir)
    nodes = {n["id"]: n for n in read_nodes(build_dir) if n["label"] != "Article"}
    if not nodes:
        raise ContractError(f"{build_dir}: the build has no entity nodes")
    nodes_by_doc: dict[str, set[str]] = defaultdict(set)
    for node in nodes.values():
        for mention in node["mentions"]:
            nodes_by_doc[_doc_key(mention["doc"])].add(node["id"])
    edges_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for edge in read_edges(build_dir):
        if edge["type"] == "MENTIONED_IN":
            continue
        for doc in {_doc_key(e["doc"]) for e in edge["evidence"]}:
            edges_by_doc[doc].append(edge)

    entity_tally: dict[str, Tally] = defaultdict(Tally)
    relation_tally: dict[str, Tally] = defaultdict(Tally)
    for doc, record in gold.items():
        page = _Page(doc, record, nodes, [nodes[i] for i in sorted(nodes_by_doc.get(doc, ()))])
        for label in ENTITY_TYPES:
            _count(
                entity_tally[label],
                [n for n in page.system if n["label"] == label],
                [g for g, e in page.gold.items() if e["type"] == label],
                page.same,
                page.describe_node,
                page.describe_entity,
            )
        system_edges = edges_by_doc.get(doc, [])
        for rel_type in sorted({e["type"] for e in system_edges} | {r["type"] for r in page.relations}):
            _count(
                relation_tally[rel_type],
                [e for e in system_edges if e["type"] == rel_type],
                [r for r in page.relations if r["type"] == rel_type],
                page.edge_matches,
                page.describe_edge,
                page.describe_relation,
            )
    return {
        "documents": sorted(gold),
        "entities": _section(entity_tally),
        "relations": _section(relation_tally),
    }


def _section(tallies: dict[str, Tally]) -> dict[str, Any]:
    rows = {}
    total = Tally()
    for name in sorted(tallies):
        tally = tallies[name]
        precision, recall, f1 = tally.scores()
        rows[name] = {"tp": tally.tp, "predicted": tally.predicted, "gold": tally.gold, "precision": precision,
                      "recall": recall, "f1": f1, "missed": tally.missed, "false_hits": tally.false_hits}
        total.tp += tally.tp
        total.predicted += tally.predicted
        total.gold += tally.gold
    precision, recall, f1 = total.scores()
    rows["ALL"] = {"tp": total.tp, "predicted": total.predicted, "gold": total.gold, "precision": precision, "recall": recall, "f1": f1}
    return rows


def format_table(result: dict[str, Any], verbose: bool = False) -> str:
    """A plain-text table of the scores, with every miss and false hit when ``verbose``."""
    lines = []
    for section in ("entities", "relations"):
        lines.append(f"{section:<18}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'sys':>6}{'gold':>6}")
        for name, row in result[section].items():
            lines.append(f"  {name:<16}{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}{row['tp']:>6}{row['predicted']:>6}{row['gold']:>6}")
        lines.append("")
    if verbose:
        for section in ("entities", "relations"):
            for name, row in result[section].items():
                for item in row.get("missed", []):
                    lines.append(f"MISS  {section[:-1] if section == 'relations' else 'entity'} {name}: {item}")
                for item in row.get("false_hits", []):
                    lines.append(f"FALSE {section[:-1] if section == 'relations' else 'entity'} {name}: {item}")
    return "\n".join(lines).rstrip() + "\n"
