"""Every readable document's resolution state, in corpus order: from the cache, or extracted by the chosen engine (and cached)."""

from __future__ import annotations

import logging
import pickle
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

from kg.builder.cache import ExtractionCache
from kg.builder.corpus import entries as corpus_entries
from kg.builder.local import pool, serial
from kg.builder.tasks import Engine, Entry, Outcome
from kg.resolve.state import DocumentState

log = logging.getLogger("kg.builder")
ENGINES = ("local", "dask")


def _engine(entries: Iterator[Entry], engine: str, jobs: int, scheduler: str | None) -> Engine:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if engine == "dask":
        from kg.builder.dask_engine import dask_engine

        return dask_engine(entries, jobs=jobs, scheduler=scheduler)
    return pool(entries, jobs) if jobs > 1 else serial(entries)


def document_states(
    corpus: Path,
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[int, str], None] | None = None,
    skipped: list[dict[str, str]],
    stats: Counter[str],
) -> Iterator[DocumentState]:
    """Yield the resolution state of every readable document under ``corpus``, in corpus order.

    Cached documents come from the cache; the others are extracted by the
    engine: ``local`` with ``jobs`` processes (this one when ``jobs`` is 1),
    or ``dask`` on a local cluster of ``jobs`` workers, or on the cluster whose
    scheduler is at ``scheduler``. Only a bounded window of documents is held
    at any time. Unreadable documents are appended to ``skipped``; ``stats``
    counts ``cached``, ``extracted`` and ``chars``.
    """
    from kg.extract.pipeline import pipeline_version

    cache = ExtractionCache(cache_dir)
    results = _engine(corpus_entries(corpus, skipped, pipeline_version(), cache), engine, jobs, scheduler)
    with closing(results):
        for entry, outcome in results:
            if progress:
                progress(1, entry.task.name)
            state = _state(entry, outcome, cache, skipped, stats)
            if state is not None:
                stats["chars"] += state.chars
                yield state


def _state(entry: Entry, outcome: Outcome | None, cache: ExtractionCache, skipped: list[dict[str, str]],
           stats: Counter[str]) -> DocumentState | None:
    """The state an engine's outcome stands for (cached when new), or None when the document failed."""
    if outcome is None:
        assert entry.cached is not None
        stats["cached"] += 1
        return entry.cached
    if outcome.error is not None:
        skipped.append({"doc": entry.task.name, "reason": outcome.error})
        log.warning("%s: %s", entry.task.name, outcome.error)
        return None
    state = outcome.state or pickle.loads(outcome.payload)  # type: ignore[arg-type]
    if cache.root is not None:
        cache.put(entry.task.key, outcome.payload or pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    stats["extracted"] += 1
    return state
