"""The stored data model: how a build's records become rows of a graph store.

Every store (Neo4j, FalkorDB over Bolt, the embedded LadybugDB store, the
``neo4j-admin`` CSV files) holds the same thing, so that the same named
queries run on all of them:

* one node label per schema label, with ``id``, ``name``, ``aliases``
  (string list), the label's typed properties from ``schema/graph.yaml``
  (``long``, ``double``, ``boolean``, ``string``, ``string[]``), and
  ``mentions``;
* one relationship type per schema relation type, with ``id``, the type's
  typed properties, and ``evidence``.

Provenance (``mentions`` of a node, ``evidence`` of a relation) is stored as
a **list of strings, one canonical JSON object per item** (keys sorted, no
spaces, UTF-8 kept), e.g. ``{"doc":"003.txt","end":1432,"start":1429}``.
Why this form: every store can hold a string list (LadybugDB has no list of
maps, Neo4j no nested property maps), the whole record survives (parallel
lists would split one item over several properties), and because equal items
are equal strings, a later load can append only the items not yet there with
plain list operations, which is what makes re-loading idempotent.

A ``None`` scalar is left out of the written properties, so that a later
build never erases a value an earlier one stated. Properties a build carries
but the schema does not define are not stored (the embedded store has fixed
tables); :func:`node_rows` reports their names.

Examples
--------
>>> provenance_text({"start": 3, "doc": "a.txt", "end": 5})
'{"doc":"a.txt","end":5,"start":3}'
>>> coerce("2700000000", "long"), coerce(1, "boolean"), coerce(None, "string[]")
(2700000000, True, [])
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ContractError, SchemaError
from kg.graph import read_edges, read_nodes
from kg.schema import Schema

MENTIONS = "mentions"
EVIDENCE = "evidence"
LIST_TYPE = "string[]"
_RESERVED = frozenset({MENTIONS, EVIDENCE})


@dataclass(slots=True)
class NodeRow:
    """One node as stored: scalar properties (``None`` for unknown) and string lists."""

    id: str
    label: str
    scalars: dict[str, Any]
    lists: dict[str, list[str]]


@dataclass(slots=True)
class EdgeRow:
    """One relation as stored, with the labels of its two ends."""

    id: str
    type: str
    source: str
    target: str
    source_label: str
    target_label: str
    scalars: dict[str, Any]
    lists: dict[str, list[str]]


@dataclass(slots=True)
class BuildRows:
    """All rows of a build, grouped the way the stores write them."""

    nodes: dict[str, list[NodeRow]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], list[EdgeRow]] = field(default_factory=dict)
    ignored: set[str] = field(default_factory=set)

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def edge_count(self) -> int:
        """Number of relations."""
        return sum(len(rows) for rows in self.edges.values())

    def __iter__(self) -> Iterator[NodeRow | EdgeRow]:
        """Every node row, then every relation row, as :func:`iter_build_rows` yields them."""
        for node_rows in self.nodes.values():
            yield from node_rows
        for edge_rows in self.edges.values():
            yield from edge_rows


def node_columns(schema: Schema, label: str) -> dict[str, str]:
    """Stored columns of ``label`` in table order: id, name, aliases, typed properties, mentions.

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> list(node_columns(load_schema(), "Chain"))
    ['id', 'name', 'aliases', 'industry_code', 'merged_by', 'mentions']
    """
    columns = schema.node_properties(label)
    _check_reserved(label, columns)
    return {**columns, MENTIONS: LIST_TYPE}


def edge_columns(schema: Schema, rel_type: str) -> dict[str, str]:
    """Stored columns of ``rel_type`` in table order: id, typed properties, evidence."""
    columns = schema.edge_properties(rel_type)
    _check_reserved(rel_type, columns)
    return {**columns, EVIDENCE: LIST_TYPE}


def _check_reserved(owner: str, columns: dict[str, str]) -> None:
    clash = _RESERVED & columns.keys()
    if clash:
        raise SchemaError(f"{owner}: property {min(clash)!r} is reserved for provenance")


def provenance_text(item: dict[str, Any]) -> str:
    """The canonical JSON string of one mention or evidence item."""
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def coerce(value: Any, type_name: str) -> Any:
    """``value`` as the schema type ``type_name`` says (``None`` stays ``None``, lists default to ``[]``).

    Raises
    ------
    ValueError
        When the value cannot have that type.
    """
    if type_name == LIST_TYPE:
        if value is None:
            return []
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise ValueError(f"expected a list of strings, got {value!r}")
        return unique_strings(value)
    if value is None:
        return None
    if type_name == "string":
        return value if isinstance(value, str) else str(value)
    if type_name == "long":
        number = float(value) if isinstance(value, str) else value
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError(f"expected a whole number, got {value!r}")
        return round(number)
    if type_name == "double":
        return float(value)
    if type_name == "boolean":
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in {"true", "false", "1", "0"}:
                raise ValueError(f"expected true or false, got {value!r}")
            return lowered in {"true", "1"}
        return bool(value)
    raise ValueError(f"unknown property type {type_name!r}")


def unique_strings(values: Iterable[Any]) -> list[str]:
    """Strings of ``values`` in order, each once."""
    return list(dict.fromkeys(str(v) for v in values))


def _typed(record: dict[str, Any], columns: dict[str, str], where: str, ignored: set[str]) -> tuple[dict, dict]:
    props = record.get("props") or {}
    ignored.update(key for key in props if key not in columns)
    scalars: dict[str, Any] = {}
    lists: dict[str, list[str]] = {}
    for name, type_name in columns.items():
        if name in ("id", MENTIONS, EVIDENCE):
            continue
        value = record.get(name) if name in ("name", "aliases") else props.get(name)
        try:
            typed = coerce(value, type_name)
        except (TypeError, ValueError) as exc:
            raise ContractError(f"{where}: property {name!r}: {exc}") from exc
        (lists if type_name == LIST_TYPE else scalars)[name] = typed
    return scalars, lists


def _provenance(items: Any, where: str) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ContractError(f"{where}: provenance must be a list of objects")
    return unique_strings(provenance_text(item) for item in items)


def node_row(record: dict[str, Any], schema: Schema, ignored: set[str]) -> NodeRow:
    """The stored row of one ``nodes.jsonl`` record."""
    label = record["label"]
    where = f"node {record['id']}"
    if label not in schema.nodes:
        raise ContractError(f"{where}: unknown label {label!r}")
    scalars, lists = _typed(record, node_columns(schema, label), where, ignored)
    if not isinstance(scalars.get("name"), str):
        raise ContractError(f"{where}: has no name")
    lists[MENTIONS] = _provenance(record["mentions"], where)
    return NodeRow(str(record["id"]), label, scalars, lists)


def edge_row(record: dict[str, Any], labels: dict[str, str], schema: Schema, ignored: set[str]) -> EdgeRow:
    """The stored row of one ``edges.jsonl`` record; ``labels`` maps node ids to labels."""
    rel_type = record["type"]
    where = f"edge {record['id']}"
    if rel_type not in schema.relations:
        raise ContractError(f"{where}: unknown relation type {rel_type!r}")
    try:
        source_label, target_label = labels[record["source"]], labels[record["target"]]
    except KeyError as exc:
        raise ContractError(f"{where}: points to a node the build does not hold ({exc.args[0]})") from exc
    if not schema.allows(rel_type, source_label, target_label):
        raise ContractError(f"{where}: {rel_type} may not run from {source_label} to {target_label}")
    scalars, lists = _typed(record, edge_columns(schema, rel_type), where, ignored)
    lists[EVIDENCE] = _provenance(record["evidence"], where)
    return EdgeRow(str(record["id"]), rel_type, str(record["source"]), str(record["target"]),
                   source_label, target_label, scalars, lists)


def iter_build_rows(build_dir: Path, schema: Schema, ignored: set[str]) -> Iterator[NodeRow | EdgeRow]:
    """Every node row of a build, then every relation row, read as they are needed.

    Only the node labels by id and the relation ids stay in memory, so a store
    can be filled from a build of any size. Property names the schema does not
    define are added to ``ignored``.

    Raises
    ------
    ContractError
        For a missing or malformed build file, a repeated id, or a value the schema type cannot hold.
    """
    labels: dict[str, str] = {}
    for record in read_nodes(Path(build_dir)):
        row = node_row(record, schema, ignored)
        if row.id in labels:
            raise ContractError(f"{build_dir}: node id {row.id} appears twice")
        labels[row.id] = row.label
        yield row
    seen: set[str] = set()
    for record in read_edges(Path(build_dir)):
        edge = edge_row(record, labels, schema, ignored)
        if edge.id in seen:
            raise ContractError(f"{build_dir}: edge id {edge.id} appears twice")
        seen.add(edge.id)
        yield edge


def build_rows(build_dir: Path, schema: Schema) -> BuildRows:
    """Every node and relation of a build as stored rows, grouped by label and by (type, ends).

    Raises
    ------
    ContractError
        For a missing or malformed build file, or a value the schema type cannot hold.
    """
    rows = BuildRows()
    for row in iter_build_rows(build_dir, schema, rows.ignored):
        if isinstance(row, NodeRow):
            rows.nodes.setdefault(row.label, []).append(row)
        else:
            rows.edges.setdefault((row.type, row.source_label, row.target_label), []).append(row)
    return rows



def graph_rows(graph: Any, schema: Schema) -> BuildRows:
    """The stored rows of an in-memory build graph (``kg.graph.read_graph``, or a selection of it)."""
    from kg.graph import edge_record, node_record

    rows = BuildRows()
    labels: dict[str, str] = {}
    for node, data in sorted(graph.nodes(data=True)):
        row = node_row(node_record(node, data), schema, rows.ignored)
        labels[row.id] = row.label
        rows.nodes.setdefault(row.label, []).append(row)
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        edge = edge_row(edge_record(source, target, key, data), labels, schema, rows.ignored)
        rows.edges.setdefault((edge.type, edge.source_label, edge.target_label), []).append(edge)
    return rows
