"""Benchmark 5: peak memory of a build of 100 000 synthetic articles (goal: under 2 GB).

The corpus is perturbed seed pages (see :mod:`corpus`) until ``--articles``
articles are written, one file per page, in folders of 500 pages. The build
runs end to end, uncached, without the store (the store refresh is measured
by ``bench_store.py``), with ``--jobs`` worker processes. The figure that
counts is the peak of the whole process tree (sum of PSS, so memory the
workers share with the build process counts once); the build process's own
peak resident set is printed beside it.

Usage: ``python benchmarks/bench_memory.py [--articles 100000] [--jobs 2] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from common import kg_build, measure, report, say
from corpus import cached_corpus

GOAL_MB = 2048


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the build (bench_store.py can reuse it)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus, stats = cached_corpus(workdir, articles=args.articles, seed=5)
    say(f"corpus: {stats.files} files, {stats.articles} articles, {stats.bytes / 1e6:.0f} MB, {stats.chars} characters")
    out = workdir / f"build-memory-{args.articles}"
    run = measure(kg_build(corpus, out, "--jobs", str(args.jobs), "--no-cache", "--no-store"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    sizes = {name: (out / name).stat().st_size for name in ("nodes.jsonl", "edges.jsonl", "graph.graphml")}
    say(f"kg build --jobs {args.jobs}: {run.wall:.0f} s wall, {run.cpu:.0f} s CPU, load {run.load_before:.1f}->{run.load_after:.1f}")
    say(f"  peak memory: {run.peak_tree_mb:.0f} MB for the process tree (PSS), {run.peak_main_mb:.0f} MB for the build process (RSS)")
    say(f"  graph: {sum(summary['nodes'].values())} nodes, {sum(summary['edges'].values())} edges; "
        f"files {sum(sizes.values()) / 1e6:.0f} MB")
    say(f"goal < {GOAL_MB} MB: {'met' if run.peak_tree_mb < GOAL_MB else 'NOT met'}")
    report("memory", {
        "corpus": {"files": stats.files, "articles": stats.articles, "bytes": stats.bytes, "chars": stats.chars},
        "jobs": args.jobs,
        "run": run.as_dict(),
        "nodes": summary["nodes"],
        "edges": summary["edges"],
        "file_bytes": sizes,
        "chars_per_s": summary["characters"] / run.wall,
        "goal_met": run.peak_tree_mb < GOAL_MB,
    })
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
