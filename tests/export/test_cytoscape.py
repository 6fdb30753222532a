"""Cytoscape.js JSON: validates against the elements shape, refers only to its own nodes, keeps values."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from kg.export import export
from kg.graph import read_graph

SCHEMA = json.loads((Path(__file__).parent / "cytoscape.schema.json").read_text(encoding="utf-8"))


def exported(build_dir: Path, out: Path, **options: object) -> dict:
    export("cytoscape", build_dir, out, **options)
    return json.loads(out.read_text(encoding="utf-8"))


def check_shape(document: dict) -> None:
    jsonschema.validate(document, SCHEMA)
    node_ids = [n["data"]["id"] for n in document["elements"]["nodes"]]
    edge_ids = [e["data"]["id"] for e in document["elements"]["edges"]]
    assert len(set(node_ids)) == len(node_ids)
    assert len(set(edge_ids)) == len(edge_ids)
    assert not set(node_ids) & set(edge_ids)
    for edge in document["elements"]["edges"]:
        assert edge["data"]["source"] in node_ids and edge["data"]["target"] in node_ids


def test_the_schema_rejects_what_cytoscape_rejects() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"elements": {"nodes": [{"data": {}}], "edges": []}}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"elements": {"nodes": [], "edges": [{"data": {"id": "e", "source": "a"}}]}}, SCHEMA)


def test_tiny_build_as_cytoscape_json(tiny_build: Path, tmp_path: Path) -> None:
    document = exported(tiny_build, tmp_path / "tiny.cyjs")
    check_shape(document)
    nodes = {n["data"]["id"]: n for n in document["elements"]["nodes"]}
    edges = {e["data"]["id"]: e["data"] for e in document["elements"]["edges"]}
    assert len(nodes) == 12 and len(edges) == 23
    enterprise = nodes["e1"]["data"]
    assert enterprise["label"] == "Enterprise"
    assert enterprise["name"] == "万华化学集团股份有限公司"
    assert enterprise["aliases"] == ["万华化学"]
    assert enterprise["honours"] == ["制造业单项冠军", "专精特新"]
    assert enterprise["color"] == "#D55E00"
    assert enterprise["degree"] == 6
    assert set(nodes["e1"]["position"]) == {"x", "y"}
    assert nodes["j1"]["data"]["investment_yuan"] == 500000000
    assert nodes["j1"]["data"]["investment_approx"] is False
    assert "date" not in nodes["a2"]["data"]  # a null property is left out
    assert nodes["p2"]["data"]["parent_name"] == "烟台市"  # Cytoscape.js would take "parent" for a compound node
    assert "parent" not in nodes["p2"]["data"]
    visit = edges["in2"]
    assert (visit["source"], visit["target"], visit["type"], visit["date"]) == ("h1", "e1", "INSPECTED", "--03-05")
    assert visit["evidence"][0] == {"doc": "b.txt", "start": 50, "end": 68, "sentence": "张体信再次到万华化学调研新材料项目。"}
    assert document["data"]["nodes"] == 12 and document["data"]["total_edges"] == 23


def test_sample_build_as_cytoscape_json(sample_build: Path, tmp_path: Path) -> None:
    source = read_graph(sample_build)
    document = exported(sample_build, tmp_path / "sample.cyjs")
    check_shape(document)
    assert len(document["elements"]["nodes"]) == source.number_of_nodes()
    assert len(document["elements"]["edges"]) == source.number_of_edges()


def test_a_selection_as_cytoscape_json(tiny_build: Path, tmp_path: Path) -> None:
    document = exported(tiny_build, tmp_path / "chain.cyjs", chain=("化工新材料",), depth=1)
    check_shape(document)
    assert {n["data"]["name"] for n in document["elements"]["nodes"]} == {
        "化工新材料", "万华化学集团股份有限公司", "烟台市", "牟平区培育壮大产业体系"}
    assert document["data"]["selection"] == "around Chain 化工新材料 within 1 hop"
