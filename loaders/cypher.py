"""Every Cypher statement the loaders send, in one place.

All values travel as parameters (``$rows``, ``$limit``); the only text built
here is labels, relation types and property names taken from the schema, and
those are back-quoted. A node row is ``{id, props, lists}``, a relation row
``{id, source, target, props, lists}``: ``props`` holds the non-null scalar
properties (``SET += props``, so a later build never erases a value), and
``lists`` every string-list property, each merged as a set union that keeps
the stored order and appends only new items. That union is what makes a load
idempotent and lets a later build add aliases, mentions and evidence.
"""

from __future__ import annotations

from kg.schema import Schema
from loaders.dialects import identifier
from loaders.records import LIST_TYPE, edge_columns, node_columns


def _union(variable: str, name: str) -> str:
    stored = f"coalesce({variable}.{identifier(name)}, [])"
    return f"{variable}.{identifier(name)} = {stored} + [x IN row.lists.{identifier(name)} WHERE NOT x IN {stored}]"


def list_properties(columns: dict[str, str]) -> list[str]:
    """Names of the string-list columns."""
    return [name for name, type_name in columns.items() if type_name == LIST_TYPE]


def merge_nodes(schema: Schema, label: str) -> str:
    """Merge a batch of ``label`` rows by id; returns ``written``, the number of rows applied.

    Examples
    --------
    >>> from kg.schema import load_schema
    >>> print(merge_nodes(load_schema(), "Chain").splitlines()[1])
    MERGE (n:`Chain` {id: row.id})
    """
    unions = ",\n    ".join(_union("n", name) for name in list_properties(node_columns(schema, label)))
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{identifier(label)} {{id: row.id}})\n"
        "SET n += row.props\n"
        f"SET {unions}\n"
        "RETURN count(n) AS written"
    )


def merge_edges(schema: Schema, rel_type: str, source_label: str, target_label: str) -> str:
    """Merge a batch of relations between existing nodes; rows whose ends are missing are not counted."""
    unions = ",\n    ".join(_union("r", name) for name in list_properties(edge_columns(schema, rel_type)))
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{identifier(source_label)} {{id: row.source}})\n"
        f"MATCH (b:{identifier(target_label)} {{id: row.target}})\n"
        f"MERGE (a)-[r:{identifier(rel_type)} {{id: row.id}}]->(b)\n"
        "SET r += row.props\n"
        f"SET {unions}\n"
        "RETURN count(r) AS written"
    )


def delete_nodes(label: str) -> str:
    """Delete at most ``$limit`` nodes of ``label`` with their relations; returns ``deleted``."""
    return f"MATCH (n:{identifier(label)}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"


def count_nodes(label: str) -> str:
    """Number of ``label`` nodes, as ``count``."""
    return f"MATCH (n:{identifier(label)}) RETURN count(n) AS count"


def count_edges(rel_type: str) -> str:
    """Number of ``rel_type`` relations, as ``count``."""
    return f"MATCH ()-[r:{identifier(rel_type)}]->() RETURN count(r) AS count"
