"""Graph assembly, stable ids, schema validation and the build-directory contract.

A build directory holds ``nodes.jsonl``, ``edges.jsonl``, ``graph.graphml`` and
``summary.json``. Ids are derived from the label (or type) and a canonical key,
never from positions, so rebuilding the same corpus yields the same ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ContractError, SchemaError
from kg.model import Edge, Entity
from kg.schema import Schema, load_schema

NODES_FILE = "nodes.jsonl"
EDGES_FILE = "edges.jsonl"
GRAPHML_FILE = "graph.graphml"
SUMMARY_FILE = "summary.json"
CONTRACT_FILES = (NODES_FILE, EDGES_FILE, GRAPHML_FILE, SUMMARY_FILE)


def stable_id(*parts: str) -> str:
    """``sha1`` of the parts joined by a separator, first 16 hex digits.

    Examples
    --------
    >>> stable_id("Place", "371702") == stable_id("Place", "371702")
    True
    >>> len(stable_id("Chain", "生物医药"))
    16
    """
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def node_id(label: str, key: str) -> str:
    """Id of the node with ``label`` and canonical ``key``."""
    return stable_id(label, key)


def edge_id(rel_type: str, source: str, target: str, discriminator: str = "") -> str:
    """Id of a relation; ``discriminator`` separates parallel edges (two titles, say)."""
    return stable_id(rel_type, source, target, discriminator)


def assemble(entities: Iterable[Entity], edges: Iterable[Edge], schema: Schema | None = None) -> nx.MultiDiGraph:
    """Build the in-memory graph, rejecting anything the schema does not allow.

    Raises
    ------
    SchemaError
        For an unknown label, an unknown relation type, an edge between labels
        the schema does not pair, or an edge to a missing node.
    """
    schema = schema or load_schema()
    graph = nx.MultiDiGraph()
    for entity in entities:
        schema.check_node(entity.label)
        graph.add_node(
            entity.id,
            label=entity.label,
            name=entity.name,
            aliases=entity.aliases,
            props=entity.props,
            mentions=entity.mentions,
        )
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in graph:
                raise SchemaError(f"{edge.type} edge {edge.id} points to a missing node {end}")
        schema.check_edge(edge.type, graph.nodes[edge.source]["label"], graph.nodes[edge.target]["label"])
        graph.add_edge(edge.source, edge.target, key=edge.id, type=edge.type, props=edge.props, evidence=edge.evidence)
    return graph


def node_record(node: str, data: dict[str, Any]) -> dict[str, Any]:
    """The ``nodes.jsonl`` record of a graph node."""
    return {
        "id": node,
        "label": data["label"],
        "name": data["name"],
        "aliases": data["aliases"],
        "props": data["props"],
        "mentions": data["mentions"],
    }


def edge_record(source: str, target: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """The ``edges.jsonl`` record of a graph edge."""
    return {
        "id": key,
        "source": source,
        "target": target,
        "type": data["type"],
        "props": data["props"],
        "evidence": data["evidence"],
    }


def _graphml_view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with flat, typed attributes: GraphML has no lists or nested maps."""
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs: dict[str, Any] = {"label": data["label"], "name": data["name"], "aliases": json.dumps(data["aliases"], ensure_ascii=False)}
        for key, value in data["props"].items():
            if value is None:
                continue
            attrs[key] = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
        attrs["mention_count"] = len(data["mentions"])
        flat.add_node(node, **attrs)
    for source, target, key, data in graph.edges(keys=True, data=True):
        attrs = {"type": data["type"], "evidence_count": len(data["evidence"])}
        for name, value in data["props"].items():
            if value is not None:
                attrs[name] = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
        if data["evidence"]:
            attrs["sentence"] = data["evidence"][0]["sentence"]
        flat.add_edge(source, target, key=key, **attrs)
    return flat


def write_build(graph: nx.MultiDiGraph, out_dir: Path, summary: dict[str, Any]) -> None:
    """Write the contract files into ``out_dir`` atomically.

    Everything is written to a sibling temporary folder which then replaces
    ``out_dir``, so an interrupted build leaves the previous output intact.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        with (staging / NODES_FILE).open("w", encoding="utf-8") as handle:
            for node, data in sorted(graph.nodes(data=True)):
                handle.write(json.dumps(node_record(node, data), ensure_ascii=False) + "\n")
        with (staging / EDGES_FILE).open("w", encoding="utf-8") as handle:
            for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
                handle.write(json.dumps(edge_record(source, target, key, data), ensure_ascii=False) + "\n")
        nx.write_graphml(_graphml_view(graph), staging / GRAPHML_FILE)
        (staging / SUMMARY_FILE).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if out_dir.exists():
            _keep_extra_entries(out_dir, staging)
            backup = out_dir.with_name(f".{out_dir.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(out_dir, backup)
            os.replace(staging, out_dir)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _keep_extra_entries(old: Path, new: Path) -> None:
    """Carry over what is not part of the contract (the embedded store, the cache)."""
    for entry in old.iterdir():
        if entry.name not in CONTRACT_FILES and not (new / entry.name).exists():
            os.replace(entry, new / entry.name)


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines file, with the line number in any error."""
    if not path.is_file():
        raise ContractError(f"{path}: missing (is this a build directory made by `kg build`?)")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ContractError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise ContractError(f"{path}:{number}: expected a JSON object")
            yield record


_NODE_KEYS = frozenset({"id", "label", "name", "aliases", "props", "mentions"})
_EDGE_KEYS = frozenset({"id", "source", "target", "type", "props", "evidence"})


def read_nodes(build_dir: Path) -> Iterator[dict[str, Any]]:
    """The node records of a build, checked for the contract's keys."""
    path = Path(build_dir) / NODES_FILE
    for record in iter_jsonl(path):
        if not _NODE_KEYS <= record.keys():
            raise ContractError(f"{path}: node {record.get('id')!r} lacks {sorted(_NODE_KEYS - record.keys())}")
        yield record


def read_edges(build_dir: Path) -> Iterator[dict[str, Any]]:
    """The edge records of a build, checked for the contract's keys."""
    path = Path(build_dir) / EDGES_FILE
    for record in iter_jsonl(path):
        if not _EDGE_KEYS <= record.keys():
            raise ContractError(f"{path}: edge {record.get('id')!r} lacks {sorted(_EDGE_KEYS - record.keys())}")
        yield record


def read_graph(build_dir: Path) -> nx.MultiDiGraph:
    """Load a build directory back into a ``MultiDiGraph`` (validated against the schema)."""
    entities = [Entity(r["id"], r["label"], r["name"], r["aliases"], r["props"], r["mentions"]) for r in read_nodes(build_dir)]
    edges = [Edge(r["id"], r["source"], r["target"], r["type"], r["props"], r["evidence"]) for r in read_edges(build_dir)]
    try:
        return assemble(entities, edges)
    except SchemaError as exc:
        raise ContractError(f"{build_dir}: {exc}") from exc


def counts(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Node counts per label and edge counts per type."""
    return {
        "nodes": dict(sorted(Counter(d["label"] for _, d in graph.nodes(data=True)).items())),
        "edges": dict(sorted(Counter(d["type"] for _, _, d in graph.edges(data=True)).items())),
    }
