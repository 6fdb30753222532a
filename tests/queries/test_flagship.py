"""The flagship question on the sample pages, on both stores, against the answer read by hand.

Page 003 (菏泽市牡丹区委统战部"三聚焦"擦亮统战品牌): the town 吴店镇 (牡丹区, 菏泽市) "先行策划引进英搏尔电气、
亿华智能装备、山东鑫俸源等'链主'企业 … 后续吸引落地碳纳米管、兴泰阀门、亚电新能源等上下游配套项目": three chain-master
firms of the chain 新能源汽车及汽车零部件 (the town's core industry, so the chain is inferred), and three supporting
projects, each of which SUPPORTS each of the three chain masters. The extraction may name a firm by its full
legal name; a row counts when the hand-checked short name is the node's name or one of its aliases.
"""

from __future__ import annotations

from pathlib import Path

from kg.graph import read_nodes
from kg.queries import bind, named
from loaders import QueryResult, embedded
from loaders.neo4j import BoltStore, load_build

CHAIN = "新能源汽车及汽车零部件"
PLACE = "吴店镇"
MASTERS = ("亿华智能装备", "山东鑫俸源", "英搏尔电气")
PROJECTS = ("亚电新能源", "兴泰阀门", "碳纳米管")
BY_HAND = sorted((CHAIN, PLACE, master, True, project) for master in MASTERS for project in PROJECTS)


def answers(result: QueryResult, names: dict[str, set[str]]) -> list[tuple]:
    """Rows of the flagship query with each firm and project given by its hand-checked name."""
    rows = []
    for row in result.records():
        master = [m for m in MASTERS if m in names[row["chain_master_id"]]]
        project = [p for p in PROJECTS if row["supporting_project_id"] and p in names[row["supporting_project_id"]]]
        rows.append((row["chain"], row["place"], master[0] if master else row["chain_master"], row["inferred"],
                     project[0] if project else row["supporting_project"]))
    return sorted(rows)


def test_chain_masters_of_wudian_and_their_supporting_projects(sample_dir: Path, empty_bolt: BoltStore) -> None:
    names = {r["id"]: {r["name"], *r["aliases"]} for r in read_nodes(sample_dir)}
    query = named("chain_masters")
    values = bind(query, {"place": PLACE, "chain": CHAIN})
    load_build(sample_dir, empty_bolt, max_batch_bytes=3500)
    assert answers(empty_bolt.read(query.text_for("falkordb"), values), names) == BY_HAND
    assert answers(embedded.read(sample_dir, query.text_for("ladybug"), values), names) == BY_HAND
