"""Writing a build directory: nodes and edges streamed into the contract files of a staging folder, then swapped in."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import SchemaError
from kg.graph.contract import EDGES_FILE, GRAPHML_FILE, NODES_FILE, SUMMARY_FILE
from kg.graph.graphml import FOOTER, GraphMLText
from kg.graph.swap import swap_in
from kg.model import Edge, Entity
from kg.schema import Schema, load_schema

_JSON = json.JSONEncoder(ensure_ascii=False).encode


class BuildWriter:
    """A build directory written from streams of nodes and edges, then swapped in atomically.

    Records go straight to ``nodes.jsonl``, ``edges.jsonl`` and ``graph.graphml``
    in a sibling staging folder, so memory does not grow with the graph. Every
    node must come before the edges; each is checked against the schema (only
    the id and label of a node are kept, for the endpoint checks). Nothing
    replaces ``out_dir`` until :meth:`commit`; leaving the ``with`` block
    without it (an error, an interrupt) removes the staging folder and keeps
    the previous build.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "build"
    >>> with BuildWriter(out) as writer:
    ...     writer.add_node(Entity("p1", "Place", "牟平区", [], {"kind": "district"}, []))
    ...     writer.add_node(Entity("p2", "Place", "烟台市", [], {"kind": "city"}, []))
    ...     writer.add_edge(Edge("e1", "p1", "p2", "LOCATED_IN", {"basis": "admin_code"}, []))
    ...     writer.commit({"documents": 0})
    >>> sorted(path.name for path in out.iterdir())
    ['edges.jsonl', 'graph.graphml', 'nodes.jsonl', 'summary.json']
    >>> writer.counts()["edges"]
    {'LOCATED_IN': 1}
    """

    def __init__(self, out_dir: Path, schema: Schema | None = None) -> None:
        self.out_dir = Path(out_dir).resolve()
        self.schema = schema or load_schema()
        self._graphml_text = GraphMLText(self.schema)
        self._labels: dict[str, str] = {}
        self._node_counts: Counter[str] = Counter()
        self._edge_counts: Counter[str] = Counter()
        self._staging: Path | None = None
        self._files: list[Any] = []
        self._committed = False
        self._allowed: set[tuple[str, str, str]] = set()

    def __enter__(self) -> BuildWriter:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.", dir=self.out_dir.parent))
        self._nodes, self._edges, self._graphml = self._files = [
            (self._staging / name).open("w", encoding="utf-8", buffering=1 << 20) for name in (NODES_FILE, EDGES_FILE, GRAPHML_FILE)
        ]
        self._graphml.write(self._graphml_text.header())
        return self

    def __exit__(self, *exc_info: object) -> None:
        for handle in self._files:
            handle.close()
        if not self._committed and self._staging is not None and self._staging.exists():
            shutil.rmtree(self._staging, ignore_errors=True)

    def add_node(self, entity: Entity) -> None:
        """Write one node.

        Raises
        ------
        SchemaError
            For an unknown label, a repeated id or a property value of the wrong type.
        """
        self.schema.check_node(entity.label)
        if entity.id in self._labels:
            raise SchemaError(f"node id {entity.id} written twice")
        element = self._graphml_text.node(entity)
        self._labels[entity.id] = entity.label
        self._node_counts[entity.label] += 1
        record = {"id": entity.id, "label": entity.label, "name": entity.name, "aliases": entity.aliases,
                  "props": entity.props, "mentions": entity.mentions}
        self._nodes.write(_JSON(record) + "\n")
        self._graphml.write(element)

    def add_edge(self, edge: Edge) -> None:
        """Write one edge (after every node).

        Raises
        ------
        SchemaError
            For an unknown type, a missing endpoint, endpoints the schema does
            not pair, or a property value of the wrong type.
        """
        labels = self._labels
        for end in (edge.source, edge.target):
            if end not in labels:
                raise SchemaError(f"{edge.type} edge {edge.id} points to a missing node {end}")
        pair = (edge.type, labels[edge.source], labels[edge.target])
        if pair not in self._allowed:
            self.schema.check_edge(*pair)
            self._allowed.add(pair)
        element = self._graphml_text.edge(edge)
        self._edge_counts[edge.type] += 1
        record = {"id": edge.id, "source": edge.source, "target": edge.target, "type": edge.type, "props": edge.props,
                  "evidence": edge.evidence}
        self._edges.write(_JSON(record) + "\n")
        self._graphml.write(element)

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and edge counts per type written so far."""
        return {"nodes": dict(sorted(self._node_counts.items())), "edges": dict(sorted(self._edge_counts.items()))}

    def commit(self, summary: dict[str, Any]) -> None:
        """Write ``summary.json`` and replace ``out_dir`` with the staged build."""
        assert self._staging is not None, "BuildWriter.commit outside its with block"
        self._graphml.write(FOOTER)
        for handle in self._files:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        (self._staging / SUMMARY_FILE).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        swap_in(self._staging, self.out_dir)
        self._committed = True


def write_build(graph: nx.MultiDiGraph, out_dir: Path, summary: dict[str, Any]) -> None:
    """Write the contract files of an in-memory graph into ``out_dir`` atomically (see :class:`BuildWriter`)."""
    with BuildWriter(out_dir) as writer:
        for node, data in sorted(graph.nodes(data=True)):
            writer.add_node(Entity(node, data["label"], data["name"], data["aliases"], data["props"], data["mentions"]))
        for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
            writer.add_edge(Edge(key, source, target, data["type"], data["props"], data["evidence"]))
        writer.commit(summary)
