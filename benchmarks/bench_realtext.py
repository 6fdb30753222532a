"""Real-text speed in one run: ``kg build`` on the raw 2026 government work reports (and distinct recombinations of them).

Prints, for ``--jobs 1`` and ``--jobs 2`` (alternating, ``--repeat`` runs each,
the fastest wall time counts, CPU seconds beside): characters per second per
CPU core (characters / CPU seconds of the build and its workers), characters
per wall second, the wall time, the peak memory of the process tree (PSS) and
of the build process (RSS), the ratio to ``jieba.lcut`` over the same text
(characters per CPU second of the build / of jieba: 1.0 would be a build as
fast as segmentation alone), and the speedup of two jobs over one. Builds are
end to end (interpreter start to the swapped-in build directory), uncached,
without the store. The corpus is :mod:`realtext`: the reports, then
recombined pages up to ``--chars``.

Usage: ``python benchmarks/bench_realtext.py [--chars 2100000] [--repeat 2] [--jobs 1 2] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from bench_throughput import jieba_baseline
from common import Run, kg_build, measure, report, say
from realtext import cached_real_corpus

GOAL_CHARS_PER_CORE = 50_000
GOAL_SPEEDUP = 1.7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=2_100_000, help="characters of the corpus (the reports, then recombinations)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each setting; the fastest counts")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus, stats = cached_real_corpus(workdir, chars=args.chars)
    say(f"real-text corpus: {stats.files} files ({stats.reports} reports, {stats.recombined} recombined), "
        f"{stats.bytes / 1e6:.1f} MB, {stats.chars:,} characters; {os.cpu_count()} cores")
    runs: dict[int, list[Run]] = {jobs: [] for jobs in args.jobs}
    chars = 0
    for attempt in range(args.repeat):
        for jobs in args.jobs:
            out = workdir / f"build-real-jobs{jobs}"
            run = measure(kg_build(corpus, out, "--jobs", str(jobs), "--no-cache", "--no-store"))
            chars = json.loads((out / "summary.json").read_text(encoding="utf-8"))["characters"]
            runs[jobs].append(run)
            say(f"  --jobs {jobs} #{attempt + 1}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, "
                f"{chars / run.cpu:,.0f} chars/s per core, peak {run.peak_tree_mb:.0f} MB (tree PSS) / {run.peak_main_mb:.0f} MB "
                f"(build RSS), load {run.load_before:.1f}->{run.load_after:.1f}")
    jieba = jieba_baseline(corpus)
    say(f"jieba.lcut over the same text: {jieba['chars_per_cpu_s']:,.0f} chars per CPU second")
    figures: dict[str, object] = {"corpus": {"files": stats.files, "reports": stats.reports, "recombined": stats.recombined,
                                             "bytes": stats.bytes, "chars": chars}, "jieba": jieba}
    best = {jobs: min(found, key=lambda run: run.wall) for jobs, found in runs.items()}
    for jobs, run in best.items():
        per_core = chars / run.cpu
        figures[f"jobs{jobs}"] = {**run.as_dict(), "chars_per_cpu_s": per_core, "chars_per_s": chars / run.wall,
                                  "ratio_to_jieba": per_core / jieba["chars_per_cpu_s"],
                                  "all_runs": [r.as_dict() for r in runs[jobs]]}
        say(f"--jobs {jobs} (fastest of {len(runs[jobs])}): {per_core:,.0f} chars/s per CPU core, {chars / run.wall:,.0f} chars/s wall, "
            f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {per_core / jieba['chars_per_cpu_s']:.2f} x jieba.lcut, "
            f"peak {run.peak_tree_mb:.0f} MB")
    if 1 in best and 2 in best:
        speedup = best[1].wall / best[2].wall
        figures["speedup"] = speedup
        figures["cpu_overhead"] = best[2].cpu / best[1].cpu - 1
        say(f"--jobs 2 / --jobs 1: {speedup:.2f} x wall (goal {GOAL_SPEEDUP}); CPU {best[2].cpu:.2f} s against {best[1].cpu:.2f} s "
            f"({best[2].cpu / best[1].cpu - 1:+.0%}); load {best[2].load_before:.1f}->{best[2].load_after:.1f} during the two-job run")
    if 1 in best:
        figures["goal_throughput_met"] = chars / best[1].cpu >= GOAL_CHARS_PER_CORE
    report("realtext", figures)


if __name__ == "__main__":
    main()
