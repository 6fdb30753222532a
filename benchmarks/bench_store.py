"""Benchmark 4, embedded half: rows per second of the embedded store refresh (``loaders.embedded.refresh_store``).

Throughput builds run with ``--no-store``; this measures the refresh on its
own, as a subprocess, on a finished build directory: by default the build of
the throughput corpus (made with ``--no-store`` if the work folder has none),
or any ``--build DIR`` (``run_all.py`` also passes the 100 000-article build of
the memory benchmark). Rows are nodes plus relations, as the refresh reports
them. The Bolt half (``UNWIND`` batches against per-row ``MERGE``) is
``bench_load.py``, written with the loaders.

Usage: ``python benchmarks/bench_store.py [--build DIR ...] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

from common import kg_build, measure, report, say
from corpus import cached_corpus

REFRESH = (
    "import json, sys; from pathlib import Path; from loaders.embedded import refresh_store; "
    "Path(sys.argv[2]).write_text(json.dumps(refresh_store(Path(sys.argv[1])).seconds))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=Path, action="append", help="a build directory to refresh (repeatable)")
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    args = parser.parse_args()
    if importlib.util.find_spec("loaders.embedded") is None:
        say("loaders.embedded is not available: nothing to measure")
        report("store", {"available": False})
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    builds = args.build or []
    if not builds:
        default = workdir / "build-throughput"
        if not (default / "summary.json").exists():
            corpus, _stats = cached_corpus(workdir, target_bytes=10_000_000, seed=7)
            measure(kg_build(corpus, default, "--jobs", "1", "--no-store"))
        builds = [default]
    results = []
    for build_dir in builds:
        seconds_file = workdir / "refresh-seconds.json"
        run = measure([sys.executable, "-c", REFRESH, str(build_dir), str(seconds_file)])
        seconds = json.loads(seconds_file.read_text())
        summary = json.loads((build_dir / "summary.json").read_text(encoding="utf-8"))
        rows = sum(summary["nodes"].values()) + sum(summary["edges"].values())
        figures = {"build": str(build_dir), "rows": rows, "refresh_seconds": seconds, "rows_per_s": rows / seconds,
                   "process": run.as_dict()}
        results.append(figures)
        say(f"{build_dir.name}: {rows} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s); process {run.wall:.1f} s wall, "
            f"peak {run.peak_tree_mb:.0f} MB")
    report("store", {"available": True, "refreshes": results})


if __name__ == "__main__":
    main()
