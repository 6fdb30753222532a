"""The in-memory graph: entities and edges assembled into a ``networkx.MultiDiGraph``, checked by the schema."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from kg.errors import SchemaError
from kg.model import Edge, Entity
from kg.schema import Schema, load_schema


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


def counts(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Node counts per label and edge counts per type."""
    return {
        "nodes": dict(sorted(Counter(d["label"] for _, d in graph.nodes(data=True)).items())),
        "edges": dict(sorted(Counter(d["type"] for _, _, d in graph.edges(data=True)).items())),
    }
