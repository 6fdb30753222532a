"""Loading a build into Neo4j (or another Bolt server) and reading from it, with the official driver.

Writes go in batches of ``UNWIND range(0, size($i) - 1) AS k MERGE … SET …``
whose rows travel column by column (see :mod:`loaders.cypher` and
:mod:`loaders.batches`). On Neo4j each batch is one managed write
transaction, which the driver retries on transient errors; on FalkorDB,
whose transactions do nothing, the batches are auto-commit statements sent
one after another on one session (:meth:`BoltStore.batch_writer`). Nodes are
written before relations, so a
load that dies half-way leaves only whole nodes and relations between
existing nodes; running the same load again completes it, because every
statement merges by id and unions lists.

Credentials come only from the caller (the CLI takes them from options or
``NEO4J_USERNAME``/``NEO4J_PASSWORD``); the password appears in no log line,
error message or progress item (:meth:`BoltSettings.redact`).

Examples
--------
>>> settings = BoltSettings("bolt://db.example:7687", "neo4j", "s3cret")
>>> "s3cret" in repr(settings), settings.redact("login s3cret failed")
(False, 'login *** failed')
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo4j_errors

from kg.errors import QueryError, StoreError
from kg.schema import Schema, load_schema
from loaders import QueryResult, cypher
from loaders.batches import Columns, RowTooLarge, batches
from loaders.dialects import Dialect, dialect, index_pairs
from loaders.records import BuildRows, EdgeRow, NodeRow, build_rows

log = logging.getLogger(__name__)
DEFAULT_BATCH_ROWS = 10_000
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class BoltSettings:
    """Where and how to connect; the password never shows in ``repr``."""

    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    dialect: str = "neo4j"

    @property
    def shown_uri(self) -> str:
        """The URI without any user information, for messages."""
        parts = urlsplit(self.uri)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def redact(self, text: str) -> str:
        """``text`` with the password (and the raw URI, which may hold one) blanked."""
        if self.uri and self.uri != self.shown_uri:
            text = text.replace(self.uri, self.shown_uri)
        if self.password:
            text = text.replace(self.password, "***")
        return text


@dataclass(slots=True)
class LoadReport:
    """What a load wrote."""

    nodes: int = 0
    edges: int = 0
    batches: int = 0
    seconds: float = 0.0
    deleted: int = 0
    ignored: list[str] = field(default_factory=list)


class BoltStore:
    """One driver to one Bolt server; every call maps driver errors to :class:`StoreError`.

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, settings: BoltSettings) -> None:
        self.settings = settings
        self.dialect: Dialect = _dialect(settings.dialect)
        parts = urlsplit(settings.uri)
        if not parts.scheme or not parts.hostname:
            raise StoreError(f"{settings.shown_uri!r} is not a Bolt URI (for example bolt://localhost:7687)")
        auth = (settings.user or "", settings.password or "") if (settings.user or settings.password) else None
        log.info("connecting to %s as %s (%s dialect)", settings.shown_uri, settings.user or "no user", self.dialect.name)
        with self._errors("connect to"):
            self.driver = self._connect(parts.scheme, parts.hostname, parts.port or 7687, auth)
        if self.dialect.name == "neo4j":
            self._refuse_falkordb()

    def _connect(self, scheme: str, host: str, port: int, auth: tuple[str, str] | None) -> neo4j.Driver:
        """A driver whose first connection is open, after clearing FalkorDB's stalled handshakes (see
        :mod:`loaders.dialects`); a connect whose handshake was swallowed anyway is tried again."""
        options: dict[str, Any] = {"user_agent": "chainkg"}
        if self.dialect.connection_seconds is not None:  # the handshake waits for the acquisition timeout
            options["connection_timeout"] = options["connection_acquisition_timeout"] = self.dialect.connection_seconds
        plain = "+" not in scheme  # a bare handshake means nothing to a TLS port
        for attempt in range(1, self.dialect.connect_attempts + 1):
            swallowed = self.dialect.before_connect(host, port) if plain else 0
            if swallowed and self.dialect.name == "neo4j":
                log.info("%s swallowed %d bare handshakes: not Neo4j's behaviour", self.settings.shown_uri, swallowed)
            driver = neo4j.GraphDatabase.driver(self.settings.uri, auth=auth, **options)
            try:
                driver.verify_connectivity()
                return driver
            except neo4j_errors.ServiceUnavailable as exc:
                driver.close()
                if attempt == self.dialect.connect_attempts or "handshake" not in str(exc):
                    raise
                log.info("the Bolt handshake with %s went unanswered; connecting again", self.settings.shown_uri)
            except BaseException:
                driver.close()
                raise
        raise AssertionError("unreachable")

    def _refuse_falkordb(self) -> None:
        """Fail at once, naming the flag, when the neo4j dialect is pointed at FalkorDB (which calls
        itself Neo4j but refuses every Neo4j procedure with an ``UnknownError``)."""
        try:
            with self._session(neo4j.READ_ACCESS) as session:
                session.run("CALL dbms.components() YIELD name RETURN name").consume()
        except neo4j_errors.Neo4jError as exc:
            if "UnknownError" in (exc.code or ""):
                _drop_connections(self.driver)
                self.driver.close()
                raise StoreError(f"{self.settings.shown_uri} is a FalkorDB server, not Neo4j: add --dialect falkordb "
                                 "(or set KG_BOLT_DIALECT=falkordb)") from None
        except (neo4j_errors.DriverError, OSError):
            pass  # the first real request reports it

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the driver and its connections (on FalkorDB without ``GOODBYE``, see :func:`_drop_connections`)."""
        if self.dialect.name == "falkordb":
            _drop_connections(self.driver)
        self.driver.close()

    def _session(self, mode: str) -> neo4j.Session:
        return self.driver.session(database=self.settings.database, default_access_mode=mode)

    def _errors(self, doing: str) -> _ErrorMap:
        return _ErrorMap(self.settings, doing)

    def write(self, statement: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run one statement in a managed write transaction (retried on transient errors)."""
        try:
            wire = self.dialect.encode_parameters(params)
        except ValueError as exc:
            raise StoreError(f"{self.settings.shown_uri}: {exc}") from exc

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(statement, wire)]

        with self._errors("write to"), self._session(neo4j.WRITE_ACCESS) as session:
            return session.execute_write(work)

    @contextmanager
    def batch_writer(self) -> Iterator[Callable[[str, dict[str, Any]], list[dict[str, Any]]]]:
        """A function that sends one load request after another.

        On Neo4j each request is a managed write transaction (:meth:`write`).
        On FalkorDB, whose transactions do nothing (each statement commits by
        itself, and rollback is ignored), every request is an auto-commit
        statement on one session kept open: one round trip per request
        instead of three (begin, run, commit), and no session per request. A
        request that fails because the connection went is sent again on a
        new session (every load statement merges, so that is safe).
        """
        if not self.dialect.autocommit_batches:
            yield self.write
            return
        session: neo4j.Session | None = None

        def send(statement: str, params: dict[str, Any]) -> list[dict[str, Any]]:
            nonlocal session
            try:
                wire = self.dialect.encode_parameters(params)
            except ValueError as exc:
                raise StoreError(f"{self.settings.shown_uri}: {exc}") from exc
            for attempt in range(1, 4):
                with self._errors("write to"):
                    try:
                        session = session or self._session(neo4j.WRITE_ACCESS)
                        return session.run(statement, wire).data()
                    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired):
                        if session is not None:
                            session.close()
                        session = None
                        if attempt == 3:
                            raise
                        log.info("the connection to %s went; sending the request again", self.settings.shown_uri)
            raise AssertionError("unreachable")

        try:
            yield send
        finally:
            if session is not None:
                session.close()

    def read(self, statement: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> QueryResult:
        """Run one statement in a read transaction; ``timeout`` in seconds is enforced by the server.

        Raises
        ------
        QueryError
            When the server rejects the query or it times out.
        """
        try:
            wire = self.dialect.encode_parameters(params or {})
        except ValueError as exc:
            raise QueryError(str(exc)) from exc

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> QueryResult:
            result = tx.run(statement, wire)
            keys = list(result.keys())
            return QueryResult(keys, [[self.dialect.plain(value) for value in record.values()] for record in result])

        with self._errors("query"), self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(work)

    def counts(self, schema: Schema | None = None) -> dict[str, dict[str, int]]:
        """Node counts per label and relation counts per type (the schema's only)."""
        schema = schema or load_schema()
        nodes = {label: self.read(cypher.count_nodes(label)).rows[0][0] for label in schema.nodes}
        edges = {rel: self.read(cypher.count_edges(rel)).rows[0][0] for rel in schema.relations}
        return {"nodes": nodes, "edges": edges}


class _ErrorMap:
    """Turns driver exceptions into one-line :class:`StoreError`/:class:`QueryError` messages."""

    def __init__(self, settings: BoltSettings, doing: str) -> None:
        self.settings = settings
        self.doing = doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        if exc is None or not isinstance(exc, (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError)):
            return
        where = self.settings.shown_uri
        detail = self.settings.redact(_first_line(exc))
        if isinstance(exc, neo4j_errors.AuthError):
            raise StoreError(f"{where} refused the credentials of user {self.settings.user or '(none)'!r}") from None
        if isinstance(exc, (neo4j_errors.ServiceUnavailable, OSError)):
            raise StoreError(f"cannot {self.doing} {where}: the server is not reachable ({detail})") from None
        code = getattr(exc, "code", None) or ""
        if "TransactionTimedOut" in code:
            raise QueryError(f"the query timed out on {where}") from None
        if self.doing == "query" and code.startswith("Neo.ClientError"):
            raise QueryError(f"{where} rejected the query: {detail}") from None
        if self.doing == "connect to":
            raise StoreError(f"cannot open a session on {where} as user {self.settings.user or '(none)'!r}: {detail}; "
                             "check the address, user and password") from None
        raise StoreError(f"cannot {self.doing} {where}: {detail}") from None


def _drop_connections(driver: neo4j.Driver) -> None:
    """Close the driver's idle connections without the ``GOODBYE`` message.

    FalkorDB frees a client that says ``GOODBYE`` but leaves its socket number
    watched, and then swallows the handshake of the next client given that
    number (see :mod:`loaders.dialects`); a client that simply closes its
    socket is cleaned up properly. The driver has no public way to skip
    ``GOODBYE``, so this reaches into its pool; if the pool looks different
    (another driver version), the connections are left to ``close()``.
    """
    pool = getattr(driver, "_pool", None)
    connections = getattr(pool, "connections", None)
    if not isinstance(connections, dict):
        return
    for queue in list(connections.values()):
        for connection in list(queue):
            kill = getattr(connection, "kill", None)
            if callable(kill) and not getattr(connection, "in_use", False):
                try:
                    kill()
                except (OSError, neo4j_errors.DriverError):
                    pass


def _first_line(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())[:300]


def _dialect(name: str) -> Dialect:
    try:
        chosen = dialect(name)
    except ValueError as exc:
        raise StoreError(str(exc)) from exc
    if not chosen.over_bolt:
        raise StoreError(f"the {name} dialect is not a Bolt server")
    return chosen


def node_payload(row: NodeRow) -> dict[str, Any]:
    """The ``$rows`` item of a node."""
    return {"id": row.id, "props": {k: v for k, v in row.scalars.items() if v is not None}, "lists": row.lists}


def edge_payload(row: EdgeRow) -> dict[str, Any]:
    """The ``$rows`` item of a relation."""
    return {"id": row.id, "source": row.source, "target": row.target,
            "props": {k: v for k, v in row.scalars.items() if v is not None}, "lists": row.lists}


@dataclass(slots=True)
class _Batch:
    statement: str
    rows: list[dict[str, Any]]
    what: str
    edges: bool
    columns: Columns

    def params(self) -> dict[str, list[Any]]:
        """The request's parameters, column by column."""
        return self.columns.params(self.rows)


def plan(rows: BuildRows, schema: Schema, batch_rows: int, max_bytes: int | None) -> list[_Batch]:
    """Every request of a load, nodes first, in a stable order.

    Raises
    ------
    StoreError
        When a single row cannot fit under ``max_bytes`` even cut into pieces.
    """
    planned: list[_Batch] = []
    try:
        for label in sorted(rows.nodes):
            payload = [node_payload(row) for row in rows.nodes[label]]
            columns = Columns.of(payload)
            statement = cypher.merge_nodes(label, columns)
            planned.extend(_Batch(statement, chunk, label, False, columns)
                           for chunk in batches(payload, statement, batch_rows, max_bytes, columns))
        for key in sorted(rows.edges):
            payload = [edge_payload(row) for row in rows.edges[key]]
            columns = Columns.of(payload)
            statement = cypher.merge_edges(*key, columns)
            planned.extend(_Batch(statement, chunk, key[0], True, columns)
                           for chunk in batches(payload, statement, batch_rows, max_bytes, columns))
    except RowTooLarge as exc:
        raise StoreError(f"{exc}; raise --max-batch-bytes") from exc
    return planned


def ensure_schema(store: BoltStore, schema: Schema) -> None:
    """Create the constraints and indexes the dialect supports (idempotent)."""
    existing = None
    if store.dialect.existing_indexes_query:
        listed = store.read(store.dialect.existing_indexes_query)
        existing = index_pairs(listed.records())
    for statement in store.dialect.schema_statements(schema, existing):
        try:
            store.write(statement.text, {})
        except StoreError as exc:
            if not statement.optional:
                raise
            log.warning("the server refused an optional constraint (%s): %s", statement.text, exc)


def clear(store: BoltStore, schema: Schema, batch_rows: int = DEFAULT_BATCH_ROWS) -> int:
    """Delete every node of the schema's labels (and so their relations); returns how many."""
    deleted = 0
    for label in schema.nodes:
        while True:
            done = store.write(cypher.delete_nodes(label), {"limit": batch_rows})[0]["deleted"]
            deleted += done
            if done == 0:
                break
    return deleted


@dataclass(slots=True)
class LoadPlan:
    """A build read and cut into requests, ready to send."""

    rows: BuildRows
    batches: list[_Batch]
    schema: Schema


def prepare_load(build_dir: Path, batch_rows: int = DEFAULT_BATCH_ROWS, max_batch_bytes: int | None = None) -> LoadPlan:
    """Read ``build_dir`` and cut it into requests of at most ``batch_rows`` rows and ``max_batch_bytes`` bytes.

    Raises
    ------
    ContractError
        When the build is missing or malformed.
    StoreError
        When one row cannot fit under ``max_batch_bytes``.
    """
    schema = load_schema()
    rows = build_rows(Path(build_dir), schema)
    if rows.ignored:
        log.info("properties not in the schema, not stored: %s", ", ".join(sorted(rows.ignored)))
    return LoadPlan(rows, plan(rows, schema, batch_rows, max_batch_bytes), schema)


def run_load(load: LoadPlan, store: BoltStore, *, replace: bool = False, progress: Progress | None = None) -> LoadReport:
    """Send a prepared load: constraints and indexes, the optional clear, then every batch in order.

    Raises
    ------
    StoreError
        When the server is unreachable or refuses a batch; the message says
        how many batches were written, and running the same load again
        completes it.
    """
    started = time.perf_counter()
    report = LoadReport(ignored=sorted(load.rows.ignored))
    ensure_schema(store, load.schema)
    if replace:
        report.deleted = clear(store, load.schema)
        log.info("deleted %d nodes before loading", report.deleted)
    total = len(load.batches)
    with store.batch_writer() as send:
        for number, batch in enumerate(load.batches, 1):
            try:
                written = send(batch.statement, batch.params())[0]["written"]
            except StoreError as exc:
                raise StoreError(f"{exc} (after {number - 1} of {total} batches; the graph holds part of this build — "
                                 "run the same load again to complete it)") from None
            if written != len(batch.rows):
                raise StoreError(f"batch {number} of {total} ({batch.what}): {len(batch.rows) - written} of "
                                 f"{len(batch.rows)} relations found no end node in the graph")
            report.batches += 1
            if progress:
                progress(1, batch.what)
    report.nodes, report.edges = load.rows.node_count, load.rows.edge_count
    report.seconds = time.perf_counter() - started
    log.info("loaded %d nodes and %d relations in %d batches (%.2f s)", report.nodes, report.edges, report.batches, report.seconds)
    return report


def load_build(build_dir: Path, store: BoltStore, *, batch_rows: int = DEFAULT_BATCH_ROWS,
               max_batch_bytes: int | None = None, replace: bool = False, progress: Progress | None = None) -> LoadReport:
    """Merge the build in ``build_dir`` into the graph behind ``store`` (:func:`prepare_load` then :func:`run_load`).

    Parameters
    ----------
    batch_rows, max_batch_bytes
        At most this many rows, and at most this many bytes (see
        :mod:`loaders.batches`), per request.
    replace
        Delete the graph's nodes of the schema's labels first.
    progress
        Called with ``(1, what)`` after each batch.

    Examples
    --------
    >>> with BoltStore(BoltSettings("bolt://localhost:7687", "neo4j", "secret")) as store:  # doctest: +SKIP
    ...     report = load_build(Path("out/sample"), store, replace=True)
    """
    return run_load(prepare_load(build_dir, batch_rows, max_batch_bytes), store, replace=replace, progress=progress)
