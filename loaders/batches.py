"""Cutting rows into requests: at most N rows and, optionally, at most B bytes each.

The size of a request is counted as the UTF-8 length of its statement plus its
parameters written out as Cypher literals (strings quoted with ``\\`` and
``'`` escaped, lists ``[a, b]``, maps ``{k: v}``). That bounds the binary Bolt
message from above (strings dominate) and is exactly the form in which
FalkorDB handles parameters, whose server crashes on requests over ~4 KiB.

A row too large for the byte cap by itself is cut into pieces that share its
id and carry slices of its string lists; the statements merge lists as a set
union, so applying the pieces one after another equals applying the row. Each
piece goes in a request of its own.

Examples
--------
>>> literal_size("a'b"), literal_size([1, "x"]), literal_size({"k": None})
(6, 8, 11)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def literal_size(value: Any) -> int:
    """Bytes of ``value`` written as a Cypher literal."""
    if value is None:
        return 4
    if isinstance(value, bool):
        return 5 if not value else 4
    if isinstance(value, str):
        return len(value.encode("utf-8")) + value.count("\\") + value.count("'") + 2
    if isinstance(value, (int, float)):
        return len(repr(value))
    if isinstance(value, dict):
        inner = sum(literal_size(str(k)) + 2 + literal_size(v) for k, v in value.items())
        return 2 + inner + 2 * max(len(value) - 1, 0)
    if isinstance(value, (list, tuple)):
        return 2 + sum(literal_size(v) for v in value) + 2 * max(len(value) - 1, 0)
    return literal_size(str(value))


def request_size(statement: str, rows: list[dict[str, Any]]) -> int:
    """Bytes of one request sending ``rows`` as ``$rows`` with ``statement``."""
    return len(statement.encode("utf-8")) + len("CYPHER rows= ") + literal_size(rows)


class RowTooLarge(ValueError):
    """A row whose id and scalar properties alone exceed the byte cap."""


def split_row(row: dict[str, Any], statement: str, max_bytes: int) -> list[dict[str, Any]]:
    """``row`` as pieces that each fit in one request under ``max_bytes``.

    Every piece keeps the row's keys and all list names (an absent list would
    erase the stored one); the first keeps the scalar properties.

    Examples
    --------
    >>> row = {"id": "x", "props": {"name": "n"}, "lists": {"aliases": ["a" * 40, "b" * 40, "c" * 40]}}
    >>> [len(p["lists"]["aliases"]) for p in split_row(row, "S", 180)]
    [2, 1]
    """
    def empty(props: dict[str, Any]) -> dict[str, Any]:
        return {**row, "props": props, "lists": {name: [] for name in row["lists"]}}

    pieces = [empty(row["props"])]
    size = request_size(statement, [pieces[0]])
    if size > max_bytes:
        raise RowTooLarge(f"row {row['id']} needs {size} bytes without its lists; the cap is {max_bytes}")
    for name, items in row["lists"].items():
        for item in items:
            piece = pieces[-1]
            grown = literal_size(item) + (2 if piece["lists"][name] else 0)
            if size + grown > max_bytes:
                piece = empty({})
                pieces.append(piece)
                size = request_size(statement, [piece])
                grown = literal_size(item)
                if size + grown > max_bytes:
                    raise RowTooLarge(f"row {row['id']}: one {name} item needs {size + grown} bytes; the cap is {max_bytes}")
            piece["lists"][name].append(item)
            size += grown
    return pieces


def batches(rows: list[dict[str, Any]], statement: str, max_rows: int, max_bytes: int | None) -> Iterator[list[dict[str, Any]]]:
    """Consecutive batches of ``rows`` within both limits (pieces of a cut row alone in theirs).

    Examples
    --------
    >>> rows = [{"id": str(i), "props": {}, "lists": {}} for i in range(5)]
    >>> [len(b) for b in batches(rows, "S", 2, None)]
    [2, 2, 1]
    """
    if max_rows < 1:
        raise ValueError("a batch holds at least one row")
    current: list[dict[str, Any]] = []
    size = request_size(statement, [])
    for row in rows:
        grown = literal_size(row) + (2 if current else 0)
        if max_bytes is not None and request_size(statement, [row]) > max_bytes:
            if current:
                yield current
                current, size = [], request_size(statement, [])
            for piece in split_row(row, statement, max_bytes):
                yield [piece]
            continue
        if current and (len(current) >= max_rows or (max_bytes is not None and size + grown > max_bytes)):
            yield current
            current, size = [], request_size(statement, [])
            grown = literal_size(row)
        current.append(row)
        size += grown
    if current:
        yield current
