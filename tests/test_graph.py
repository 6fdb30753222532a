"""Stable ids, the build-directory contract, its atomic writer and its reader (``kg.graph``).

The graphs here are small and hand-made; every expected record is written out
in the test from the values it put in.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import ContractError, SchemaError
from kg.graph import (
    CONTRACT_FILES,
    BuildWriter,
    assemble,
    counts,
    read_edges,
    read_graph,
    read_nodes,
    write_build,
)
from kg.ids import edge_id, node_id, stable_id
from kg.model import Edge, Entity

NODE_KEYS = {"id", "label", "name", "aliases", "props", "mentions"}
EDGE_KEYS = {"id", "source", "target", "type", "props", "evidence"}
SENTENCE = "青禾县重点发展碳纤维产业链。"


def test_stable_id_is_the_documented_hash() -> None:
    # sha1 of the parts joined by U+001F, first 16 hex digits (the docstring's definition).
    assert stable_id("Place", "青禾县") == hashlib.sha1("Place\x1f青禾县".encode("utf-8")).hexdigest()[:16]
    assert node_id("Place", "青禾县") == stable_id("Place", "青禾县")
    assert edge_id("DEVELOPS", "a", "b") == stable_id("DEVELOPS", "a", "b", "")


def test_ids_are_stable_and_discriminating() -> None:
    assert node_id("Chain", "碳纤维") == node_id("Chain", "碳纤维")
    ids = {node_id("Chain", "碳纤维"), node_id("Enterprise", "碳纤维"), node_id("Chain", "特种玻璃"),
           node_id("Chain", "碳纤维 ")}
    assert len(ids) == 4  # another label, another key, even one space more: another id
    assert stable_id("ab", "c") != stable_id("a", "bc")  # the separator keeps parts apart
    assert edge_id("HOLDS_POSITION", "h1", "o1", "县长") != edge_id("HOLDS_POSITION", "h1", "o1", "副书记")
    assert edge_id("LOCATED_IN", "a", "b") != edge_id("LOCATED_IN", "b", "a")


def _entities() -> list[Entity]:
    return [
        Entity("p1", "Place", "青禾县", ["青禾"], {"kind": "county", "parent": "江北市"}, [{"doc": "a.txt", "start": 0, "end": 3}]),
        Entity("c1", "Chain", "碳纤维", ["碳纤维产业链"], {}, [{"doc": "a.txt", "start": 8, "end": 14}]),
        Entity("e1", "Enterprise", 'A&B <"华材">有限公司', [], {"roles": ["chain_master"], "honours": []},
               [{"doc": "sub/b.txt", "start": 5, "end": 18}]),
        Entity("j1", "Project", "年产两万吨碳纤维项目", [],
               {"investment_yuan": 1_200_000_000, "investment_amount": 12.0, "investment_currency": "CNY",
                "investment_approx": False, "status": "started"}, [{"doc": "a.txt", "start": 20, "end": 30}]),
    ]


def _edges() -> list[Edge]:
    return [
        Edge("r2", "p1", "c1", "DEVELOPS", {"tier": "重点"}, [{"doc": "a.txt", "start": 0, "end": 14, "sentence": SENTENCE}]),
        Edge("r1", "e1", "p1", "LOCATED_IN", {"basis": "text"},
             [{"doc": "sub/b.txt", "start": 0, "end": 20, "sentence": "华材公司位于青禾县。"}]),
        Edge("r3", "e1", "j1", "OPERATES", {}, []),
    ]


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return assemble(_entities(), _edges())


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_write_build_writes_the_contract(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    summary = {"corpus": "hand-made", **counts(graph)}
    write_build(graph, out, summary)
    assert sorted(path.name for path in out.iterdir()) == sorted(CONTRACT_FILES)

    nodes = _lines(out / "nodes.jsonl")
    assert [n["id"] for n in nodes] == ["c1", "e1", "j1", "p1"]  # sorted by id
    assert all(set(n) == NODE_KEYS for n in nodes)
    assert nodes[3] == {"id": "p1", "label": "Place", "name": "青禾县", "aliases": ["青禾"],
                        "props": {"kind": "county", "parent": "江北市"}, "mentions": [{"doc": "a.txt", "start": 0, "end": 3}]}
    assert "青禾县" in (out / "nodes.jsonl").read_text(encoding="utf-8")  # UTF-8, not \\u escapes

    edges = _lines(out / "edges.jsonl")
    assert [e["id"] for e in edges] == ["r1", "r2", "r3"]
    assert all(set(e) == EDGE_KEYS for e in edges)
    assert edges[1] == {"id": "r2", "source": "p1", "target": "c1", "type": "DEVELOPS", "props": {"tier": "重点"},
                        "evidence": [{"doc": "a.txt", "start": 0, "end": 14, "sentence": SENTENCE}]}

    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == {
        "corpus": "hand-made",
        "nodes": {"Chain": 1, "Enterprise": 1, "Place": 1, "Project": 1},
        "edges": {"DEVELOPS": 1, "LOCATED_IN": 1, "OPERATES": 1},
    }


def test_graphml_is_valid_and_typed(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    write_build(graph, out, {})
    loaded = nx.read_graphml(out / "graph.graphml")
    assert set(loaded.nodes) == {"p1", "c1", "e1", "j1"}
    assert loaded.nodes["e1"]["name"] == 'A&B <"华材">有限公司'  # escaped in the XML, read back intact
    assert loaded.nodes["p1"]["label"] == "Place" and loaded.nodes["p1"]["mention_count"] == 1
    assert json.loads(loaded.nodes["p1"]["aliases"]) == ["青禾"]  # lists are JSON text
    assert loaded.nodes["j1"]["investment_yuan"] == 1_200_000_000  # typed long, read back as int
    assert loaded.nodes["j1"]["investment_approx"] is False
    edge = next(data for source, target, data in loaded.edges(data=True) if (source, target) == ("p1", "c1"))
    assert edge["type"] == "DEVELOPS" and edge["tier"] == "重点" and edge["sentence"] == SENTENCE


def test_read_graph_round_trips(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    write_build(graph, out, {})
    again = read_graph(out)
    assert dict(again.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(again.edges(keys=True, data="type")) == sorted(graph.edges(keys=True, data="type"))
    for source, target, key, data in graph.edges(keys=True, data=True):
        assert again.edges[source, target, key] == data
    assert [r["id"] for r in read_nodes(out)] == ["c1", "e1", "j1", "p1"]
    assert [r["id"] for r in read_edges(out)] == ["r1", "r2", "r3"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_failed_write_leaves_the_previous_build_intact(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    write_build(graph, out, {"corpus": "first"})
    before = _snapshot(out)
    # A real failure half-way: a node whose props hold a set, which JSON cannot write. Its id sorts after
    # c1 and e1, so two nodes are already in the staging files when it fails.
    broken = [*_entities(), Entity("f1", "Enterprise", "青禾玻璃有限公司", [], {"roles": {"supporting"}}, [])]
    with pytest.raises(TypeError):
        write_build(assemble(broken, _edges()), out, {"corpus": "second"})
    assert _snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build"]  # no staging folder left behind


def test_schema_failure_while_streaming_keeps_the_previous_build(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    write_build(graph, out, {"corpus": "first"})
    before = _snapshot(out)
    with pytest.raises(SchemaError, match="DEVELOPS may not run from Chain to Place"):
        with BuildWriter(out) as writer:
            for entity in _entities():
                writer.add_node(entity)
            writer.add_edge(Edge("bad", "c1", "p1", "DEVELOPS", {}, []))
            writer.commit({"corpus": "second"})
    assert _snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build"]


def test_writer_refuses_a_repeated_node_id_and_a_wrongly_typed_property(tmp_path: Path) -> None:
    with BuildWriter(tmp_path / "build") as writer:
        writer.add_node(_entities()[0])
        with pytest.raises(SchemaError, match="node id p1 written twice"):
            writer.add_node(_entities()[0])
        with pytest.raises(SchemaError, match="investment_yuan: '12亿元' is not a long"):
            writer.add_node(Entity("j2", "Project", "特种玻璃项目", [], {"investment_yuan": "12亿元"}, []))
        with pytest.raises(SchemaError, match="property 'colour' is not in the schema"):
            writer.add_node(Entity("c9", "Chain", "特种玻璃", [], {"colour": "蓝"}, []))
    assert not (tmp_path / "build").exists()  # never committed: nothing written


def test_rebuild_keeps_entries_outside_the_contract(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    write_build(graph, out, {"corpus": "first"})
    (out / "store.lbdb").write_bytes(b"embedded store")
    write_build(graph, out, {"corpus": "second"})
    assert (out / "store.lbdb").read_bytes() == b"embedded store"
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == {"corpus": "second"}


def test_build_killed_between_the_renames_is_recovered(tmp_path: Path, graph: nx.MultiDiGraph) -> None:
    out = tmp_path / "build"
    write_build(graph, out, {"corpus": "first"})
    (out / "store.lbdb").write_bytes(b"embedded store")
    # The state a build leaves when killed after moving the old output aside and before moving the new one in.
    os.replace(out, tmp_path / ".build.old")
    write_build(graph, out, {"corpus": "second"})
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build"]
    assert (out / "store.lbdb").read_bytes() == b"embedded store"  # the old output was put back first
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == {"corpus": "second"}


def _write_build_dir(folder: Path, node_lines: list[str], edge_lines: list[str] | None = None) -> Path:
    folder.mkdir()
    (folder / "nodes.jsonl").write_text("\n".join(node_lines) + "\n", encoding="utf-8")
    (folder / "edges.jsonl").write_text("\n".join(edge_lines or []) + ("\n" if edge_lines else ""), encoding="utf-8")
    return folder


GOOD_NODE = json.dumps({"id": "p1", "label": "Place", "name": "青禾县", "aliases": [], "props": {}, "mentions": []},
                       ensure_ascii=False)


def test_malformed_json_line_names_file_and_line(tmp_path: Path) -> None:
    # Line 1 good, line 2 blank (skipped but counted), line 3 cut off.
    folder = _write_build_dir(tmp_path / "build", [GOOD_NODE, "", '{"id": "c1", "label": "Chain", "name": "碳纤'])
    with pytest.raises(ContractError) as caught:
        list(read_nodes(folder))
    assert str(caught.value).startswith(f"{folder / 'nodes.jsonl'}:3: not valid JSON (")


def test_json_that_is_not_an_object_names_file_and_line(tmp_path: Path) -> None:
    folder = _write_build_dir(tmp_path / "build", [GOOD_NODE], ['["r1", "p1", "c1"]'])
    with pytest.raises(ContractError) as caught:
        list(read_edges(folder))
    assert str(caught.value) == f"{folder / 'edges.jsonl'}:1: expected a JSON object"


def test_record_missing_contract_keys(tmp_path: Path) -> None:
    folder = _write_build_dir(tmp_path / "build", [json.dumps({"id": "p1", "label": "Place", "name": "青禾县"})])
    with pytest.raises(ContractError) as caught:
        list(read_nodes(folder))
    assert str(caught.value) == f"{folder / 'nodes.jsonl'}: node 'p1' lacks ['aliases', 'mentions', 'props']"


def test_missing_file_and_dangling_edge(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="nodes.jsonl: missing"):
        list(read_nodes(tmp_path))
    dangling = json.dumps({"id": "r1", "source": "p1", "target": "c9", "type": "DEVELOPS", "props": {}, "evidence": []})
    folder = _write_build_dir(tmp_path / "build", [GOOD_NODE], [dangling])
    with pytest.raises(ContractError) as caught:
        read_graph(folder)
    assert str(caught.value) == f"{folder}: DEVELOPS edge r1 points to a missing node c9"
