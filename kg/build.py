"""``kg build``: a corpus folder in, a build directory out.

Per-document work (decode, clean, extract) is a pure function of a file's
bytes, its name and the pipeline version, so it is cached on disk by content
hash and can run anywhere: in this process, in worker processes (``jobs``) or
on a Dask cluster (``engine="dask"``, see :mod:`kg.engines`). Documents are
read and their results folded into the resolver one at a time, in corpus
order, so memory grows with the graph, not with the corpus, and every engine
gives the same output. Resolution then streams nodes and edges, in id order,
into a :class:`kg.graph.BuildWriter`, which swaps the new build in only once
it is complete: an interrupted build leaves the previous one intact.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> corpus = root / "corpus"; corpus.mkdir()
>>> _ = (corpus / "a.txt").write_text("链主企业培育\\n本报讯 2月1日,烟台市牟平区召开会议。", encoding="utf-8")
>>> result = build(corpus, root / "out", store=False)
>>> result.summary["documents"]["read"]
1
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import DocumentError, InputError
from kg.graph import BuildWriter, read_graph
from kg.ingest import discover, document_from_bytes, relative_name
from kg.ingest.read import read_document_bytes
from kg.model import DocumentExtraction
from kg.resolve.merge import Resolver

log = logging.getLogger(__name__)
CACHE_DIR = ".kg-cache"
ENGINES = ("local", "dask")

_WARM_UP_PAGE = "链长制推进会召开\n本报讯 2月1日,烟台市牟平区召开会议,山东青禾华材新材料有限公司负责人参加。".encode("utf-8")


@dataclass(slots=True)
class BuildResult:
    """What a build produced: its summary and where it was written."""

    summary: dict[str, Any]
    out_dir: Path

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The built graph, read back from the build directory (a build never holds it whole)."""
        return read_graph(self.out_dir)


@dataclass(slots=True)
class Task:
    """One document to extract: its path, its name in provenance, its bytes and its cache key."""

    path: Path
    name: str
    data: bytes
    key: str

    @property
    def suffix(self) -> str:
        """The file's suffix, lower-cased (it says whether to read the text as HTML)."""
        return self.path.suffix.lower()


@dataclass(slots=True)
class Outcome:
    """The result of one task: the extraction (pickled, as cached, when it crossed processes) or why it failed."""

    name: str
    payload: bytes | None = None
    error: str | None = None
    extraction: DocumentExtraction | None = None


def _nlp():  # type: ignore[no-untyped-def]
    from kg.extract.pipeline import load_pipeline

    return load_pipeline()


def extract_bytes(data: bytes, name: str, suffix: str) -> DocumentExtraction:
    """Decode, clean and extract one document (the unit of work of every engine)."""
    from kg.extract.document import extract_document

    return extract_document(document_from_bytes(data, name, suffix), _nlp())


def work(task: Task) -> Outcome:
    """Extract one task and pickle the result, in whichever process or worker runs it.

    Pickling here, once, serves both the trip back to the building process
    and the cache file, which stores these bytes as they are.
    """
    try:
        extraction = extract_bytes(task.data, task.name, task.suffix)
    except DocumentError as exc:
        return Outcome(task.name, error=exc.problem)
    return Outcome(task.name, pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))


def warm_up() -> None:
    """Load everything extraction loads lazily (pipeline, gazetteers, dictionaries) by extracting a tiny page.

    What was loaded is then frozen out of the garbage collector's sight
    (:func:`gc.freeze`): collections stop rescanning the dictionaries, and
    forked workers stop copying the pages those scans would touch.
    """
    extract_bytes(_WARM_UP_PAGE, "warm-up.txt", ".txt")
    gc.freeze()


@contextmanager
def _collector_for_builds() -> Iterator[None]:
    """Collect garbage less often while a build allocates millions of small, acyclic objects; restore after."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 50_000), thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class ExtractionCache:
    """Pickled extractions on disk, keyed by content hash, document name and pipeline version.

    Examples
    --------
    >>> import tempfile
    >>> cache = ExtractionCache(Path(tempfile.mkdtemp()))
    >>> key = cache.key(hashlib.sha1(b"text").hexdigest(), "a.txt", "v1")
    >>> cache.get(key) is None
    True
    >>> key == cache.key(hashlib.sha1(b"text").hexdigest(), "b.txt", "v1")
    False
    """

    def __init__(self, root: Path | None) -> None:
        self.root = root
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(digest: str, name: str, version: str) -> str:
        """Cache key of one document from the sha1 of its bytes, its name and the pipeline version."""
        return hashlib.sha1("\0".join((digest, name, version)).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> DocumentExtraction | None:
        """A cached extraction, or None (a damaged entry counts as a miss)."""
        if self.root is None:
            return None
        try:
            with self._path(key).open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return value if isinstance(value, DocumentExtraction) else None

    def put(self, key: str, payload: bytes) -> None:
        """Store a pickled extraction (atomically: write then rename)."""
        if self.root is None:
            return
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        os.replace(temporary, path)


@dataclass(slots=True)
class Entry:
    """A document in corpus order, with its extraction when the cache had it."""

    task: Task
    cached: DocumentExtraction | None


def _entries(corpus: Path, skipped: list[dict[str, str]], version: str, cache: ExtractionCache) -> Iterator[Entry]:
    """The corpus's documents in order, read one at a time, duplicates and unreadable files skipped."""
    seen: dict[str, str] = {}
    for path in discover(corpus):
        name = relative_name(path, corpus)
        try:
            data = read_document_bytes(path)
        except DocumentError as exc:
            skipped.append({"doc": name, "reason": exc.problem})
            log.warning("%s: %s", name, exc.problem)
            continue
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            skipped.append({"doc": name, "reason": f"same content as {seen[digest]}"})
            continue
        seen[digest] = name
        key = cache.key(digest, name, version)
        yield Entry(Task(path, name, data, key), cache.get(key))


Engine = Generator[tuple[Entry, Outcome | None], None, None]


def _serial(entries: Iterable[Entry]) -> Engine:
    """Entries in order with their outcomes, extracted in this process (nothing pickled but the cache)."""
    warm = False
    for entry in entries:
        if entry.cached is not None:
            yield entry, None
            continue
        if not warm:
            warm_up()
            warm = True
        task = entry.task
        try:
            yield entry, Outcome(task.name, extraction=extract_bytes(task.data, task.name, task.suffix))
        except DocumentError as exc:
            yield entry, Outcome(task.name, error=exc.problem)


def _pool(entries: Iterable[Entry], jobs: int) -> Engine:
    """Entries in order with their outcomes from ``jobs`` worker processes.

    The workers start with the first uncached document (a rebuild from the
    cache starts none). The pipeline is loaded here before they fork, so they
    extract at once and share its memory. At most ``4 * jobs`` documents are
    in flight and ``16 * jobs`` held, so memory stays bounded however cached
    and uncached documents mix.
    """
    with ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        window: deque[tuple[Entry, Future[Outcome] | None]] = deque()
        in_flight = 0
        for entry in entries:
            future = None
            if entry.cached is None:
                if pool is None:
                    warm_up()
                    pool = stack.enter_context(ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")))
                future = pool.submit(work, entry.task)
                in_flight += 1
            window.append((entry, future))
            while window and (window[0][1] is None or in_flight > 4 * jobs or len(window) > 16 * jobs):
                done, future = window.popleft()
                in_flight -= future is not None
                yield done, None if future is None else future.result()
        for done, future in window:
            yield done, None if future is None else future.result()


def run_extraction(
    corpus: Path,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, str], None] | None = None,
    skipped: list[dict[str, str]],
    stats: Counter[str],
) -> Iterator[DocumentExtraction]:
    """Yield the extraction of every readable document under ``corpus``, in corpus order.

    Cached documents come from the cache; the others are extracted by the
    engine: ``local`` with ``jobs`` processes (this one when ``jobs`` is 1),
    or ``dask`` on a local cluster of ``jobs`` workers, or on the cluster whose
    scheduler is at ``scheduler``. Only a bounded window of documents is held
    at any time.
    """
    from kg.extract.pipeline import pipeline_version

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    cache = ExtractionCache(cache_dir)
    entries = _entries(corpus, skipped, pipeline_version(), cache)
    if engine == "dask":
        from kg.engines import dask_engine

        results: Engine = dask_engine(entries, jobs=jobs, scheduler=scheduler)
    else:
        results = _pool(entries, jobs) if jobs > 1 else _serial(entries)
    with closing(results):
        for entry, outcome in results:
            if progress:
                progress(1, entry.task.name)
            if outcome is None:
                assert entry.cached is not None
                stats["cached"] += 1
                extraction = entry.cached
            elif outcome.error is not None:
                skipped.append({"doc": entry.task.name, "reason": outcome.error})
                log.warning("%s: %s", entry.task.name, outcome.error)
                continue
            else:
                extraction = outcome.extraction or pickle.loads(outcome.payload)  # type: ignore[arg-type]
                if cache.root is not None:
                    cache.put(entry.task.key, outcome.payload or pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))
                stats["extracted"] += 1
            stats["chars"] += extraction.chars
            yield extraction


def build(
    corpus: Path,
    out_dir: Path,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    use_cache: bool = True,
    store: bool = True,
    progress: Callable[[int, str], None] | None = None,
    config: Path | None = None,
) -> BuildResult:
    """Build the graph of ``corpus`` into ``out_dir`` and return its summary.

    Parameters
    ----------
    corpus
        A folder of documents (.txt, .md, .html, .htm), searched recursively, or one file.
    out_dir
        The build directory to write; replaced only when the build succeeds.
    jobs
        Worker processes (``local``) or local-cluster workers (``dask``).
    engine
        ``local`` or ``dask``; both give the same build.
    scheduler
        With ``dask``: the address of a running scheduler instead of a local cluster.
    use_cache
        Reuse and write the per-document extraction cache beside ``out_dir``.
    store
        Refresh the embedded store in ``out_dir`` afterwards.
    config
        A pipeline config file (spaCy format) to run instead of the shipped one.

    Raises
    ------
    InputError
        When ``corpus`` does not exist or holds no readable document.
    """
    from kg.extract.pipeline import select_config

    select_config(config)
    corpus = Path(corpus)
    out_dir = Path(out_dir)
    started = time.perf_counter()
    skipped: list[dict[str, str]] = []
    stats: Counter[str] = Counter()
    cache_dir = out_dir.parent / f".{out_dir.name}{CACHE_DIR}" if use_cache else None
    with _collector_for_builds():
        resolver = Resolver()
        documents = 0
        extractions = run_extraction(
            corpus, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=cache_dir, progress=progress, skipped=skipped, stats=stats
        )
        for extraction in extractions:
            resolver.add(extraction)
            documents += 1
        if documents == 0:
            if not corpus.is_dir() and skipped:
                raise DocumentError(str(corpus), skipped[0]["reason"])
            if skipped:
                reasons = "; ".join(f"{s['doc']}: {s['reason']}" for s in skipped[:3])
                raise InputError(f"{corpus}: no document could be read ({reasons})")
            raise InputError(f"{corpus}: no documents (.txt, .md, .html, .htm) found")
        with BuildWriter(out_dir, resolver.schema) as writer:
            for entity in resolver.entities():
                writer.add_node(entity)
            for edge in resolver.edges():
                writer.add_edge(edge)
            summary = {
                "corpus": str(corpus),
                "documents": {"read": documents, "skipped": len(skipped), "extracted": stats["extracted"], "from_cache": stats["cached"]},
                "skipped": skipped,
                **writer.counts(),
                "rejected_edges": dict(resolver.rejected),
                "characters": stats["chars"],
                "seconds": round(time.perf_counter() - started, 3),
            }
            writer.commit(summary)
    if store:
        from loaders.embedded import refresh_store

        refresh_store(out_dir)
    return BuildResult(summary, out_dir)
