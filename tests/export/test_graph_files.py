"""GraphML and GEXF read back with networkx: the same counts, typed attributes, lists as JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kg.export import export
from kg.export.graph_files import edge_attributes, node_attributes
from kg.graph import read_graph

GRAPHML_NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
GEXF_NS = {"x": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}


def graphml_key_types(path: Path) -> dict[tuple[str, str], str]:
    root = ET.parse(path).getroot()
    return {(key.get("for"), key.get("attr.name")): key.get("attr.type") for key in root.findall("g:key", GRAPHML_NS)}


def gexf_attribute_types(path: Path) -> dict[tuple[str, str], str]:
    root = ET.parse(path).getroot()
    types = {}
    for block in root.iter(f"{{{GEXF_NS['x']}}}attributes"):
        for attribute in block.findall("x:attribute", GEXF_NS):
            types[(block.get("class"), attribute.get("title"))] = attribute.get("type")
    return types


@pytest.fixture(scope="module")
def tiny_graphml(tiny_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("graphml") / "tiny.graphml"
    message = export("graphml", tiny_build, out)
    assert message.startswith(f"wrote {out} (") and "12 nodes, 23 edges" in message
    return out


@pytest.fixture(scope="module")
def tiny_gexf(tiny_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gexf") / "tiny.gexf"
    export("gexf", tiny_build, out)
    return out


def test_graphml_reads_back_with_the_same_counts_and_parallel_edges(tiny_graphml: Path) -> None:
    graph = nx.read_graphml(tiny_graphml, force_multigraph=True)
    assert graph.is_directed()
    assert graph.number_of_nodes() == 12
    assert graph.number_of_edges() == 23
    assert graph.number_of_edges("h1", "e1") == 2  # two INSPECTED visits
    assert set(graph["h1"]["e1"]) == {"in1", "in2"}


def test_graphml_attributes_are_typed_and_lists_are_json(tiny_graphml: Path) -> None:
    graph = nx.read_graphml(tiny_graphml, force_multigraph=True)
    project = graph.nodes["j1"]
    assert project["label"] == project["name"] == "津药医疗项目"
    assert project["kg_label"] == "Project"
    assert project["investment_yuan"] == 500000000 and type(project["investment_yuan"]) is int
    assert project["investment_amount"] == 5.0 and type(project["investment_amount"]) is float
    assert project["investment_approx"] is False
    enterprise = graph.nodes["e1"]
    assert json.loads(enterprise["aliases"]) == ["万华化学"]
    assert json.loads(enterprise["honours"]) == ["制造业单项冠军", "专精特新"]
    assert json.loads(enterprise["docs"]) == ["a.txt", "b.txt"]
    assert enterprise["mention_count"] == 2
    assert enterprise["degree"] == 6
    visit = graph.edges["h1", "e1", "in2"]
    assert visit["label"] == visit["kg_type"] == "INSPECTED"
    assert visit["date"] == "--03-05"
    assert visit["evidence_count"] == 2
    assert [e["doc"] for e in json.loads(visit["evidence"])] == ["b.txt", "a.txt"]
    assert visit["sentence"] == "张体信再次到万华化学调研新材料项目。"
    assert graph.edges["j1", "c2", "i1"]["inferred"] is True
    assert "sentence" not in graph.edges["j1", "c2", "i1"]  # no evidence recorded
    types = graph_key_types_subset(tiny_graphml)
    assert types == {("node", "investment_yuan"): "long", ("node", "investment_amount"): "double",
                     ("node", "investment_approx"): "boolean", ("node", "aliases"): "string",
                     ("edge", "count"): "long", ("edge", "inferred"): "boolean"}


def graph_key_types_subset(path: Path) -> dict[tuple[str, str], str]:
    wanted = {("node", "investment_yuan"), ("node", "investment_amount"), ("node", "investment_approx"),
              ("node", "aliases"), ("edge", "count"), ("edge", "inferred")}
    return {key: value for key, value in graphml_key_types(path).items() if key in wanted}


def test_graphml_holds_every_attribute_of_the_flattening(tiny_build: Path, tiny_graphml: Path) -> None:
    source = read_graph(tiny_build)
    graph = nx.read_graphml(tiny_graphml, force_multigraph=True)
    for node, data in source.nodes(data=True):
        assert graph.nodes[node] == node_attributes(data, source.degree(node))
    for u, v, key, data in source.edges(keys=True, data=True):
        assert graph.edges[u, v, key] == edge_attributes(data)


def test_gexf_reads_back_with_the_same_counts_attributes_and_gephi_visuals(tiny_build: Path, tiny_gexf: Path) -> None:
    source = read_graph(tiny_build)
    graph = nx.read_gexf(tiny_gexf)
    assert graph.number_of_nodes() == 12
    assert graph.number_of_edges() == 23
    for node, data in source.nodes(data=True):
        read = dict(graph.nodes[node])
        viz = read.pop("viz")
        assert read == node_attributes(data, source.degree(node))
        assert set(viz) == {"color", "size", "position"}
    assert graph.nodes["p1"]["viz"]["color"] == {"r": 0, "g": 114, "b": 178, "a": 1.0}  # Place blue, #0072B2
    visit = graph.edges["h1", "e1", "in2"]
    assert visit["label"] == visit["kg_type"] == "INSPECTED"
    assert json.loads(visit["evidence"])[0]["sentence"] == "张体信再次到万华化学调研新材料项目。"
    types = gexf_attribute_types(tiny_gexf)
    assert types[("node", "investment_yuan")] == "long"
    assert types[("node", "investment_amount")] == "double"
    assert types[("node", "investment_approx")] == "boolean"
    assert types[("edge", "inferred")] == "boolean"
    assert types[("node", "kg_label")] == "string"


@pytest.mark.parametrize("format_name", ["graphml", "gexf"])
def test_the_sample_build_round_trips(format_name: str, sample_build: Path, tmp_path: Path) -> None:
    source = read_graph(sample_build)
    out = tmp_path / f"sample.{format_name}"
    export(format_name, sample_build, out)
    graph = nx.read_graphml(out, force_multigraph=True) if format_name == "graphml" else nx.read_gexf(out)
    assert graph.number_of_nodes() == source.number_of_nodes()
    assert graph.number_of_edges() == source.number_of_edges()
    assert {n: d["kg_label"] for n, d in graph.nodes(data=True)} == {n: d["label"] for n, d in source.nodes(data=True)}
    read_types = sorted(d["kg_type"] for _, _, d in graph.edges(data=True))
    assert read_types == sorted(d["type"] for _, _, d in source.edges(data=True))


def test_a_selection_is_exported(tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "yantai.graphml"
    message = export("graphml", tiny_build, out, place=("烟台市",), depth=1)
    assert "6 of 12 nodes" in message and "around Place 烟台市 within 1 hop" in message
    assert nx.read_graphml(out).number_of_nodes() == 6
