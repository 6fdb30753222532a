"""The graph and the build-directory contract, one concern per module.

* :mod:`kg.graph.contract`: the contract's file names and record shapes;
* :mod:`kg.graph.inmemory`: the in-memory ``networkx`` graph, schema-checked;
* :mod:`kg.graph.graphml`: GraphML text, typed by the schema, streamed;
* :mod:`kg.graph.writer`: :class:`BuildWriter`, the streaming writer of a build;
* :mod:`kg.graph.swap`: the atomic replacement of a build directory;
* :mod:`kg.graph.read`: reading a build back (records or the whole graph).

Stable ids live in :mod:`kg.ids`, shared with resolution. The names below are re-exported, lazily, so that ``from kg.graph import read_graph``
keeps working; new code imports from the module that owns the concern.
"""

from __future__ import annotations

import importlib
from typing import Any

_OWNERS = {
    "assemble": "inmemory", "counts": "inmemory",
    "CONTRACT_FILES": "contract", "EDGES_FILE": "contract", "GRAPHML_FILE": "contract", "NODES_FILE": "contract",
    "SUMMARY_FILE": "contract", "edge_record": "contract", "node_record": "contract",
    "iter_jsonl": "read", "read_edges": "read", "read_graph": "read", "read_nodes": "read",
    "BuildWriter": "writer", "write_build": "writer",
}
__all__ = sorted(_OWNERS)


def __getattr__(name: str) -> Any:
    """Import the owning module on first use, so ``kg.graph.contract`` alone does not load ``networkx``."""
    owner = _OWNERS.get(name)
    if owner is None:
        raise AttributeError(f"module 'kg.graph' has no attribute {name!r}")
    return getattr(importlib.import_module(f"kg.graph.{owner}"), name)
