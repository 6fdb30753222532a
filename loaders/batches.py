"""Cutting rows into requests: at most N rows and, optionally, at most B bytes each.

A request sends its rows **column by column** (see :class:`Columns`): one
list of ids (``$i``), for relations one of source ids (``$a``) and one of
target ids (``$b``), one list per scalar property (``$s0``, ``$s1``, … with
``null`` where a row has no value) and one list of lists per string-list
property (``$l0``, …). Keys are not repeated in every row, so on FalkorDB,
whose requests are capped, a request holds two to three times the rows a
list of row maps would.

The size of a request is counted as the UTF-8 length of its statement plus its
parameters written out as Cypher literals (strings quoted with ``\\`` and
``'`` escaped, lists ``[a, b]``, maps ``{k: v}``, floats as C's ``%f``), each
as ``name=value``. That bounds the binary Bolt message from above (strings
dominate) and is exactly the form in which FalkorDB handles parameters,
whose server crashes on requests over ~4 KiB.

A row too large for the byte cap by itself is cut into pieces that share its
id and carry slices of its string lists; the statements merge lists as a set
union, so applying the pieces one after another equals applying the row. Each
piece goes in a request of its own.

Examples
--------
>>> literal_size("a'b"), literal_size([1, "x"]), literal_size({"k": None}), literal_size(1.5)
(6, 8, 11, 8)
>>> rows = [{"id": "p1", "props": {"name": "甲"}, "lists": {"aliases": []}},
...         {"id": "p2", "props": {}, "lists": {"aliases": ["乙"]}}]
>>> columns = Columns.of(rows)
>>> columns.params(rows)
{'i': ['p1', 'p2'], 's0': ['甲', None], 'l0': [[], ['乙']]}
>>> request_size("S", rows, columns) == len("CYPHER i=['p1', 'p2'] s0=['甲', NULL] l0=[[], ['乙']] S".encode())
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


def literal_size(value: Any) -> int:
    """Bytes of ``value`` written as a Cypher literal (a float as FalkorDB writes it, ``%f``)."""
    if value is None:
        return 4
    if isinstance(value, bool):
        return 5 if not value else 4
    if isinstance(value, str):
        return len(value.encode("utf-8")) + value.count("\\") + value.count("'") + 2
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return max(len(repr(value)), len(f"{value:f}"))
    if isinstance(value, dict):
        inner = sum(literal_size(str(k)) + 2 + literal_size(v) for k, v in value.items())
        return 2 + inner + 2 * max(len(value) - 1, 0)
    if isinstance(value, (list, tuple)):
        return 2 + sum(literal_size(v) for v in value) + 2 * max(len(value) - 1, 0)
    return literal_size(str(value))


_PREFIX = len("CYPHER ")


@dataclass(frozen=True, slots=True)
class Columns:
    """The parameter lists of a group of rows: which scalar properties (those any row of the group
    has) and which list properties (all of them) travel, and under which short names."""

    scalars: tuple[str, ...]
    lists: tuple[str, ...]
    ends: bool = False

    @classmethod
    def of(cls, rows: list[dict[str, Any]]) -> Columns:
        """The columns of ``rows`` (dicts ``{id, props, lists}``, with ``source`` and ``target`` for relations)."""
        scalars: dict[str, None] = {}
        lists: dict[str, None] = {}
        for row in rows:
            scalars.update((k, None) for k, v in row["props"].items() if v is not None)
            lists.update((k, None) for k in row["lists"])
        return cls(tuple(scalars), tuple(lists), bool(rows) and "source" in rows[0])

    def names(self) -> list[tuple[str, str]]:
        """``(parameter, what)`` pairs: ``("i", "id")``, ``("s0", "name")``, ``("l0", "aliases")`` …"""
        keys = [("i", "id"), ("a", "source"), ("b", "target")] if self.ends else [("i", "id")]
        return (keys + [(f"s{n}", name) for n, name in enumerate(self.scalars)]
                + [(f"l{n}", name) for n, name in enumerate(self.lists)])

    def values(self, row: dict[str, Any]) -> list[Any]:
        """One row's item in each parameter list, in :meth:`names` order."""
        keys = [row["id"], row["source"], row["target"]] if self.ends else [row["id"]]
        props, lists = row["props"], row["lists"]
        return keys + [props.get(name) for name in self.scalars] + [lists.get(name, []) for name in self.lists]

    def params(self, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        """The request's parameters: one list per column."""
        names = [name for name, _ in self.names()]
        table: dict[str, list[Any]] = {name: [] for name in names}
        for row in rows:
            for name, value in zip(names, self.values(row)):
                table[name].append(value)
        return table

    def empty_size(self, statement: str) -> int:
        """Bytes of a request with no rows: the statement and every ``name=[] ``."""
        return len(statement.encode("utf-8")) + _PREFIX + sum(len(name) + 4 for name, _ in self.names())

    def row_size(self, row: dict[str, Any]) -> int:
        """Bytes one row adds to a request that already holds a row (its items and their ``, `` separators)."""
        return sum(literal_size(value) + 2 for value in self.values(row))


def request_size(statement: str, rows: list[dict[str, Any]], columns: Columns | None = None) -> int:
    """Bytes of one request sending ``rows`` in ``columns`` (default: the rows' own) with ``statement``."""
    columns = columns or Columns.of(rows)
    size = columns.empty_size(statement) + sum(columns.row_size(row) for row in rows)
    return size - 2 * len(columns.names()) if rows else size


class RowTooLarge(ValueError):
    """A row whose id and scalar properties alone exceed the byte cap."""


def split_row(row: dict[str, Any], statement: str, max_bytes: int, columns: Columns | None = None) -> list[dict[str, Any]]:
    """``row`` as pieces that each fit in one request under ``max_bytes``.

    Every piece keeps the row's keys and all list names (an absent list would
    erase the stored one); the first keeps the scalar properties.

    Examples
    --------
    >>> row = {"id": "x", "props": {"name": "n"}, "lists": {"aliases": ["a" * 40, "b" * 40, "c" * 40]}}
    >>> [len(p["lists"]["aliases"]) for p in split_row(row, "S", 140)]
    [2, 1]
    """
    columns = columns or Columns.of([row])

    def empty(props: dict[str, Any]) -> dict[str, Any]:
        return {**row, "props": props, "lists": {name: [] for name in row["lists"]}}

    pieces = [empty(row["props"])]
    size = request_size(statement, [pieces[0]], columns)
    if size > max_bytes:
        raise RowTooLarge(f"row {row['id']} needs {size} bytes without its lists; the cap is {max_bytes}")
    for name, items in row["lists"].items():
        for item in items:
            piece = pieces[-1]
            grown = literal_size(item) + (2 if piece["lists"][name] else 0)
            if size + grown > max_bytes:
                piece = empty({})
                pieces.append(piece)
                size = request_size(statement, [piece], columns)
                grown = literal_size(item)
                if size + grown > max_bytes:
                    raise RowTooLarge(f"row {row['id']}: one {name} item needs {size + grown} bytes; the cap is {max_bytes}")
            piece["lists"][name].append(item)
            size += grown
    return pieces


def batches(rows: list[dict[str, Any]], statement: str, max_rows: int, max_bytes: int | None,
            columns: Columns | None = None) -> Iterator[list[dict[str, Any]]]:
    """Consecutive batches of ``rows`` within both limits (pieces of a cut row alone in theirs),
    sizes counted in ``columns`` (default: the columns of all ``rows``).

    Examples
    --------
    >>> rows = [{"id": str(i), "props": {}, "lists": {}} for i in range(5)]
    >>> [len(b) for b in batches(rows, "S", 2, None)]
    [2, 2, 1]
    """
    if max_rows < 1:
        raise ValueError("a batch holds at least one row")
    if max_bytes is None:
        for start in range(0, len(rows), max_rows):
            yield rows[start:start + max_rows]
        return
    columns = columns or Columns.of(rows)
    empty = columns.empty_size(statement)
    first = 2 * len(columns.names())  # the first row of a request has no separators
    current: list[dict[str, Any]] = []
    size = empty
    for row in rows:
        grown = columns.row_size(row)
        if empty + grown - first > max_bytes:
            if current:
                yield current
                current, size = [], empty
            for piece in split_row(row, statement, max_bytes, columns):
                yield [piece]
            continue
        if not current:
            grown -= first
        elif len(current) >= max_rows or size + grown > max_bytes:
            yield current
            current, size = [], empty
            grown -= first
        current.append(row)
        size += grown
    if current:
        yield current
