"""Benchmark 2: ``kg build --jobs 2`` against ``--jobs 1`` on the same corpus (goal: 1.7 times as fast).

Both runs are end to end, uncached, without the store, on the real-text
corpus of the throughput benchmark (``--synthetic``: the perturbed sample pages). They alternate (1, 2, 1, 2 ...) and the best wall time
of each is kept, so that a burst of load from another process on a shared
machine hurts both alike. ``--dask`` also times ``--engine dask`` on a local
cluster of two workers.

What no number of workers shortens is measured too: a first build of one
document (interpreter start, imports, pipeline and gazetteer load, writing a
tiny graph). With that serial part ``C`` and the one-job time ``T1``, Amdahl's
bound for two workers is ``T1 / (C + (T1 - C) / 2)``; it is printed beside the
measured speedup (resolution and writing, also serial, make the real bound
lower still).

Usage: ``python benchmarks/bench_parallel.py [--chars 2100000 | --synthetic --mb 10] [--repeat 2] [--dask] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from common import Run, kg_build, measure, report, say
from corpus import cached_corpus
from realtext import cached_real_corpus

GOAL = 1.7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=2_100_000, help="characters of the real-text corpus")
    parser.add_argument("--synthetic", action="store_true", help="perturbed sample pages instead of the real reports")
    parser.add_argument("--mb", type=float, default=10.0, help="size of the synthetic corpus in megabytes (UTF-8)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each setting; the fastest counts")
    parser.add_argument("--dask", action="store_true", help="also time --engine dask --jobs 2")
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    if args.synthetic:
        corpus, stats = cached_corpus(workdir, target_bytes=int(args.mb * 1e6), seed=7)
    else:
        corpus, stats = cached_real_corpus(workdir, chars=args.chars)  # type: ignore[assignment]
    say(f"{'synthetic' if args.synthetic else 'real-text'} corpus: {stats.files} files, {stats.bytes / 1e6:.1f} MB; {os.cpu_count()} cores")

    settings = {"jobs1": ["--jobs", "1"], "jobs2": ["--jobs", "2"]}
    if args.dask:
        settings["dask2"] = ["--jobs", "2", "--engine", "dask"]
    runs: dict[str, list[Run]] = {name: [] for name in settings}
    for attempt in range(args.repeat):
        for name, options in settings.items():
            run = measure(kg_build(corpus, workdir / f"build-{name}", *options, "--no-cache", "--no-store"))
            runs[name].append(run)
            say(f"  {name} #{attempt + 1}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, peak {run.peak_tree_mb:.0f} MB, "
                f"load {run.load_before:.1f}->{run.load_after:.1f}")
    best = {name: min(found, key=lambda run: run.wall) for name, found in runs.items()}
    speedup = best["jobs1"].wall / best["jobs2"].wall
    single = workdir / "parallel-single"
    single.mkdir(exist_ok=True)
    first = min(corpus.rglob("*.txt"))
    (single / first.name).write_bytes(first.read_bytes())
    serial = measure(kg_build(single, workdir / "build-parallel-single", "--jobs", "1", "--no-cache", "--no-store"))
    bound = best["jobs1"].wall / (serial.wall + (best["jobs1"].wall - serial.wall) / 2)
    say(f"serial part (a one-document build): {serial.wall:.1f} s wall; Amdahl bound for 2 workers: {bound:.2f}")
    say(f"--jobs 2 speedup: {speedup:.2f} (goal {GOAL}); CPU overhead of two workers: "
        f"{best['jobs2'].cpu / best['jobs1'].cpu - 1:+.0%}")
    figures = {
        "runs": {name: [run.as_dict() for run in found] for name, found in runs.items()},
        "speedup": speedup,
        "serial_seconds": serial.wall,
        "amdahl_bound": bound,
        "cpu_overhead": best["jobs2"].cpu / best["jobs1"].cpu - 1,
        "goal_met": speedup >= GOAL,
    }
    if args.dask:
        figures["dask_speedup"] = best["jobs1"].wall / best["dask2"].wall
        say(f"--engine dask --jobs 2 speedup: {figures['dask_speedup']:.2f}")
    report("parallel", figures)


if __name__ == "__main__":
    main()
