"""Requests cut by rows and bytes; rows too big for one request cut into pieces."""

from __future__ import annotations

import pytest

from loaders.batches import Columns, RowTooLarge, batches, literal_size, request_size, split_row

STATEMENT = "UNWIND $rows AS row MERGE (n:Place {id: row.id}) SET n += row.props"


def row(i: int, mentions: int = 1) -> dict:
    return {"id": f"p{i}", "props": {"name": f"地方{i}'"}, "lists": {"aliases": [], "mentions": [f"m{j}" for j in range(mentions)]}}


def test_literal_size_counts_utf8_bytes_and_escapes() -> None:
    assert literal_size("菏泽") == 8  # 6 bytes and two quotes
    assert literal_size("a'\\") == 7  # both escaped
    assert literal_size({"a": [1, None, True]}) == len("{'a': [1, null, true]}")


def test_batches_respect_both_limits_and_keep_every_row_in_order() -> None:
    rows = [row(i, mentions=i % 7) for i in range(300)]
    cut = list(batches(rows, STATEMENT, 40, 1500))
    assert all(len(b) <= 40 and request_size(STATEMENT, b) <= 1500 for b in cut)
    assert [r for b in cut for r in b] == rows
    assert [len(b) for b in batches(rows, STATEMENT, 40, None)] == [40] * 7 + [20]


def test_a_big_row_is_cut_into_pieces_alone_in_their_requests() -> None:
    rows = [row(1), row(2, mentions=400), row(3)]
    cut = list(batches(rows, STATEMENT, 100, 1500))
    pieces = [b[0] for b in cut if b[0]["id"] == "p2"]
    assert len(pieces) > 1 and all(len(b) == 1 for b in cut if b[0]["id"] == "p2")
    assert [m for p in pieces for m in p["lists"]["mentions"]] == rows[1]["lists"]["mentions"]
    assert pieces[0]["props"] == rows[1]["props"] and all(p["props"] == {} for p in pieces[1:])
    assert all(set(p["lists"]) == {"aliases", "mentions"} for p in pieces)
    assert all(request_size(STATEMENT, b) <= 1500 for b in cut)


def test_a_row_that_cannot_fit_is_refused() -> None:
    with pytest.raises(RowTooLarge):
        split_row({"id": "x", "props": {"name": "长" * 600}, "lists": {}}, STATEMENT, 1000)
    with pytest.raises(RowTooLarge):
        split_row({"id": "x", "props": {}, "lists": {"mentions": ["m" * 2000]}}, STATEMENT, 1000)


def _rendered(statement: str, params: dict) -> int:
    """The request as FalkorDB splices it: ``CYPHER name=value … statement`` (strings escaped, NULL for None)."""
    def lit(value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
        if isinstance(value, list):
            return "[" + ", ".join(lit(v) for v in value) + "]"
        return str(value)
    return len(("CYPHER " + "".join(f"{k}={lit(v)} " for k, v in params.items()) + statement).encode("utf-8"))


def test_column_requests_are_counted_as_falkordb_writes_them() -> None:
    rows = [{"id": f"p{i}", "props": {"name": f"地方{i}'", **({"kind": "town"} if i % 3 else {})},
             "lists": {"aliases": [f"别名\\{i}"] * (i % 2), "mentions": [f"m{j}" for j in range(i % 4)]}} for i in range(60)]
    columns = Columns.of(rows)
    assert columns.scalars == ("name", "kind") and columns.lists == ("aliases", "mentions")
    cut = list(batches(rows, STATEMENT, 100, 700, columns))
    assert len(cut) > 2 and [r for b in cut for r in b] == rows
    for batch in cut:
        assert request_size(STATEMENT, batch, columns) == _rendered(STATEMENT, columns.params(batch)) <= 700
    assert _rendered(STATEMENT, columns.params(cut[0] + cut[1][:1])) > 700  # each batch is as full as the cap allows
