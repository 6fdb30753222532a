"""Subgraph selection on the hand-made build, whose hop counts are worked out in conftest.py."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.errors import ExportError, QueryError, StoreError
from kg.export.select import Selection, find_nodes, load_selected, select
from kg.graph import read_graph


def names(selected_graph: nx.MultiDiGraph) -> set[str]:
    return {data["name"] for _, data in selected_graph.nodes(data=True)}


def test_no_option_selects_the_whole_build(tiny_build: Path) -> None:
    selected = load_selected(tiny_build, {})
    whole = read_graph(tiny_build)
    assert selected.graph.number_of_nodes() == whole.number_of_nodes() == 12
    assert selected.graph.number_of_edges() == whole.number_of_edges() == 23
    assert selected.selection.describe() == "whole build"
    assert selected.counts_line() == "12 nodes, 23 edges"
    assert selected.corpus == "tiny"


def test_labels_keep_those_nodes_and_the_edges_between_them(tiny_build: Path) -> None:
    selected = load_selected(tiny_build, {"label": ("Place,chain",)})
    assert names(selected.graph) == {"烟台市", "牟平区", "北京市", "化工新材料", "生物医药"}
    types = sorted(data["type"] for _, _, data in selected.graph.edges(data=True))
    assert types == ["DEVELOPS", "DEVELOPS", "LOCATED_IN"]
    assert selected.counts_line() == "5 of 12 nodes, 3 of 23 edges"


def test_an_unknown_label_is_refused_with_the_known_ones(tiny_build: Path) -> None:
    with pytest.raises(ExportError, match="unknown label Company .*known: Place, Enterprise"):
        load_selected(tiny_build, {"label": ("Company",)})


def test_a_place_seed_takes_its_neighbours(tiny_build: Path) -> None:
    selected = load_selected(tiny_build, {"place": ("烟台市",), "depth": 1})
    assert names(selected.graph) == {"烟台市", "牟平区", "万华化学集团股份有限公司", "化工新材料", "烟台市工业和信息化局",
                                     "牟平区培育壮大产业体系"}
    assert selected.seeds == ("p1",)
    assert selected.selection.describe() == "around Place 烟台市 within 1 hop"


def test_depth_two_does_not_walk_through_articles(tiny_build: Path) -> None:
    selected = load_selected(tiny_build, {"place": ("烟台",), "depth": 2})  # 烟台 is an alias of 烟台市
    reached = names(selected.graph)
    assert reached == {"烟台市", "牟平区", "万华化学集团股份有限公司", "化工新材料", "烟台市工业和信息化局",
                       "牟平区培育壮大产业体系", "津药医疗项目", "生物医药", "生物医药专题", "张体信"}
    assert "烟台市发展和改革委员会" not in reached  # only mentioned in the article one hop away


def test_an_article_seed_is_walked(tiny_build: Path) -> None:
    selected = load_selected(tiny_build, {"node": ("生物医药专题",), "depth": 1})
    assert names(selected.graph) == {"生物医药专题", "牟平区", "生物医药", "北京市", "万华化学集团股份有限公司"}


def test_a_chain_seed_and_an_alias_of_any_node(tiny_build: Path) -> None:
    chain = load_selected(tiny_build, {"chain": ("生物医药",), "depth": 1, "label": ("Place,Project,Chain",)})
    assert names(chain.graph) == {"生物医药", "牟平区", "津药医疗项目"}
    enterprise = load_selected(tiny_build, {"node": ("万华化学",), "depth": 0})
    assert names(enterprise.graph) == {"万华化学集团股份有限公司"}


def test_limit_keeps_the_seed_then_the_best_connected_neighbours(tiny_build: Path) -> None:
    selected = load_selected(tiny_build, {"place": ("烟台市",), "depth": 2, "limit": 3})
    # Distance 1 from 烟台市: 牟平区, 万华化学, 化工新材料, 工信局 and article a1. Their degrees within the
    # depth-2 selection: a1 7 (mentions from all but 发改委 and 北京市), 万华化学 6 (LOCATED_IN, CHAIN_MASTER_OF,
    # two INSPECTED, two MENTIONED_IN), 牟平区 5, 化工新材料 3, 工信局 3: the two best connected stay.
    kept = names(selected.graph)
    assert len(kept) == 3
    assert "烟台市" in kept
    assert "牟平区培育壮大产业体系" in kept
    assert "万华化学集团股份有限公司" in kept


def test_an_unknown_seed_suggests_names_that_contain_it(tiny_build: Path) -> None:
    with pytest.raises(ExportError, match="no Place named '牟平' in this build; did you mean 牟平区"):
        load_selected(tiny_build, {"place": ("牟平",)})
    with pytest.raises(ExportError, match="--chain"):
        load_selected(tiny_build, {"chain": ("半导体",)})


def test_find_nodes_matches_ids_names_and_aliases_after_folding() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("n1", label="Enterprise", name="ＡＢＣ科技", aliases=["abc"])
    graph.add_node("n2", label="Place", name="abc", aliases=[])
    assert find_nodes(graph, "abc科技") == ["n1"]
    assert find_nodes(graph, "ABC") == ["n1", "n2"]
    assert find_nodes(graph, "abc", "Place") == ["n2"]
    assert find_nodes(graph, "n1") == ["n1"]


def test_a_selection_that_matches_nothing_is_refused() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("p", label="Place", name="烟台市", aliases=[])
    with pytest.raises(ExportError, match="matches no node"):
        select(graph, Selection(labels=("Person",)))


def test_bad_depth_and_limit_are_refused() -> None:
    with pytest.raises(ExportError, match="--depth"):
        Selection.from_options({"depth": -1})
    with pytest.raises(ExportError, match="--limit"):
        Selection.from_options({"limit": 0})


def test_a_named_query_returning_relations_keeps_those_relations(tiny_store_build: Path) -> None:
    selected = load_selected(tiny_store_build, {"query": "enterprise_neighbourhood", "params": {"enterprise": "万华化学"}})
    assert names(selected.graph) == {"万华化学集团股份有限公司", "烟台市", "化工新材料", "张体信", "牟平区培育壮大产业体系",
                                     "生物医药专题"}
    # its six relations, not 烟台市 DEVELOPS 化工新材料 nor the other mentions between the same nodes
    assert sorted(k for _, _, k in selected.graph.edges(keys=True)) == ["in1", "in2", "l2", "m1", "mi-e1-a1", "mi-e1-a2"]
    assert selected.selection.describe() == "query enterprise_neighbourhood(enterprise=万华化学)"


def test_a_named_query_returning_nodes_keeps_the_edges_between_them(tiny_store_build: Path) -> None:
    selected = load_selected(tiny_store_build, {"query": "place_chains"})
    assert names(selected.graph) == {"烟台市", "化工新材料", "牟平区", "生物医药"}
    assert sorted(k for _, _, k in selected.graph.edges(keys=True)) == ["d1", "d2", "l1"]


def test_other_options_narrow_a_query_result(tiny_store_build: Path) -> None:
    selected = load_selected(tiny_store_build, {"query": "place_chains", "label": ("Chain",)})
    assert names(selected.graph) == {"化工新材料", "生物医药"}


def test_query_errors_say_what_to_do(tiny_build: Path, tiny_store_build: Path) -> None:
    with pytest.raises(StoreError, match="no embedded store"):
        load_selected(tiny_build, {"query": "place_chains"})
    with pytest.raises(QueryError, match="no named query 'no_such_query'"):
        load_selected(tiny_store_build, {"query": "no_such_query"})
    with pytest.raises(ExportError, match="returned no node of this build; try `kg query place_chains"):
        load_selected(tiny_store_build, {"query": "place_chains", "params": {"place": "上海市"}})
    with pytest.raises(ExportError, match="--param gives a parameter of --query"):
        load_selected(tiny_store_build, {"params": {"place": "烟台市"}})
