"""Reading a build directory back: its JSON-lines records, checked, or the whole graph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ContractError, SchemaError
from kg.graph.inmemory import assemble
from kg.graph.contract import EDGE_KEYS, EDGES_FILE, NODE_KEYS, NODES_FILE
from kg.model import Edge, Entity


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


def read_nodes(build_dir: Path) -> Iterator[dict[str, Any]]:
    """The node records of a build, checked for the contract's keys."""
    path = Path(build_dir) / NODES_FILE
    for record in iter_jsonl(path):
        if not NODE_KEYS <= record.keys():
            raise ContractError(f"{path}: node {record.get('id')!r} lacks {sorted(NODE_KEYS - record.keys())}")
        yield record


def read_edges(build_dir: Path) -> Iterator[dict[str, Any]]:
    """The edge records of a build, checked for the contract's keys."""
    path = Path(build_dir) / EDGES_FILE
    for record in iter_jsonl(path):
        if not EDGE_KEYS <= record.keys():
            raise ContractError(f"{path}: edge {record.get('id')!r} lacks {sorted(EDGE_KEYS - record.keys())}")
        yield record


def read_graph(build_dir: Path) -> nx.MultiDiGraph:
    """Load a build directory back into a ``MultiDiGraph`` (validated against the schema)."""
    entities = [Entity(r["id"], r["label"], r["name"], r["aliases"], r["props"], r["mentions"]) for r in read_nodes(build_dir)]
    edges = [Edge(r["id"], r["source"], r["target"], r["type"], r["props"], r["evidence"]) for r in read_edges(build_dir)]
    try:
        return assemble(entities, edges)
    except SchemaError as exc:
        raise ContractError(f"{build_dir}: {exc}") from exc
