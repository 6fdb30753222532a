"""Every Cypher statement the loaders send, in one place.

All values travel as parameters; the only text built here is labels,
relation types and property names taken from the schema, and those are
back-quoted. A merge statement takes its rows column by column (see
:class:`loaders.batches.Columns`): ``$i`` the ids (``$a``/``$b`` the end
ids of relations), ``$s0``… one list per scalar property, ``$l0``… one list
of string lists per list property, and walks them with one index. A scalar
is set only where the row has one (``coalesce($s0[k], n.p)``), so a later
build never erases a value; every string list is merged as a set union that
keeps the stored order and appends only new items. That union is what makes
a load idempotent and lets a later build add aliases, mentions and evidence.
"""

from __future__ import annotations

from loaders.batches import Columns
from loaders.dialects import identifier


def _sets(variable: str, columns: Columns) -> str:
    """The ``SET`` items of a merge: scalars where given, lists as a set union."""
    items = []
    for n, name in enumerate(columns.scalars):
        prop = f"{variable}.{identifier(name)}"
        items.append(f"{prop} = coalesce($s{n}[k], {prop})")
    for n, name in enumerate(columns.lists):
        prop = f"{variable}.{identifier(name)}"
        items.append(f"{prop} = coalesce({prop}, []) + [x IN $l{n}[k] WHERE NOT x IN coalesce({prop}, [])]")
    return f"SET {', '.join(items)}\n" if items else ""


def merge_nodes(label: str, columns: Columns) -> str:
    """Merge a batch of ``label`` rows by id; returns ``written``, the number of rows applied.

    Examples
    --------
    >>> print(merge_nodes("Chain", Columns(("name",), ("aliases",))))
    UNWIND range(0, size($i) - 1) AS k
    MERGE (n:`Chain` {id: $i[k]})
    SET n.`name` = coalesce($s0[k], n.`name`), n.`aliases` = coalesce(n.`aliases`, []) + [x IN $l0[k] WHERE NOT x IN coalesce(n.`aliases`, [])]
    RETURN count(n) AS written
    """
    return (
        "UNWIND range(0, size($i) - 1) AS k\n"
        f"MERGE (n:{identifier(label)} {{id: $i[k]}})\n"
        f"{_sets('n', columns)}"
        "RETURN count(n) AS written"
    )


def merge_edges(rel_type: str, source_label: str, target_label: str, columns: Columns) -> str:
    """Merge a batch of relations between existing nodes; rows whose ends are missing are not counted."""
    return (
        "UNWIND range(0, size($i) - 1) AS k\n"
        f"MATCH (a:{identifier(source_label)} {{id: $a[k]}})\n"
        f"MATCH (b:{identifier(target_label)} {{id: $b[k]}})\n"
        f"MERGE (a)-[r:{identifier(rel_type)} {{id: $i[k]}}]->(b)\n"
        f"{_sets('r', columns)}"
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
