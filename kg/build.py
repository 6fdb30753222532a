"""``kg build``: a corpus folder in, a build directory out.

Per-document work (read, decode, clean, extract) is a pure function of a
file's bytes, its name and the pipeline version, so it is cached on disk by
content hash and can run in worker processes (``jobs``). Resolution and graph
assembly then run once over all extractions. Output is written atomically,
so an interrupted build leaves the previous one intact; the embedded store
is refreshed the same way.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> root = Path(tempfile.mkdtemp())
>>> corpus = root / "corpus"; corpus.mkdir()
>>> _ = (corpus / "a.txt").write_text("链主企业培育\\n本报讯 2月1日,烟台市牟平区召开会议。", encoding="utf-8")
>>> result = build(corpus, root / "out", store=False)
>>> result.summary["documents"]["read"]
1
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import DocumentError, InputError
from kg.graph import assemble, counts, write_build
from kg.ingest import discover, document_from_bytes, relative_name
from kg.ingest.read import read_document_bytes
from kg.model import DocumentExtraction
from kg.resolve.merge import Resolver

log = logging.getLogger(__name__)
CACHE_DIR = ".kg-cache"

_NLP = None


@dataclass(slots=True)
class BuildResult:
    """What a build produced: the graph, its summary, and where it was written."""

    graph: nx.MultiDiGraph
    summary: dict[str, Any]
    out_dir: Path


@dataclass(slots=True)
class _Task:
    path: Path
    name: str
    data: bytes
    key: str


@dataclass(slots=True)
class _Outcome:
    name: str
    extraction: DocumentExtraction | None = None
    error: str | None = None
    cached: bool = False
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _nlp():  # type: ignore[no-untyped-def]
    global _NLP
    if _NLP is None:
        from kg.nlp.pipeline import build_pipeline

        _NLP = build_pipeline()
    return _NLP


def extract_bytes(data: bytes, name: str, suffix: str) -> DocumentExtraction:
    """Decode, clean and extract one document (the unit of work of every engine)."""
    from kg.extract.document import extract_document

    return extract_document(document_from_bytes(data, name, suffix), _nlp())


def _work(task: _Task) -> _Outcome:
    started = time.perf_counter()
    try:
        extraction = extract_bytes(task.data, task.name, task.path.suffix.lower())
    except DocumentError as exc:
        return _Outcome(task.name, error=exc.problem)
    return _Outcome(task.name, extraction, seconds=time.perf_counter() - started)


class ExtractionCache:
    """Extractions on disk, keyed by content hash, document name and pipeline version."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    def key(self, data: bytes, name: str, version: str) -> str:
        """Cache key of one document."""
        digest = hashlib.sha1(data)
        digest.update(b"\0" + name.encode("utf-8") + b"\0" + version.encode("utf-8"))
        return digest.hexdigest()

    def get(self, key: str) -> DocumentExtraction | None:
        """A cached extraction, or None (a damaged entry counts as a miss)."""
        if self.root is None:
            return None
        path = self.root / key[:2] / f"{key}.pkl"
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return value if isinstance(value, DocumentExtraction) else None

    def put(self, key: str, extraction: DocumentExtraction) -> None:
        """Store an extraction (atomically: write then rename)."""
        if self.root is None:
            return
        folder = self.root / key[:2]
        folder.mkdir(exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        with temporary.open("wb") as handle:
            pickle.dump(extraction, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{key}.pkl")


def _tasks(corpus: Path, skipped: list[dict[str, str]], version: str, cache: ExtractionCache) -> Iterator[_Task]:
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
        yield _Task(path, name, data, cache.key(data, name, version))


def run_extraction(
    corpus: Path,
    *,
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress: Callable[[int, str], None] | None = None,
    skipped: list[dict[str, str]],
    stats: Counter[str],
) -> Iterator[DocumentExtraction]:
    """Yield the extraction of every readable document under ``corpus``, in order."""
    from kg.nlp.pipeline import pipeline_version

    cache = ExtractionCache(cache_dir)
    version = pipeline_version()

    def finish(task: _Task, outcome: _Outcome) -> DocumentExtraction | None:
        if progress:
            progress(1, task.name)
        if outcome.error is not None:
            skipped.append({"doc": task.name, "reason": outcome.error})
            log.warning("%s: %s", task.name, outcome.error)
            return None
        assert outcome.extraction is not None
        if not outcome.cached:
            cache.put(task.key, outcome.extraction)
            stats["extracted"] += 1
        else:
            stats["cached"] += 1
        stats["chars"] += outcome.extraction.chars
        return outcome.extraction

    tasks = _tasks(corpus, skipped, version, cache)
    if jobs <= 1:
        for task in tasks:
            cached = cache.get(task.key)
            outcome = _Outcome(task.name, cached, cached=True) if cached else _work(task)
            if (extraction := finish(task, outcome)) is not None:
                yield extraction
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        window: list[tuple[_Task, Any]] = []
        for task in tasks:
            cached = cache.get(task.key)
            window.append((task, _Outcome(task.name, cached, cached=True) if cached else pool.submit(_work, task)))
            while len(window) > jobs * 4:
                done_task, future = window.pop(0)
                outcome = future if isinstance(future, _Outcome) else future.result()
                if (extraction := finish(done_task, outcome)) is not None:
                    yield extraction
        for done_task, future in window:
            outcome = future if isinstance(future, _Outcome) else future.result()
            if (extraction := finish(done_task, outcome)) is not None:
                yield extraction


def build(
    corpus: Path,
    out_dir: Path,
    *,
    jobs: int = 1,
    use_cache: bool = True,
    store: bool = True,
    progress: Callable[[int, str], None] | None = None,
) -> BuildResult:
    """Build the graph of ``corpus`` into ``out_dir`` and return it with its summary.

    Raises
    ------
    InputError
        When ``corpus`` does not exist or holds no readable document.
    """
    corpus = Path(corpus)
    out_dir = Path(out_dir)
    started = time.perf_counter()
    skipped: list[dict[str, str]] = []
    stats: Counter[str] = Counter()
    cache_dir = out_dir.parent / f".{out_dir.name}{CACHE_DIR}" if use_cache else None
    resolver = Resolver()
    documents = 0
    for extraction in run_extraction(corpus, jobs=jobs, cache_dir=cache_dir, progress=progress, skipped=skipped, stats=stats):
        resolver.add(extraction)
        documents += 1
    if documents == 0:
        if skipped:
            reasons = "; ".join(f"{s['doc']}: {s['reason']}" for s in skipped[:3])
            raise InputError(f"{corpus}: no document could be read ({reasons})")
        raise InputError(f"{corpus}: no documents (.txt, .md, .html, .htm) found")
    entities, edges = resolver.result()
    graph = assemble(entities, edges)
    elapsed = time.perf_counter() - started
    summary = {
        "corpus": str(corpus),
        "documents": {"read": documents, "skipped": len(skipped), "extracted": stats["extracted"], "from_cache": stats["cached"]},
        "skipped": skipped,
        **counts(graph),
        "rejected_edges": dict(resolver.rejected),
        "characters": stats["chars"],
        "seconds": round(elapsed, 3),
    }
    write_build(graph, out_dir, summary)
    if store:
        from loaders.embedded import refresh_store

        refresh_store(out_dir)
    return BuildResult(graph, summary, out_dir)
