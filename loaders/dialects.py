"""Every difference between the graph stores chainkg talks to, and nothing else.

Three dialects:

``neo4j``
    Neo4j 5 over Bolt (the official driver). Unique constraints on ``id`` for
    every label and relation type, range indexes on ``name``
    (``CREATE CONSTRAINT … IF NOT EXISTS``); read transactions are enforced by
    the server. Relation-id constraints need Neo4j 5.7 or later, so a server
    that refuses one only loses that constraint (the loader merges relations
    by pattern anyway).
``falkordb``
    FalkorDB 4.16 over its Bolt port: the only Bolt server that installs on
    these machines, used by the tests. Measured differences from Neo4j:

    * Neo4j 5 constraint and index DDL is refused; indexes are made with
      ``CREATE INDEX FOR (n:L) ON (n.p)``, which fails when the index exists,
      so existing ones are listed first (``CALL db.indexes()``).
    * Parameters are spliced into the query text as single-quoted literals
      without escaping, and then unescaped, so every string parameter is sent
      with ``\\`` and ``'`` escaped (:func:`falkordb_escape`); the NUL
      character cannot be sent at all.
    * A request over about 4 KiB of query text (parameters included) crashes
      the server: ``kg load`` caps requests at :attr:`safe_request_bytes`
      (3 500) unless ``--max-batch-bytes`` says otherwise.
    * Read transactions are not enforced and rollback does nothing, so
      analyst queries are also checked for write clauses before they are
      sent, ``CALL`` included (procedures may write).
    * All errors arrive as ``UnknownError``; a date value in a result crashes
      the server (dates are stored as ISO strings everywhere); any database
      name maps to one shared graph; the transaction timeout is ignored.
    * A client that says ``GOODBYE`` (every driver does on close) is freed
      without taking its socket out of the event loop, so the server's loop
      keeps the number of that socket marked as watched. The next connection
      the server accepts on that number is never read: its Bolt handshake is
      swallowed, the client waits until its own timeout ("Failed to read four
      byte Bolt handshake response"), and the server keeps that socket open
      for good, which uses the stale number up. Two closed drivers leave two
      stale numbers, and so on. Hence, before every connect, bare handshakes
      are sent until one is answered (:func:`clear_stalled_handshakes`), the
      driver's connection timeout is short (:attr:`connection_seconds`), and
      a connect whose handshake was swallowed anyway is retried.
``ladybug``
    The embedded LadybugDB store: tables need a schema (generated here from
    ``schema/graph.yaml``), no ``SET n += map``, no multi-labels (``:A:B``
    means A *or* B), ``label()`` instead of ``labels()``/``type()``, no
    ``CALL {}``, no secondary indexes, a ``NULL`` parameter is typed as a
    boolean (so named queries use ``''`` and ``0`` for "no filter"), and
    property names such as ``end`` or ``index`` must be back-quoted. Its
    extensions download at run time, so ``INSTALL`` and ``LOAD`` are refused.
"""

from __future__ import annotations

import datetime as _dt
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.schema import Schema
from loaders.records import edge_columns, node_columns

# Clauses that change a graph or reach outside it; an analyst query may use none of them.
WRITE_KEYWORDS = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "COPY",
    "INSTALL", "ATTACH", "ALTER", "IMPORT", "EXPORT", "GRANT", "DENY", "REVOKE", "TERMINATE",
})


@dataclass(frozen=True, slots=True)
class SchemaStatement:
    """One DDL statement; an optional one may be refused by older servers without failing the load."""

    text: str
    optional: bool = False


def identifier(name: str) -> str:
    """A back-quoted identifier, valid in all three dialects.

    Examples
    --------
    >>> identifier("end"), identifier("a`b")
    ('`end`', '`a``b`')
    """
    return "`" + name.replace("`", "``") + "`"


class Dialect:
    """The Neo4j 5 behaviour; the other dialects override what differs."""

    name = "neo4j"
    over_bolt = True
    enforces_read_only = True
    existing_indexes_query: str | None = None
    safe_request_bytes: int | None = None
    handshake_seconds = 1.0
    connection_seconds: float | None = None  # the driver's default (30 s)
    connect_attempts = 1
    autocommit_batches = False  # load requests as managed transactions (see BoltStore.batch_writer)

    def schema_statements(self, schema: Schema, existing: set[tuple[str, str]] | None = None) -> list[SchemaStatement]:
        """Constraints and indexes for every label and relation type of ``schema``."""
        statements: list[SchemaStatement] = []
        for label in schema.nodes:
            for prop in schema.unique:
                statements.append(SchemaStatement(
                    f"CREATE CONSTRAINT {identifier(f'kg_{label}_{prop}')} IF NOT EXISTS "
                    f"FOR (n:{identifier(label)}) REQUIRE n.{identifier(prop)} IS UNIQUE"))
            for prop in schema.indexes:
                statements.append(SchemaStatement(
                    f"CREATE INDEX {identifier(f'kg_{label}_{prop}')} IF NOT EXISTS "
                    f"FOR (n:{identifier(label)}) ON (n.{identifier(prop)})"))
        for rel_type in schema.relations:
            for prop in schema.unique:
                statements.append(SchemaStatement(
                    f"CREATE CONSTRAINT {identifier(f'kg_{rel_type}_{prop}')} IF NOT EXISTS "
                    f"FOR ()-[r:{identifier(rel_type)}]-() REQUIRE r.{identifier(prop)} IS UNIQUE", optional=True))
        return statements

    def encode_parameters(self, params: dict[str, Any]) -> dict[str, Any]:
        """Parameters as this server needs them on the wire."""
        return params

    def refused_keywords(self) -> frozenset[str]:
        """Keywords an analyst query may not contain on this store."""
        return WRITE_KEYWORDS

    def before_connect(self, host: str, port: int) -> int:
        """Bare Bolt handshakes until one is answered; returns how many were swallowed.

        Neo4j answers the first one at once; a swallowed one is the mark of
        FalkorDB (see :func:`clear_stalled_handshakes`), which the caller
        reports instead of waiting for the driver's timeout.
        """
        return clear_stalled_handshakes(host, port, self.handshake_seconds)

    def plain(self, value: Any) -> Any:
        """A result value as plain Python: nodes and relations become maps, times ISO text."""
        from neo4j.graph import Node, Path, Relationship

        if isinstance(value, Node):
            return {"_labels": sorted(value.labels), **{k: self.plain(v) for k, v in value.items()}}
        if isinstance(value, Relationship):
            return {"_type": value.type, **{k: self.plain(v) for k, v in value.items()}}
        if isinstance(value, Path):
            return [self.plain(item) for item in value]
        return _plain_common(value, self.plain)


class FalkorDialect(Dialect):
    """FalkorDB 4.16 over Bolt (see the module docstring for each difference)."""

    name = "falkordb"
    enforces_read_only = False
    safe_request_bytes = 3500
    existing_indexes_query = "CALL db.indexes() YIELD label, properties RETURN label, properties"
    handshake_seconds = 0.25
    connection_seconds = 5.0
    connect_attempts = 3
    autocommit_batches = True  # its transactions do nothing: one auto-commit statement per request

    def schema_statements(self, schema: Schema, existing: set[tuple[str, str]] | None = None) -> list[SchemaStatement]:
        """``CREATE INDEX`` on the unique and the indexed properties, skipping ``existing`` (label, property) pairs."""
        existing = existing or set()
        statements = []
        for label in schema.nodes:
            for prop in dict.fromkeys((*schema.unique, *schema.indexes)):
                if (label, prop) not in existing:
                    statements.append(SchemaStatement(f"CREATE INDEX FOR (n:{identifier(label)}) ON (n.{identifier(prop)})"))
        return statements

    def encode_parameters(self, params: dict[str, Any]) -> dict[str, Any]:
        """Every string escaped for FalkorDB's literal splicing.

        Raises
        ------
        ValueError
            For a string holding the NUL character, which FalkorDB cuts off.
        """
        return {key: falkordb_escape(value) for key, value in params.items()}

    def refused_keywords(self) -> frozenset[str]:
        """Also ``CALL``: the server does not enforce read transactions, and procedures may write."""
        return WRITE_KEYWORDS | {"CALL"}

BOLT_HANDSHAKE = b"\x60\x60\xb0\x17" + struct.pack(">4I", 0x0405, 0x0404, 0, 0)


def clear_stalled_handshakes(host: str, port: int, answer_seconds: float, attempts: int = 8) -> int:
    """Send bare Bolt handshakes (Bolt 5.4 or 4.4) until one is answered, closing each; returns how
    many went unanswered.

    On FalkorDB every unanswered one uses up one stale socket number (see the
    module docstring), so once one is answered, the next connection is read.
    A refused or unreachable address ends the probing: the driver reports it.
    """
    swallowed = 0
    for _ in range(attempts):
        try:
            probe = socket.create_connection((host, port), timeout=max(answer_seconds, 2.0))
        except OSError:
            return swallowed
        with probe:
            try:
                probe.settimeout(answer_seconds)
                probe.sendall(BOLT_HANDSHAKE)
                probe.recv(4)  # an answer, or the server closed it: either way not a stall
                return swallowed
            except TimeoutError:
                swallowed += 1
            except OSError:
                return swallowed
    return swallowed


def falkordb_escape(value: Any) -> Any:
    """``value`` with every string escaped as FalkorDB's Bolt parameter splicing needs.

    Examples
    --------
    >>> falkordb_escape({"name": "O'Neil \\\\ co", "n": [1, "a'b"]})
    {'name': "O\\\\'Neil \\\\\\\\ co", 'n': [1, "a\\\\'b"]}
    """
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("FalkorDB cannot store the NUL character")
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, dict):
        return {key: falkordb_escape(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [falkordb_escape(item) for item in value]
    return value


_LADYBUG_TYPES = {"string": "STRING", "string[]": "STRING[]", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN"}
_LADYBUG_INTERNAL = frozenset({"_ID", "_LABEL", "_SRC", "_DST"})


class LadybugDialect(Dialect):
    """The embedded LadybugDB store."""

    name = "ladybug"
    over_bolt = False

    def schema_statements(self, schema: Schema, existing: set[tuple[str, str]] | None = None) -> list[SchemaStatement]:
        """``CREATE NODE TABLE`` per label and ``CREATE REL TABLE`` per relation type (all endpoint pairs)."""
        statements = []
        for label in schema.nodes:
            columns = ", ".join(f"{identifier(n)} {_LADYBUG_TYPES[t]}" for n, t in node_columns(schema, label).items())
            statements.append(SchemaStatement(f"CREATE NODE TABLE {identifier(label)}({columns}, PRIMARY KEY ({identifier('id')}))"))
        for rel_type, relation in schema.relations.items():
            pairs = ", ".join(f"FROM {identifier(h)} TO {identifier(t)}" for h, t in sorted(relation.endpoints))
            columns = ", ".join(f"{identifier(n)} {_LADYBUG_TYPES[t]}" for n, t in edge_columns(schema, rel_type).items())
            statements.append(SchemaStatement(f"CREATE REL TABLE {identifier(rel_type)}({pairs}, {columns})"))
        return statements

    def copy_statement(self, table: str, source: str, ends: tuple[str, str] | None = None) -> str:
        """``COPY`` of a Parquet file into a table; ``ends`` picks the endpoint pair of a relation table."""
        options = f" (from={string_literal(ends[0])}, to={string_literal(ends[1])})" if ends else ""
        return f"COPY {identifier(table)} FROM {string_literal(source)}{options}"

    def plain(self, value: Any) -> Any:
        """Ladybug returns nodes and relations as maps with internal keys and every column of every
        table it may come from; keep the shape the Bolt dialects give (no null properties)."""
        if isinstance(value, dict) and "_LABEL" in value and "_ID" in value:
            key = "_type" if "_SRC" in value else "_labels"
            shown: Any = value["_LABEL"] if key == "_type" else [value["_LABEL"]]
            kept = {k: self.plain(v) for k, v in value.items() if k not in _LADYBUG_INTERNAL and v is not None}
            return {key: shown, **kept}
        return _plain_common(value, self.plain)


def string_literal(text: str) -> str:
    """A single-quoted Cypher string literal (for the few places a parameter is not allowed).

    Examples
    --------
    >>> string_literal("it's")
    "'it\\\\'s'"
    """
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _plain_common(value: Any, plain: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.time, _dt.datetime)):
        return value.isoformat()
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


DIALECTS: dict[str, Dialect] = {d.name: d for d in (Dialect(), FalkorDialect(), LadybugDialect())}


def dialect(name: str) -> Dialect:
    """The dialect called ``name``.

    Examples
    --------
    >>> dialect("falkordb").enforces_read_only
    False
    """
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown dialect {name!r} (known: {', '.join(DIALECTS)})") from None


def index_pairs(rows: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(label, property) pairs from the rows of a dialect's ``existing_indexes_query``."""
    return {(row["label"], prop) for row in rows for prop in row["properties"]}
