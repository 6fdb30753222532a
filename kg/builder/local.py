"""The local engines: extraction in this process (one job) or in forked worker processes (``jobs > 1``)."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack

from kg.builder.tasks import Engine, Entry, Outcome
from kg.builder.warmup import warm_up
from kg.builder.work import state_of_bytes, work
from kg.errors import DocumentError


def serial(entries: Iterable[Entry]) -> Engine:
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
            yield entry, Outcome(task.name, state=state_of_bytes(task.data, task.name, task.suffix))
        except DocumentError as exc:
            yield entry, Outcome(task.name, error=exc.problem)


def pool(entries: Iterable[Entry], jobs: int) -> Engine:
    """Entries in order with their outcomes from ``jobs`` worker processes.

    The workers start with the first uncached document (a rebuild from the
    cache starts none). The pipeline is loaded here before they fork, so they
    extract at once and share its memory. At most ``4 * jobs`` documents are
    in flight and ``16 * jobs`` held, so memory stays bounded however cached
    and uncached documents mix.
    """
    with ExitStack() as stack:
        executor: ProcessPoolExecutor | None = None
        window: deque[tuple[Entry, Future[Outcome] | None]] = deque()
        in_flight = 0
        for entry in entries:
            future = None
            if entry.cached is None:
                if executor is None:
                    warm_up()
                    executor = stack.enter_context(ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")))
                future = executor.submit(work, entry.task)
                in_flight += 1
            window.append((entry, future))
            while window and (window[0][1] is None or in_flight > 4 * jobs or len(window) > 16 * jobs):
                done, future = window.popleft()
                in_flight -= future is not None
                yield done, None if future is None else future.result()
        for done, future in window:
            yield done, None if future is None else future.result()
