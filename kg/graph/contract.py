"""The build-directory contract: its file names and the shape of its records.

A build directory holds ``nodes.jsonl``, ``edges.jsonl``, ``graph.graphml`` and
``summary.json``; anything else in it (the embedded store) is not part of the
contract and survives a rebuild.
"""

from __future__ import annotations

from typing import Any

NODES_FILE = "nodes.jsonl"
EDGES_FILE = "edges.jsonl"
GRAPHML_FILE = "graph.graphml"
SUMMARY_FILE = "summary.json"
CONTRACT_FILES = (NODES_FILE, EDGES_FILE, GRAPHML_FILE, SUMMARY_FILE)
NODE_KEYS = frozenset({"id", "label", "name", "aliases", "props", "mentions"})
EDGE_KEYS = frozenset({"id", "source", "target", "type", "props", "evidence"})


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
