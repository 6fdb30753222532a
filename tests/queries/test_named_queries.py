"""Every named query on both stores — FalkorDB over Bolt and the embedded LadybugDB store — against
a small hand-made build whose answers were worked out by hand below (the flagship question on the
sample pages is in test_flagship.py).

The hand-made graph (→ is LOCATED_IN unless named):

    菏泽市 (alias 菏泽) ← 牡丹区 ← 吴店镇;  牡丹区 ← WEIRD (a town whose name holds ' " \\ } and a newline)
    烟台市 ← 牟平区
    吴店镇 DEVELOPS 新能源汽车及汽车零部件 (alias 新能源汽车) 核心, 高端装备制造 主导
    菏泽市 DEVELOPS 生物医药 重点 千亿级; 烟台市 DEVELOPS 生物医药 主导 百亿级, 高端装备制造; 牟平区 DEVELOPS 生物医药 新兴
    菏泽市委组织部 (→ 菏泽市) DEVELOPS 高端装备制造 重点
    英搏尔电气 (alias 珠海英搏尔电气股份有限公司), 亿华智能装备, 山东鑫俸源 → 吴店镇, each CHAIN_MASTER_OF 新能源汽车… (inferred)
    碳纳米管, 兴泰阀门, 亚电新能源 (projects → 吴店镇) each SUPPORTS each of the three chain masters
    配套件厂 (→ WEIRD) SUPPORTS 英搏尔电气;  无投资项目 (→ 吴店镇) IN_CHAIN 高端装备制造
    石药百克 (→ 牟平区) LEADS_CHAIN 生物医药 (龙头), IN_CHAIN 生物医药, OPERATES 津药医疗
    津药医疗 (→ 牟平区, 27亿元, started) and 生物医药产业园 (→ 菏泽市, 5亿元, planned) IN_CHAIN 生物医药
    王军 INSPECTED 英搏尔电气 2024-02-12 调研, 津药医疗 --03-01 观摩; HOLDS_POSITION 菏泽市委组织部
    张体信 INSPECTED 吴店镇 2023-12-01 督导
    英搏尔电气 MENTIONED_IN the article 吴店镇打造产业生态圈
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.queries import bind, catalogue, named
from loaders import QueryResult, embedded
from loaders.embedded import refresh_store
from loaders.neo4j import BoltStore, load_build

WEIRD = "河'东\"镇 \\ {园} }\n二号"
CHAIN_MASTER_SENTENCE = "先行策划引进英搏尔电气、亿华智能装备、山东鑫俸源等\"链主\"企业。"
EV = "新能源汽车及汽车零部件"


def hand_graph(hand: Any) -> tuple[list, list]:
    n, e = hand.node, hand.edge
    nodes = [
        n("hz", "Place", "菏泽市", {"kind": "city"}, aliases=["菏泽"]),
        n("md", "Place", "牡丹区", {"kind": "district", "parent": "菏泽市"}),
        n("wd", "Place", "吴店镇", {"kind": "town", "parent": "牡丹区"}),
        n("wq", "Place", WEIRD, {"kind": "town"}),
        n("yt", "Place", "烟台市", {"kind": "city"}),
        n("mp", "Place", "牟平区", {"kind": "district"}),
        n("ev", "Chain", EV, {}, aliases=["新能源汽车"]),
        n("bio", "Chain", "生物医药", {}),
        n("eq", "Chain", "高端装备制造", {}),
        n("e1", "Enterprise", "英搏尔电气", {"roles": ["chain_master"]}, aliases=["珠海英搏尔电气股份有限公司"]),
        n("e2", "Enterprise", "亿华智能装备", {"roles": ["chain_master"]}),
        n("e3", "Enterprise", "山东鑫俸源", {"roles": ["chain_master"]}),
        n("e4", "Enterprise", "石药百克", {"roles": ["leading"]}),
        n("e5", "Enterprise", "配套件厂", {"roles": ["supporting"]}),
        n("j1", "Project", "碳纳米管", {}),
        n("j2", "Project", "兴泰阀门", {}),
        n("j3", "Project", "亚电新能源", {}),
        n("j4", "Project", "津药医疗", {"investment_yuan": 2_700_000_000, "investment_text": "27亿元", "status": "started"}),
        n("j5", "Project", "生物医药产业园", {"investment_yuan": 500_000_000, "investment_text": "5亿元", "status": "planned"}),
        n("j6", "Project", "无投资项目", {}),
        n("wj", "Person", "王军", {"kind": "official", "titles": ["市委常委", "组织部部长"]}),
        n("zt", "Person", "张体信", {"kind": "official"}),
        n("o1", "Organization", "菏泽市委组织部", {"kind": "party"}),
        n("a1", "Article", "吴店镇打造产业生态圈", {"doc": "003.txt", "index": 2, "start": 2400, "end": 3500}),
    ]
    edges = [
        e("l-md", "md", "hz", "LOCATED_IN"), e("l-wd", "wd", "md", "LOCATED_IN"), e("l-wq", "wq", "md", "LOCATED_IN"),
        e("l-mp", "mp", "yt", "LOCATED_IN"), e("l-o1", "o1", "hz", "LOCATED_IN"),
        e("l-e4", "e4", "mp", "LOCATED_IN"), e("l-e5", "e5", "wq", "LOCATED_IN", {}, [("003.txt", 1, 5, WEIRD)]),
        e("l-j4", "j4", "mp", "LOCATED_IN"), e("l-j5", "j5", "hz", "LOCATED_IN"), e("l-j6", "j6", "wd", "LOCATED_IN"),
        e("d-wd-ev", "wd", "ev", "DEVELOPS", {"tier": "核心"}), e("d-wd-eq", "wd", "eq", "DEVELOPS", {"tier": "主导"}),
        e("d-hz-bio", "hz", "bio", "DEVELOPS", {"tier": "重点", "scale": "千亿级"}),
        e("d-yt-bio", "yt", "bio", "DEVELOPS", {"tier": "主导", "scale": "百亿级"}),
        e("d-yt-eq", "yt", "eq", "DEVELOPS"), e("d-mp-bio", "mp", "bio", "DEVELOPS", {"tier": "新兴"}),
        e("d-o1-eq", "o1", "eq", "DEVELOPS", {"tier": "重点"}),
        e("s-e5-e1", "e5", "e1", "SUPPORTS"), e("c-j6", "j6", "eq", "IN_CHAIN"),
        e("lead-e4", "e4", "bio", "LEADS_CHAIN", {"role": "龙头"}), e("c-e4", "e4", "bio", "IN_CHAIN"),
        e("op-e4-j4", "e4", "j4", "OPERATES"), e("c-j4", "j4", "bio", "IN_CHAIN"), e("c-j5", "j5", "bio", "IN_CHAIN"),
        e("i-wj-e1", "wj", "e1", "INSPECTED", {"date": "2024-02-12", "verb": "调研"}),
        e("i-wj-j4", "wj", "j4", "INSPECTED", {"date": "--03-01", "verb": "观摩"}),
        e("i-zt-wd", "zt", "wd", "INSPECTED", {"date": "2023-12-01", "verb": "督导"}),
        e("h-wj", "wj", "o1", "HOLDS_POSITION", {"title": "组织部部长"}),
        e("m-e1", "e1", "a1", "MENTIONED_IN", {"count": 2}),
    ]
    for master in ("e1", "e2", "e3"):
        edges.append(e(f"l-{master}", master, "wd", "LOCATED_IN"))
        edges.append(e(f"cm-{master}", master, "ev", "CHAIN_MASTER_OF", {"inferred": True},
                       [("003.txt", 3025, 3060, CHAIN_MASTER_SENTENCE)]))
        for project in ("j1", "j2", "j3"):
            edges.append(e(f"s-{project}-{master}", project, master, "SUPPORTS"))
    edges += [e(f"l-{project}", project, "wd", "LOCATED_IN") for project in ("j1", "j2", "j3")]
    return nodes, edges


@pytest.fixture(scope="module")
def stores(session_hand: Any, bolt: BoltStore) -> tuple[BoltStore, Path]:
    """The hand-made build, loaded over Bolt and into its embedded store."""
    folder = session_hand.build(*hand_graph(session_hand), name="queries")
    refresh_store(folder)
    bolt.write("MATCH (n) DETACH DELETE n", {})
    load_build(folder, bolt, max_batch_bytes=3500)
    return bolt, folder


def run_both(stores: tuple[BoltStore, Path], name: str, given: dict[str, str]) -> tuple[QueryResult, QueryResult]:
    bolt, folder = stores
    query = named(name)
    values = bind(query, given)
    return bolt.read(query.text_for("falkordb"), values), embedded.read(folder, query.text_for("ladybug"), values)


def picked(result: QueryResult, columns: list[str]) -> list[tuple]:
    """The chosen columns of every row, sorted (each store orders ties its own way)."""
    index = [result.columns.index(c) for c in columns]
    return sorted((tuple(tuple(v) if isinstance(v, list) else v for v in (row[i] for i in index)) for row in result.rows),
                  key=lambda t: json.dumps(t, ensure_ascii=False))


MASTERS = ("亿华智能装备", "山东鑫俸源", "英搏尔电气")
PROJECTS = ("亚电新能源", "兴泰阀门", "碳纳米管")
FLAGSHIP = [(EV, "吴店镇", m, True, p) for m in MASTERS for p in PROJECTS]
ROWS_PLACE = ["within", "label", "name"]

# (query, parameters, columns compared, the rows worked out by hand from the graph above)
CASES: list[tuple[str, dict[str, str], list[str], list[tuple]]] = [
    ("chain_masters", {}, ["chain", "place", "chain_master", "inferred", "supporting_project"], FLAGSHIP),
    ("chain_masters", {"place": "吴店镇", "chain": "新能源汽车"}, ["chain", "place", "chain_master", "inferred", "supporting_project"],
     FLAGSHIP),
    ("chain_masters", {"place": "烟台市"}, ["chain_master"], []),
    ("place_chains", {"place": "吴店镇"}, ["place", "chain", "tier", "scale"],
     [("吴店镇", EV, "核心", None), ("吴店镇", "高端装备制造", "主导", None)]),
    ("place_chains", {"place": "菏泽"}, ["place", "chain", "tier", "scale"], [("菏泽市", "生物医药", "重点", "千亿级")]),
    ("place_chains", {}, ["place", "chain"],
     [("吴店镇", EV), ("吴店镇", "高端装备制造"), ("烟台市", "生物医药"), ("烟台市", "高端装备制造"), ("牟平区", "生物医药"),
      ("菏泽市", "生物医药")]),
    ("inspections", {}, ["date", "official", "titles", "verb", "inspected"],
     [("--03-01", "王军", ("市委常委", "组织部部长"), "观摩", "津药医疗"), ("2023-12-01", "张体信", (), "督导", "吴店镇"),
      ("2024-02-12", "王军", ("市委常委", "组织部部长"), "调研", "英搏尔电气")]),
    ("inspections", {"since": "2024-01-01"}, ["date", "inspected"], [("--03-01", "津药医疗"), ("2024-02-12", "英搏尔电气")]),
    ("inspections", {"person": "王军"}, ["date", "inspected"], [("--03-01", "津药医疗"), ("2024-02-12", "英搏尔电气")]),
    ("project_investment", {}, ["chain", "place", "project", "investment_yuan", "investment_text", "status"],
     [("生物医药", "牟平区", "津药医疗", 2_700_000_000, "27亿元", "started"),
      ("生物医药", "菏泽市", "生物医药产业园", 500_000_000, "5亿元", "planned")]),
    ("project_investment", {"min_yuan": "1000000000"}, ["project"], [("津药医疗",)]),
    ("project_investment", {"place": "菏泽"}, ["project"], [("生物医药产业园",)]),
    ("enterprise_neighbourhood", {"enterprise": "珠海英搏尔电气股份有限公司"},
     ["enterprise", "relation", "direction", "neighbour_label", "neighbour", "evidence"],
     [("英搏尔电气", "CHAIN_MASTER_OF", "out", "Chain", EV, 1),
      ("英搏尔电气", "INSPECTED", "in", "Person", "王军", 1),
      ("英搏尔电气", "LOCATED_IN", "out", "Place", "吴店镇", 1),
      ("英搏尔电气", "MENTIONED_IN", "out", "Article", "吴店镇打造产业生态圈", 1),
      ("英搏尔电气", "SUPPORTS", "in", "Enterprise", "配套件厂", 1),
      ("英搏尔电气", "SUPPORTS", "in", "Project", "亚电新能源", 1),
      ("英搏尔电气", "SUPPORTS", "in", "Project", "兴泰阀门", 1),
      ("英搏尔电气", "SUPPORTS", "in", "Project", "碳纳米管", 1)]),
    ("place_contents", {"place": "牡丹区"}, ["place", *ROWS_PLACE],
     [("牡丹区", "牡丹区", "Place", "吴店镇"), ("牡丹区", "牡丹区", "Place", WEIRD),
      ("牡丹区", "吴店镇", "Enterprise", "亿华智能装备"), ("牡丹区", "吴店镇", "Enterprise", "山东鑫俸源"),
      ("牡丹区", "吴店镇", "Enterprise", "英搏尔电气"), ("牡丹区", WEIRD, "Enterprise", "配套件厂"),
      ("牡丹区", "吴店镇", "Project", "亚电新能源"), ("牡丹区", "吴店镇", "Project", "兴泰阀门"),
      ("牡丹区", "吴店镇", "Project", "碳纳米管"), ("牡丹区", "吴店镇", "Project", "无投资项目")]),
    ("place_contents", {"place": WEIRD}, ROWS_PLACE, [(WEIRD, "Enterprise", "配套件厂")]),
    ("place_contents", {"place": "菏泽市"}, ["label", "name"],
     [("Enterprise", "亿华智能装备"), ("Enterprise", "山东鑫俸源"), ("Enterprise", "英搏尔电气"), ("Enterprise", "配套件厂"),
      ("Organization", "菏泽市委组织部"), ("Place", "吴店镇"), ("Place", "牡丹区"), ("Place", WEIRD),
      ("Project", "亚电新能源"), ("Project", "兴泰阀门"), ("Project", "无投资项目"), ("Project", "生物医药产业园"),
      ("Project", "碳纳米管")]),
    ("relation_evidence", {"source": "英搏尔电气", "relation": "CHAIN_MASTER_OF", "target": "新能源汽车"},
     ["source", "relation", "target", "evidence"],
     [("英搏尔电气", "CHAIN_MASTER_OF", EV,
       json.dumps({"doc": "003.txt", "end": 3060, "sentence": CHAIN_MASTER_SENTENCE, "start": 3025},
                  ensure_ascii=False, separators=(",", ":")))]),
    ("relation_evidence", {"source": "配套件厂"}, ["relation", "target", "evidence"],
     [("LOCATED_IN", WEIRD, json.dumps({"doc": "003.txt", "end": 5, "sentence": WEIRD, "start": 1},
                                       ensure_ascii=False, separators=(",", ":"))),
      ("SUPPORTS", "英搏尔电气", json.dumps({"doc": "hand.txt", "end": 9, "sentence": "e5 SUPPORTS e1。", "start": 0},
                                            ensure_ascii=False, separators=(",", ":")))]),
    ("shared_chains", {}, ["chain", "place", "other_place", "place_tier", "other_tier"],
     [("生物医药", "烟台市", "牟平区", "主导", "新兴"), ("生物医药", "烟台市", "菏泽市", "主导", "重点"),
      ("生物医药", "牟平区", "菏泽市", "新兴", "重点"), ("高端装备制造", "吴店镇", "烟台市", "主导", None)]),
    ("shared_chains", {"place": "菏泽"}, ["chain", "place", "other_place"],
     [("生物医药", "菏泽市", "烟台市"), ("生物医药", "菏泽市", "牟平区")]),
    ("chain_overview", {"chain": "生物医药"}, ["relation", "label", "name", "detail"],
     [("DEVELOPS", "Place", "烟台市", "主导"), ("DEVELOPS", "Place", "牟平区", "新兴"), ("DEVELOPS", "Place", "菏泽市", "重点"),
      ("IN_CHAIN", "Enterprise", "石药百克", ""), ("IN_CHAIN", "Project", "津药医疗", ""),
      ("IN_CHAIN", "Project", "生物医药产业园", ""), ("LEADS_CHAIN", "Enterprise", "石药百克", "龙头")]),
    ("chain_overview", {"chain": "高端装备制造"}, ["relation", "label", "name", "detail"],
     [("DEVELOPS", "Organization", "菏泽市委组织部", "重点"), ("DEVELOPS", "Place", "吴店镇", "主导"),
      ("DEVELOPS", "Place", "烟台市", None), ("IN_CHAIN", "Project", "无投资项目", "")]),
]


def test_the_cases_cover_every_named_query() -> None:
    assert {case[0] for case in CASES} == set(catalogue())
    assert len(catalogue()) >= 8


@pytest.mark.parametrize(("name", "given", "columns", "expected"), CASES,
                         ids=[f"{c[0]}-{'-'.join(c[1]) or 'all'}" for c in CASES])
def test_named_query_gives_the_hand_checked_answer_on_both_stores(stores, name: str, given: dict[str, str],
                                                                  columns: list[str], expected: list[tuple]) -> None:
    over_bolt, embedded_result = run_both(stores, name, given)
    assert over_bolt.columns == embedded_result.columns
    assert picked(over_bolt, columns) == picked(embedded_result, columns) == sorted(
        expected, key=lambda t: json.dumps(t, ensure_ascii=False))
    assert picked(over_bolt, over_bolt.columns) == picked(embedded_result, embedded_result.columns)


def test_id_columns_hold_the_ids_of_the_build(stores) -> None:
    over_bolt, _ = run_both(stores, "chain_masters", {})
    assert picked(over_bolt, ["chain_id", "place_id"]) == [("ev", "wd")] * 9
    assert {row[over_bolt.columns.index("chain_master_id")] for row in over_bolt.rows} == {"e1", "e2", "e3"}
