"""The embedded default store: a LadybugDB file inside the build directory.

``kg build`` calls :func:`refresh_store` after writing a build, so a new user
can query at once without any server. The store is made from scratch each
time: node and relation tables generated from ``schema/graph.yaml``, filled
with ``COPY`` from Parquet files (one per label and per relation endpoint
pair) written from the build; row-by-row ``MERGE`` would be hundreds of
times slower. It is built under a temporary name and then renamed over
``store.lbdb``, so a failed or interrupted refresh leaves the previous store
as it was.

Beside it, ``store.lbdb.json`` records the fingerprint (SHA-1 of
``nodes.jsonl`` and ``edges.jsonl``) of the build it was made from; a store
older than its build (say after ``kg build --no-store``) is refused instead
of answering with stale data. Queries open the store read-only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa
import pyarrow.parquet as pq

from kg.errors import QueryError, StoreError
from kg.graph import EDGES_FILE, NODES_FILE
from kg.schema import Schema, load_schema
from loaders import QueryResult
from loaders.dialects import LadybugDialect
from loaders.records import EdgeRow, NodeRow, edge_columns, iter_build_rows, node_columns

log = logging.getLogger(__name__)
STORE_FILE = "store.lbdb"
FINGERPRINT_FILE = "store.lbdb.json"
_STAGING_PREFIX = ".store-staging-"
LADYBUG = LadybugDialect()

_BATCH_ROWS = 2_000
_ARROW_TYPES = {"string": pa.string(), "string[]": pa.list_(pa.string()), "long": pa.int64(),
                "double": pa.float64(), "boolean": pa.bool_()}


@dataclass(slots=True)
class StoreReport:
    """What a refresh wrote."""

    path: Path
    nodes: int
    edges: int
    seconds: float


def store_path(build_dir: Path) -> Path:
    """Where the embedded store of ``build_dir`` lives."""
    return Path(build_dir) / STORE_FILE


def fingerprint(build_dir: Path) -> dict[str, str]:
    """SHA-1 of the build's node and relation files."""
    digests = {}
    for name in (NODES_FILE, EDGES_FILE):
        digest = hashlib.sha1()
        with (Path(build_dir) / name).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digests[name] = digest.hexdigest()
    return digests


def node_table(rows: list[NodeRow], columns: dict[str, str]) -> pa.Table:
    """An Arrow table of nodes, columns in table order."""
    data = {name: [row.lists[name] if type_name == "string[]" else row.scalars.get(name) for row in rows]
            for name, type_name in columns.items() if name != "id"}
    return pa.table({"id": pa.array([row.id for row in rows], pa.string()),
                     **{name: pa.array(values, _ARROW_TYPES[columns[name]]) for name, values in data.items()}})


def edge_table(rows: list[EdgeRow], columns: dict[str, str]) -> pa.Table:
    """An Arrow table of relations: ``from``, ``to``, then the columns in table order."""
    arrays: dict[str, pa.Array] = {"from": pa.array([r.source for r in rows], pa.string()),
                                   "to": pa.array([r.target for r in rows], pa.string())}
    for name, type_name in columns.items():
        if name == "id":
            values: list[Any] = [r.id for r in rows]
        elif type_name == "string[]":
            values = [r.lists[name] for r in rows]
        else:
            values = [r.scalars.get(name) for r in rows]
        arrays[name] = pa.array(values, _ARROW_TYPES[type_name])
    return pa.table(arrays)


class _ParquetGroups:
    """One Parquet file per node label and per relation (type, head, tail), written in batches as rows arrive."""

    def __init__(self, schema: Schema, scratch: Path) -> None:
        self.schema = schema
        self.scratch = scratch
        self.pending: dict[tuple[str, ...], list[Any]] = {}
        self.writers: dict[tuple[str, ...], pq.ParquetWriter] = {}
        self.counts = {"nodes": 0, "edges": 0}

    def add(self, row: NodeRow | EdgeRow) -> None:
        group = (row.label,) if isinstance(row, NodeRow) else (row.type, row.source_label, row.target_label)
        self.counts["nodes" if len(group) == 1 else "edges"] += 1
        batch = self.pending.setdefault(group, [])
        batch.append(row)
        if len(batch) >= _BATCH_ROWS:
            self._flush(group)

    def path(self, group: tuple[str, ...]) -> Path:
        """The Parquet file of ``group``."""
        return self.scratch / f"{'nodes' if len(group) == 1 else 'edges'}-{'-'.join(group)}.parquet"

    def _flush(self, group: tuple[str, ...]) -> None:
        rows = self.pending.pop(group)
        if len(group) == 1:
            table = node_table(rows, node_columns(self.schema, group[0]))
        else:
            table = edge_table(rows, edge_columns(self.schema, group[0]))
        if group not in self.writers:
            self.writers[group] = pq.ParquetWriter(self.path(group), table.schema)
        self.writers[group].write_table(table)

    def close(self) -> list[tuple[str, ...]]:
        """Write what is pending and close every file; the groups, node labels first."""
        for group in list(self.pending):
            self._flush(group)
        for writer in self.writers.values():
            writer.close()
        return sorted(self.writers, key=lambda group: (len(group) > 1, group))


def write_store(rows: Iterable[NodeRow | EdgeRow], schema: Schema, path: Path, scratch: Path) -> tuple[int, int]:
    """Create a new store at ``path`` holding ``rows`` (all nodes before any relation); return (nodes, relations).

    Rows are streamed into Parquet files in ``scratch`` in batches, so memory
    does not grow with the build; each file is then loaded with one ``COPY``.
    One checkpoint at the end instead of one per ``COPY`` (the default) makes
    small builds several times faster.
    """
    groups = _ParquetGroups(schema, scratch)
    for row in rows:
        groups.add(row)
    written = groups.close()
    database = ladybug.Database(str(path), auto_checkpoint=False)
    connection = ladybug.Connection(database)
    try:
        for statement in LADYBUG.schema_statements(schema):
            connection.execute(statement.text)
        for group in written:
            if len(group) == 1:
                connection.execute(LADYBUG.copy_statement(group[0], str(groups.path(group))))
            else:
                connection.execute(LADYBUG.copy_statement(group[0], str(groups.path(group)), (group[1], group[2])))
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
        database.close()
    return groups.counts["nodes"], groups.counts["edges"]


def refresh_store(build_dir: Path) -> StoreReport:
    """Rebuild the embedded store of ``build_dir`` from its files and swap it in atomically.

    Raises
    ------
    ContractError
        When the build files are missing or malformed.
    StoreError
        When LadybugDB fails; the previous store is left untouched.

    Examples
    --------
    >>> from kg.builder import build  # doctest: +SKIP
    >>> refresh_store(Path("out/sample")).path.name  # doctest: +SKIP
    'store.lbdb'
    """
    started = time.perf_counter()
    build_dir = Path(build_dir)
    schema = load_schema()
    digests = fingerprint(build_dir)
    _remove_abandoned_staging(build_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=build_dir))
    try:
        try:
            nodes, edges = write_store(iter_build_rows(build_dir, schema, set()), schema, staging / STORE_FILE, staging)
        except RuntimeError as exc:
            raise StoreError(f"{store_path(build_dir)}: LadybugDB failed while building the store: {exc}") from exc
        leftovers = sorted(p.name for p in staging.iterdir() if p.name.startswith(STORE_FILE + "."))
        if leftovers:
            raise StoreError(f"{store_path(build_dir)}: LadybugDB left {leftovers} behind; the store was not replaced")
        (staging / FINGERPRINT_FILE).write_text(json.dumps(digests, indent=2) + "\n", encoding="utf-8")
        os.replace(staging / STORE_FILE, store_path(build_dir))
        os.replace(staging / FINGERPRINT_FILE, build_dir / FINGERPRINT_FILE)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report = StoreReport(store_path(build_dir), nodes, edges, time.perf_counter() - started)
    log.info("embedded store %s: %d nodes, %d relations in %.2f s", report.path, report.nodes, report.edges, report.seconds)
    return report


def _remove_abandoned_staging(build_dir: Path) -> None:
    """Remove staging folders of refreshes whose process is gone (killed half-way)."""
    for entry in build_dir.glob(f"{_STAGING_PREFIX}*"):
        pid = entry.name[len(_STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_store(build_dir: Path) -> Path:
    """The store of ``build_dir``, checked to exist and to match the build's files.

    Raises
    ------
    StoreError
        When it is missing or was made from another version of the build.
    """
    path = store_path(build_dir)
    fix = f"run `kg load {build_dir} --embedded` to make it"
    if not path.is_file():
        raise StoreError(f"{path}: no embedded store (the build was made with --no-store?); {fix}")
    try:
        recorded = json.loads((Path(build_dir) / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    if recorded != fingerprint(build_dir):
        raise StoreError(f"{path} was made from another version of this build; {fix.replace('make', 'refresh')}")
    return path


@contextmanager
def open_store(build_dir: Path) -> Iterator[ladybug.Connection]:
    """A read-only connection to the checked store of ``build_dir``."""
    path = check_store(build_dir)
    try:
        database = ladybug.Database(str(path), read_only=True)
        connection = ladybug.Connection(database)
    except RuntimeError as exc:
        raise StoreError(f"{path}: cannot open the embedded store: {exc}") from exc
    try:
        yield connection
    finally:
        connection.close()
        database.close()


def run_read(connection: ladybug.Connection, statement: str, params: dict[str, Any] | None = None,
             timeout: float | None = None) -> QueryResult:
    """Run one query on an open store; ``timeout`` in seconds interrupts it.

    Raises
    ------
    QueryError
        When the query is malformed, tries to write, or times out.
    """
    # the store counts in whole milliseconds and 0 means "no timeout": round up, never down to 0
    connection.set_query_timeout(max(1, math.ceil(timeout * 1000)) if timeout else 0)
    try:
        result = connection.execute(statement, params or {})
    except RuntimeError as exc:
        message = " ".join(str(exc).split())
        if message.startswith("Interrupted"):
            raise QueryError(f"the query timed out after {timeout:g} s") from None
        if "read-only" in message:
            raise QueryError(f"the embedded store is read-only: {message}") from None
        hint = ""
        if _PROCEDURE.search(statement):
            hint = ("; the embedded store has no db.* or dbms.* procedures: list its tables with "
                    "`CALL show_tables() RETURN *` (README: Cypher on the embedded store)")
        raise QueryError(f"the embedded store rejected the query: {message}{hint}") from None
    if isinstance(result, list):
        raise QueryError("give one query at a time")
    columns = [column_title(name) for name in result.get_column_names()]
    rows = [[LADYBUG.plain(value) for value in row] for row in result.get_all()]
    result.close()
    return QueryResult(columns, rows)


_PROCEDURE = re.compile(r"\bCALL\s+(?:db|dbms)\.", re.IGNORECASE)
_INTERNAL = re.compile(r"\.(?:_ID|_LABEL|_SRC|_DST)\b")


def column_title(name: str) -> str:
    """A result column's title without the store's internal names: the store titles an unnamed
    ``count(n)`` ``COUNT(n._ID)`` and ``count(*)`` ``COUNT_STAR()``.

    Examples
    --------
    >>> column_title("COUNT(n._ID)"), column_title("COUNT_STAR()"), column_title("n.name")
    ('COUNT(n)', 'COUNT(*)', 'n.name')
    """
    return _INTERNAL.sub("", name).replace("COUNT_STAR()", "COUNT(*)")


def read(build_dir: Path, statement: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> QueryResult:
    """Run one query on the embedded store of ``build_dir``, opened read-only."""
    with open_store(build_dir) as connection:
        return run_read(connection, statement, params, timeout)
