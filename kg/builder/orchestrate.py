"""``kg build``: a corpus folder in, a build directory out (the orchestration of the other modules of :mod:`kg.builder`)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.builder.cache import cache_dir_for
from kg.builder.collector import collector_for_builds
from kg.builder.documents import document_states
from kg.errors import DocumentError, InputError
from kg.graph.writer import BuildWriter
from kg.resolve.state import DocumentState
from kg.resolve.merge import Resolver

if TYPE_CHECKING:
    import networkx as nx


@dataclass(slots=True)
class BuildResult:
    """What a build produced: its summary and where it was written."""

    summary: dict[str, Any]
    out_dir: Path

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The built graph, read back from the build directory (a build never holds it whole)."""
        from kg.graph.read import read_graph

        return read_graph(self.out_dir)


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
        Reuse and write the per-document cache (extractions keyed for resolution) beside ``out_dir``.
    store
        Refresh the embedded store in ``out_dir`` afterwards.
    config
        A pipeline config file (spaCy format) to run instead of the shipped one.

    Raises
    ------
    InputError
        When ``corpus`` does not exist or holds no readable document.
    """
    from kg.extract.pipeline import selected_config

    with selected_config(config):
        return _build(corpus, out_dir, jobs, engine, scheduler, use_cache, store, progress)


def _build(
    corpus: Path,
    out_dir: Path,
    jobs: int,
    engine: str,
    scheduler: str | None,
    use_cache: bool,
    store: bool,
    progress: Callable[[int, str], None] | None,
) -> BuildResult:
    corpus, out_dir = Path(corpus), Path(out_dir)
    started = time.perf_counter()
    skipped: list[dict[str, str]] = []
    stats: Counter[str] = Counter()
    with collector_for_builds():
        states = document_states(corpus, jobs=jobs, engine=engine, scheduler=scheduler,
                                 cache_dir=cache_dir_for(out_dir) if use_cache else None,
                                 progress=progress, skipped=skipped, stats=stats)
        resolver, documents = _resolve(states)
        if documents == 0:
            raise _nothing_read(corpus, skipped)
        summary = _write(resolver, out_dir, lambda counts: _summary(corpus, documents, skipped, stats, counts, resolver, started))
    if store:
        from loaders.embedded import refresh_store

        refresh_store(out_dir)
    return BuildResult(summary, out_dir)


def _resolve(states: Iterable[DocumentState]) -> tuple[Resolver, int]:
    """Fold every document's state into a resolver, one at a time; the resolver and the number of documents."""
    resolver = Resolver()
    documents = 0
    for state in states:
        resolver.add_state(state)
        documents += 1
    return resolver, documents


def _nothing_read(corpus: Path, skipped: list[dict[str, str]]) -> Exception:
    """The error of a build that read no document: the file's own problem, the first reasons, or no documents at all."""
    if not corpus.is_dir() and skipped:
        return DocumentError(str(corpus), skipped[0]["reason"])
    if skipped:
        reasons = "; ".join(f"{s['doc']}: {s['reason']}" for s in skipped[:3])
        return InputError(f"{corpus}: no document could be read ({reasons})")
    return InputError(f"{corpus}: no documents (.txt, .md, .html, .htm) found")


def _write(resolver: Resolver, out_dir: Path, summarise: Callable[[dict[str, dict[str, int]]], dict[str, Any]]) -> dict[str, Any]:
    """Stream the resolved graph into ``out_dir`` and commit it with the summary ``summarise`` makes of the counts."""
    with BuildWriter(out_dir, resolver.schema) as writer:
        for entity in resolver.entities():
            writer.add_node(entity)
        for edge in resolver.edges():
            writer.add_edge(edge)
        summary = summarise(writer.counts())
        writer.commit(summary)
    return summary


def _summary(corpus: Path, documents: int, skipped: list[dict[str, str]], stats: Counter[str], counts: dict[str, dict[str, int]],
             resolver: Resolver, started: float) -> dict[str, Any]:
    """The ``summary.json`` of a build."""
    return {
        "corpus": str(corpus),
        "documents": {"read": documents, "skipped": len(skipped), "extracted": stats["extracted"], "from_cache": stats["cached"]},
        "skipped": skipped,
        **counts,
        "rejected_edges": dict(resolver.rejected),
        "characters": stats["chars"],
        "seconds": round(time.perf_counter() - started, 3),
    }
