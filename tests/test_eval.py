"""``kg eval`` arithmetic on a hand-made gold/build pair (``kg.eval`` through the real CLI).

Two gold pages in the SPEC.md format and a build directory written line by line.
What must happen to each item is written beside it, and the scores are worked
out by hand in the comments before the expected tables.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ContractError, InputError
from kg.eval import normalise, prf

KG = Path(sys.executable).with_name("kg")

GOLD = {
    "p1.gold.json": {
        "file": "p1.txt",
        "entities": [
            {"id": "g1", "type": "Place", "name": "青禾县", "aliases": [], "kind": "county", "parent": "江北市"},
            {"id": "g2", "type": "Place", "name": "城关镇", "aliases": [], "kind": "town", "parent": "青禾县"},
            {"id": "g3", "type": "Enterprise", "name": "青禾华材新材料有限公司", "aliases": ["华材新材料"], "roles": ["chain_master"]},
            {"id": "g4", "type": "Chain", "name": "碳纤维", "aliases": ["碳纤维产业链"]},
            {"id": "g5", "type": "Person", "name": "方志诚", "kind": "official", "titles": ["县长"], "org": "青禾县人民政府"},
            {"id": "g6", "type": "Organization", "name": "青禾县发展和改革局", "aliases": ["县发改局"], "kind": "government"},
            {"id": "g7", "type": "Project", "name": "年产2万吨碳纤维项目", "aliases": [], "investment_yuan": None, "status": None},
        ],
        "relations": [
            {"type": "DEVELOPS", "head": "g1", "tail": "g4", "evidence": "青禾县重点发展碳纤维产业链"},
            {"type": "CHAIN_MASTER_OF", "head": "g3", "tail": "g4", "evidence": "华材新材料为碳纤维产业链链主"},
            {"type": "LOCATED_IN", "head": "g3", "tail": "g1", "evidence": "青禾县的青禾华材新材料有限公司"},
            {"type": "LOCATED_IN", "head": "g2", "tail": "g1", "evidence": "青禾县城关镇"},
            {"type": "HOLDS_POSITION", "head": "g5", "tail": "g6", "title": "局长", "evidence": "县发改局局长方志诚"},
            {"type": "OPERATES", "head": "g3", "tail": "g7", "evidence": "华材新材料年产2万吨碳纤维项目"},
        ],
    },
    "p2.gold.json": {
        "file": "p2.txt",
        "entities": [
            {"id": "h1", "type": "Place", "name": "青禾县", "aliases": [], "kind": "county", "parent": "江北市"},
            {"id": "h2", "type": "Chain", "name": "特种玻璃", "aliases": ["特种玻璃产业链"]},
        ],
        "relations": [{"type": "DEVELOPS", "head": "h1", "tail": "h2", "evidence": "青禾县培育特种玻璃产业链"}],
    },
}


def _node(node_id: str, label: str, name: str, docs: list[str], aliases: list[str] | None = None,
          props: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": node_id, "label": label, "name": name, "aliases": aliases or [], "props": props or {},
            "mentions": [{"doc": doc, "start": 0, "end": len(name)} for doc in docs]}


def _edge(edge_id: str, source: str, target: str, rel_type: str, doc: str) -> dict[str, Any]:
    return {"id": edge_id, "source": source, "target": target, "type": rel_type, "props": {},
            "evidence": [{"doc": doc, "start": 0, "end": 10, "sentence": "青禾县。"}]}


P1, P2, OTHER = "news/p1.txt", "news/p2.txt", "news/other.txt"  # paths under the corpus; gold names the file
NODES = [
    _node("n-place-qh", "Place", "青禾县", [P1, P2], props={"kind": "county", "parent": "江北市"}),  # TP in p1 and in p2
    _node("n-place-cg", "Place", "青禾县城关镇", [P1], props={"kind": "town"}),  # TP: gold parent + name
    _node("n-ent-a", "Enterprise", "华材新材料", [P1]),  # TP through the gold alias
    _node("n-ent-b", "Enterprise", "青禾华材新材料有限公司", [P1]),  # the same firm again: a false hit
    _node("n-chain-cf", "Chain", "碳纤维产业", [P1], aliases=["碳纤维产业链"]),  # TP only alias to alias
    _node("n-chain-bl", "Chain", "特种玻璃", [P2]),  # TP in p2
    _node("n-person", "Person", "方志诚", [P1], props={"kind": "official"}),  # TP
    _node("n-org", "Organization", "青禾县委宣传部", [P1]),  # false hit (gold has 发改局, missed)
    _node("n-proj-a", "Project", "特种玻璃项目", [P1]),  # false hit
    _node("n-proj-b", "Project", "年产２万吨碳纤维项目", [P1]),  # TP after NFKC (full-width ２)
    _node("n-place-jb", "Place", "江北市", [OTHER]),  # only in a page without gold: not counted
    _node("n-art", "Article", "青禾县新材料产业链推进会召开", [P1]),  # articles are never scored
]
EDGES = [
    _edge("s1", "n-place-qh", "n-chain-cf", "DEVELOPS", P1),  # TP (tail through aliases)
    _edge("s2", "n-ent-a", "n-chain-cf", "CHAIN_MASTER_OF", P1),  # TP, both ends only through aliases
    _edge("s3", "n-place-cg", "n-place-qh", "LOCATED_IN", P1),  # TP (g2 -> g1)
    _edge("s4", "n-ent-b", "n-place-qh", "LOCATED_IN", P1),  # TP (g3 -> g1)
    _edge("s5", "n-org", "n-place-qh", "LOCATED_IN", P1),  # false hit
    _edge("s6", "n-ent-b", "n-proj-b", "OPERATES", P1),  # TP (g3 -> g7)
    _edge("s7", "n-person", "n-place-qh", "INSPECTED", P1),  # false hit (no gold INSPECTED)
    _edge("s8", "n-place-qh", "n-place-jb", "LOCATED_IN", OTHER),  # evidence only in a page without gold
    _edge("s9", "n-place-qh", "n-chain-bl", "DEVELOPS", P2),  # TP in p2
    _edge("s10", "n-place-qh", "n-art", "MENTIONED_IN", P1),  # never scored
]

# Entities, per type (system nodes with a mention in the page; gold entities of the page):
#   Place:        p1 sys {青禾县, 青禾县城关镇} gold {g1, g2} tp 2; p2 sys {青禾县} gold {h1} tp 1 -> 3/3/3: P 1, R 1, F1 1
#   Enterprise:   sys 2, gold 1, tp 1 (one-to-one: the duplicate is a false hit)  -> P 1/2 = .5, R 1, F1 2·1/(2+1) = .6667
#   Chain:        p1 1/1/1, p2 1/1/1                                             -> 2/2/2: 1, 1, 1
#   Person:       1/1/1                                                          -> 1, 1, 1
#   Organization: sys 1, gold 1, tp 0                                            -> 0, 0, 0
#   Project:      sys 2, gold 1, tp 1                                            -> .5, 1, .6667
#   ALL:          tp 3+1+2+1+0+1 = 8, sys 3+2+2+1+1+2 = 11, gold 3+1+2+1+1+1 = 9
#                 -> P 8/11 = .72727 -> .7273, R 8/9 = .88889 -> .8889, F1 2·8/(11+9) = .8
ENTITY_SCORES = {
    "Chain": (2, 2, 2, 1.0, 1.0, 1.0),
    "Enterprise": (1, 2, 1, 0.5, 1.0, 0.6667),
    "Organization": (0, 1, 1, 0.0, 0.0, 0.0),
    "Person": (1, 1, 1, 1.0, 1.0, 1.0),
    "Place": (3, 3, 3, 1.0, 1.0, 1.0),
    "Project": (1, 2, 1, 0.5, 1.0, 0.6667),
    "ALL": (8, 11, 9, 0.7273, 0.8889, 0.8),
}
# Relations (system edges with evidence in the page; MENTIONED_IN never counted):
#   DEVELOPS:        p1 s1 ~ g1->g4, p2 s9 ~ h1->h2   -> 2/2/2: 1, 1, 1
#   CHAIN_MASTER_OF: s2 ~ g3->g4                      -> 1/1/1: 1, 1, 1
#   LOCATED_IN:      s3 ~ g2->g1, s4 ~ g3->g1, s5 none -> tp 2, sys 3, gold 2: P 2/3 = .6667, R 1, F1 4/5 = .8
#   HOLDS_POSITION:  no system edge, gold 1           -> 0, 0, 0
#   OPERATES:        s6 ~ g3->g7                      -> 1, 1, 1
#   INSPECTED:       s7, no gold                      -> 0, 0, 0
#   ALL:             tp 2+1+2+0+1+0 = 6, sys 2+1+3+0+1+1 = 8, gold 2+1+2+1+1+0 = 7
#                    -> P 6/8 = .75, R 6/7 = .85714 -> .8571, F1 12/15 = .8
RELATION_SCORES = {
    "CHAIN_MASTER_OF": (1, 1, 1, 1.0, 1.0, 1.0),
    "DEVELOPS": (2, 2, 2, 1.0, 1.0, 1.0),
    "HOLDS_POSITION": (0, 0, 1, 0.0, 0.0, 0.0),
    "INSPECTED": (0, 1, 0, 0.0, 0.0, 0.0),
    "LOCATED_IN": (2, 3, 2, 0.6667, 1.0, 0.8),
    "OPERATES": (1, 1, 1, 1.0, 1.0, 1.0),
    "ALL": (6, 8, 7, 0.75, 0.8571, 0.8),
}


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("eval")
    gold, build = root / "gold", root / "build"
    gold.mkdir()
    build.mkdir()
    for name, record in GOLD.items():
        (gold / name).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    (build / "nodes.jsonl").write_text("".join(json.dumps(n, ensure_ascii=False) + "\n" for n in NODES), encoding="utf-8")
    (build / "edges.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in EDGES), encoding="utf-8")
    return gold, build


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *args], capture_output=True, text=True, timeout=120)


def _rows(section: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {name: (row["tp"], row["predicted"], row["gold"], row["precision"], row["recall"], row["f1"])
            for name, row in section.items()}


def test_json_scores_are_the_hand_computed_ones(pair: tuple[Path, Path]) -> None:
    gold, build = pair
    run = _kg("eval", str(gold), str(build), "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["documents"] == ["news/p1.txt", "news/p2.txt"]  # the build's paths of the gold files' documents
    assert _rows(result["entities"]) == ENTITY_SCORES
    assert _rows(result["relations"]) == RELATION_SCORES
    assert all("missed" not in row and "false_hits" not in row for row in result["entities"].values())


def test_verbose_json_lists_misses_and_false_hits(pair: tuple[Path, Path]) -> None:
    gold, build = pair
    result = json.loads(_kg("eval", str(gold), str(build), "--json", "--verbose").stdout)
    entities, relations = result["entities"], result["relations"]
    assert entities["Organization"]["missed"] == ["news/p1.txt: 青禾县发展和改革局"]
    assert entities["Organization"]["false_hits"] == ["news/p1.txt: 青禾县委宣传部"]
    assert entities["Project"]["false_hits"] == ["news/p1.txt: 特种玻璃项目"]
    # Which of the two firm nodes is the duplicate is the matcher's choice; exactly one of them is.
    assert len(entities["Enterprise"]["false_hits"]) == 1
    assert entities["Enterprise"]["false_hits"][0] in ("news/p1.txt: 华材新材料", "news/p1.txt: 青禾华材新材料有限公司")
    for label in ("Place", "Chain", "Person"):
        assert entities[label]["missed"] == [] and entities[label]["false_hits"] == []
    assert relations["LOCATED_IN"]["false_hits"] == ["news/p1.txt: 青禾县委宣传部 -> 青禾县"]
    assert relations["INSPECTED"]["false_hits"] == ["news/p1.txt: 方志诚 -> 青禾县"]
    assert relations["HOLDS_POSITION"]["missed"] == ["news/p1.txt: 方志诚 -> 青禾县发展和改革局"]
    for rel_type in ("DEVELOPS", "CHAIN_MASTER_OF", "OPERATES"):
        assert relations[rel_type]["missed"] == [] and relations[rel_type]["false_hits"] == []


def test_verbose_table_lists_each_miss_and_false_hit(pair: tuple[Path, Path]) -> None:
    gold, build = pair
    run = _kg("eval", str(gold), str(build), "--verbose")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "  ALL                0.727   0.889   0.800     8    11     9" in lines  # entities: 8/11, 8/9, .8
    assert "  LOCATED_IN         0.667   1.000   0.800     2     3     2" in lines
    misses = sorted(line for line in lines if line.startswith("MISS"))
    false_hits = sorted(line for line in lines if line.startswith("FALSE"))
    assert misses == sorted([
        "MISS  entity Organization: news/p1.txt: 青禾县发展和改革局",
        "MISS  relation HOLDS_POSITION: news/p1.txt: 方志诚 -> 青禾县发展和改革局",
    ])
    assert len(false_hits) == 5
    assert {line for line in false_hits if "Enterprise" not in line} == {
        "FALSE entity Organization: news/p1.txt: 青禾县委宣传部",
        "FALSE entity Project: news/p1.txt: 特种玻璃项目",
        "FALSE relation LOCATED_IN: news/p1.txt: 青禾县委宣传部 -> 青禾县",
        "FALSE relation INSPECTED: news/p1.txt: 方志诚 -> 青禾县",
    }
    # Without --verbose the table has no such lines.
    assert not [line for line in _kg("eval", str(gold), str(build)).stdout.splitlines() if line.startswith(("MISS", "FALSE"))]


def test_errors_are_one_line_with_their_exit_codes(pair: tuple[Path, Path], tmp_path: Path) -> None:
    gold, build = pair
    empty_gold = tmp_path / "no-gold"
    empty_gold.mkdir()
    run = _kg("eval", str(empty_gold), str(build))
    assert run.returncode == InputError.exit_code
    assert run.stderr == f"kg: error: {empty_gold}: no *.gold.json files\n"

    articles_only = tmp_path / "articles-only"
    articles_only.mkdir()
    (articles_only / "nodes.jsonl").write_text(json.dumps(NODES[-1], ensure_ascii=False) + "\n", encoding="utf-8")
    (articles_only / "edges.jsonl").write_text("", encoding="utf-8")
    run = _kg("eval", str(gold), str(articles_only))
    assert run.returncode == ContractError.exit_code
    assert run.stderr == f"kg: error: {articles_only}: the build has no entity nodes\n"


def test_normalise_and_prf_by_hand() -> None:
    assert normalise(" “青禾”县 ") == "青禾县"  # whitespace and quotes go
    assert normalise("年产２万吨（一期）") == "年产2万吨(一期)"  # NFKC: full-width digits and brackets
    assert prf(8, 11, 9) == (0.7273, 0.8889, 0.8)
    assert prf(0, 0, 3) == (0.0, 0.0, 0.0)  # nothing predicted: 0, not a division error
    assert prf(0, 2, 0) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ([1, 2], "expected a JSON object"),
        ({"file": "p1.txt", "entities": {"g1": "青禾县"}}, "'entities' and 'relations' must be lists"),
        ({"file": "p1.txt", "entities": [{"id": "g1", "name": "青禾县"}]}, "entity 1 needs a string id, type and name"),
        ({"file": "p1.txt", "entities": [{"id": "g1", "type": "Enterprise", "name": "青禾华材新材料有限公司", "aliases": "华材"}]},
         "entity g1: aliases must be a list of strings"),  # one string would match every single character
        ({"file": "p1.txt", "entities": [{"id": "g1", "type": "Place", "name": "青禾县"}],
          "relations": [{"type": "LOCATED_IN", "head": "g1", "tail": "g9", "evidence": "青禾县"}]},
         "relation 1 (LOCATED_IN): tail 'g9' is not an entity id"),
        ({"file": "p1.txt", "entities": [], "relations": [{"head": "g1", "tail": "g2"}]}, "relation 1 needs a string type"),
    ],
    ids=["not-object", "entities-mapping", "no-type", "alias-string", "unknown-tail", "no-relation-type"],
)
def test_malformed_gold_file_is_a_one_line_error_naming_it(pair: tuple[Path, Path], tmp_path: Path, record: Any,
                                                            problem: str) -> None:
    _, build = pair
    gold = tmp_path / "gold"
    gold.mkdir()
    path = gold / "p1.gold.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    run = _kg("eval", str(gold), str(build))
    assert run.returncode == InputError.exit_code
    assert run.stderr == f"kg: error: {path}: {problem}\n"
