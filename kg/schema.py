"""The graph schema, read once from ``schema/graph.yaml``.

Every stage asks this module what is allowed: graph validation rejects an edge
whose endpoints the schema does not list, the loaders generate tables and DDL
from it, and the exports take attribute types from it.

Examples
--------
>>> schema = load_schema()
>>> schema.allows("LOCATED_IN", "Place", "Place")
True
>>> schema.allows("LOCATED_IN", "Chain", "Place")
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from kg.errors import SchemaError
from kg.resources import resource_dir

PROPERTY_TYPES = frozenset({"string", "string[]", "long", "double", "boolean"})
COMMON_NODE_PROPERTIES: dict[str, str] = {"id": "string", "name": "string", "aliases": "string[]"}
COMMON_EDGE_PROPERTIES: dict[str, str] = {"id": "string"}


@dataclass(frozen=True)
class NodeType:
    """A node label with its typed properties (common ones excluded)."""

    label: str
    key: str
    properties: dict[str, str]


@dataclass(frozen=True)
class RelationType:
    """A relation type with its allowed (head label, tail label) pairs."""

    type: str
    endpoints: frozenset[tuple[str, str]]
    properties: dict[str, str]


@dataclass(frozen=True)
class Schema:
    """The whole graph schema."""

    version: int
    nodes: dict[str, NodeType]
    relations: dict[str, RelationType]
    unique: tuple[str, ...] = field(default=("id",))
    indexes: tuple[str, ...] = field(default=("name",))

    def allows(self, rel_type: str, head: str, tail: str) -> bool:
        """Whether a ``rel_type`` edge may run from a ``head`` node to a ``tail`` node."""
        relation = self.relations.get(rel_type)
        return relation is not None and (head, tail) in relation.endpoints

    def check_edge(self, rel_type: str, head: str, tail: str) -> None:
        """Raise :class:`SchemaError` unless the schema allows the edge."""
        if rel_type not in self.relations:
            raise SchemaError(f"unknown relation type {rel_type!r}")
        if not self.allows(rel_type, head, tail):
            raise SchemaError(f"{rel_type} may not run from {head} to {tail}")

    def check_node(self, label: str) -> None:
        """Raise :class:`SchemaError` for a label the schema does not define."""
        if label not in self.nodes:
            raise SchemaError(f"unknown node label {label!r}")

    def node_properties(self, label: str) -> dict[str, str]:
        """All typed properties of ``label``, the common ones first."""
        return {**COMMON_NODE_PROPERTIES, **self.nodes[label].properties}

    def edge_properties(self, rel_type: str) -> dict[str, str]:
        """All typed properties of ``rel_type``, the common ones first."""
        return {**COMMON_EDGE_PROPERTIES, **self.relations[rel_type].properties}

    @property
    def entity_labels(self) -> tuple[str, ...]:
        """The six extracted labels (everything but ``Article``)."""
        return tuple(label for label in self.nodes if label != "Article")


def _check_types(where: str, properties: dict[str, Any]) -> dict[str, str]:
    for name, type_name in properties.items():
        if type_name not in PROPERTY_TYPES:
            raise SchemaError(f"{where}.{name}: unknown property type {type_name!r}")
    return dict(properties)


def parse_schema(raw: dict[str, Any]) -> Schema:
    """Build a :class:`Schema` from the parsed YAML, checking it as it goes."""
    try:
        nodes = {
            label: NodeType(label, spec.get("key", ""), _check_types(label, spec.get("properties") or {}))
            for label, spec in raw["nodes"].items()
        }
        relations: dict[str, RelationType] = {}
        for rel_type, spec in raw["relations"].items():
            pairs = frozenset((head, tail) for head, tail in spec["endpoints"])
            for head, tail in pairs:
                if head not in nodes or tail not in nodes:
                    raise SchemaError(f"{rel_type}: endpoint ({head}, {tail}) names an unknown label")
            relations[rel_type] = RelationType(rel_type, pairs, _check_types(rel_type, spec.get("properties") or {}))
        unique = tuple(item["unique"] for item in raw.get("constraints", []) if "unique" in item)
        return Schema(int(raw["version"]), nodes, relations, unique or ("id",), tuple(raw.get("indexes", ["name"])))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # AttributeError: a list or null where a mapping belongs
        raise SchemaError(f"malformed schema: {exc}") from exc


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    """Read and cache the shipped schema."""
    path = resource_dir("schema") / "graph.yaml"
    with path.open(encoding="utf-8") as handle:
        return parse_schema(yaml.safe_load(handle))
