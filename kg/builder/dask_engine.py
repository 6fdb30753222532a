"""The Dask engine of ``kg build --engine dask``: per-document extraction on a Dask cluster.

The building process reads the corpus in order (it hashes every file for the
extraction cache), and hands the uncached documents to Dask in segments: each
segment is a ``dask.bag`` over file paths whose workers read the files
themselves and run the same :func:`kg.builder.work.work` as the local engine. Two
segments are in flight while the oldest is folded into the resolver, so the
cluster stays busy, memory stays bounded, and documents arrive in corpus
order, which is why both engines give the same build.

Without ``scheduler`` the engine starts a local cluster of ``jobs`` worker
processes (one thread each: extraction is pure Python and holds the GIL). With
a scheduler address it uses that cluster; its workers must have the same
``chainkg`` installed and see the corpus at the same path (a shared file
system). A worker that reads other bytes than the building process did, or
runs another pipeline version, reports the document as failed rather than
caching a wrong extraction.

Dask is optional (``pip install 'chainkg[dask]'``) and imported only here.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from kg.builder.cache import ExtractionCache
from kg.builder.tasks import Engine, Entry, Outcome, Task
from kg.builder.warmup import warm_up
from kg.builder.work import work
from kg.errors import DocumentError, KGError
from kg.ingest.read import read_document_bytes

_IN_FLIGHT = 2


def extract_file(item: tuple[str, str, str]) -> Outcome:
    """Read and extract one document on a worker: ``item`` is (path, name, cache key)."""
    from kg.extract.pipeline import pipeline_version

    path, name, key = item
    try:
        data = read_document_bytes(Path(path))
    except DocumentError as exc:
        return Outcome(name, error=exc.problem)
    if ExtractionCache.key(hashlib.sha1(data).hexdigest(), name, pipeline_version()) != key:
        return Outcome(name, error="changed while the build ran, or the worker runs another chainkg version")
    return work(Task(Path(path), name, data, key))


def _dask() -> tuple[Any, Any, Any]:
    try:
        import dask.bag
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise KGError("the dask engine needs Dask: pip install 'chainkg[dask]'") from exc
    return dask.bag, Client, LocalCluster


def _segments(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    """Consecutive entries holding up to ``size`` uncached documents (and at most ``4 * size`` in all)."""
    segment: list[Entry] = []
    uncached = 0
    for entry in entries:
        segment.append(entry)
        uncached += entry.cached is None
        if uncached >= size or len(segment) >= 4 * size:
            yield segment
            segment, uncached = [], 0
    if segment:
        yield segment


@contextmanager
def _client(jobs: int, scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a new local cluster of ``jobs`` workers."""
    _bag, Client, LocalCluster = _dask()
    logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise KGError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _on_cluster(client: Any, entries: Iterable[Entry]) -> Engine:
    """Entries in order with their outcomes, segment by segment, two segments in flight."""
    bag = _dask()[0]
    client.run(warm_up)
    width = max(1, sum(client.nthreads().values()))
    pending: deque[tuple[list[Entry], Any]] = deque()

    def submit(segment: list[Entry]) -> tuple[list[Entry], Any]:
        items = [(str(e.task.path.resolve()), e.task.name, e.task.key) for e in segment if e.cached is None]
        if not items:
            return segment, None
        documents = bag.from_sequence(items, partition_size=max(1, len(items) // (2 * width)))
        return segment, client.compute(documents.map(extract_file))

    def drain() -> Iterator[tuple[Entry, Outcome | None]]:
        segment, future = pending.popleft()
        outcomes = iter(future.result() if future is not None else ())
        if future is not None:
            future.release()
        for entry in segment:
            yield entry, None if entry.cached is not None else next(outcomes)

    for segment in _segments(entries, 4 * width):
        pending.append(submit(segment))
        while len(pending) > _IN_FLIGHT:
            yield from drain()
    while pending:
        yield from drain()


def dask_engine(entries: Iterable[Entry], *, jobs: int = 1, scheduler: str | None = None) -> Engine:
    """Entries in corpus order with their outcomes, the uncached ones extracted on Dask.

    The cluster is started (or reached) at the first uncached document, so a
    rebuild entirely from the cache needs none.

    Raises
    ------
    KGError
        When Dask is not installed or the scheduler cannot be reached.
    """
    _dask()
    remaining = iter(entries)
    for entry in remaining:
        if entry.cached is not None:
            yield entry, None
            continue
        with _client(jobs, scheduler) as client:
            yield from _on_cluster(client, chain([entry], remaining))
        return
