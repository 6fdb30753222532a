"""Run every benchmark of issue 7 and print one table of figures against goals.

Each benchmark runs as its own process (so one's memory or imports never
colour another's), prints its figures as it goes, and ends with a
``RESULT <json>`` line that is collected here. The corpora are made once, in
a work folder under the system's temporary directory, from ``samples/seeds``.

* ``bench_realtext.py``: the real-text figures in one run (chars/s per core, wall, jieba ratio, peak memory, --jobs 2);
* ``bench_throughput.py``: chars/s of ``kg build`` per core, beside jieba;
* ``bench_parallel.py``: ``--jobs 2`` against ``--jobs 1`` (and the Dask engine);
* ``bench_incremental.py``: rebuild after 1 of 200 real-text documents changed;
* ``bench_load.py`` (from the loaders, when present): Bolt ``UNWIND`` batches
  against per-row ``MERGE``; ``bench_store.py``: the embedded store refresh;
* ``bench_memory.py``: peak memory of a 100 000-article build;
* ``bench_profile.py``: where extraction spends its time (no goal).

Usage::

    .venv/bin/python benchmarks/run_all.py                # everything (about 25 minutes on 2 cores)
    .venv/bin/python benchmarks/run_all.py --quick        # small corpora, a smoke run (about 5 minutes)
    .venv/bin/python benchmarks/run_all.py --only throughput parallel --results results.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ORDER = ("realtext", "throughput", "parallel", "incremental", "load", "memory", "store", "profile")


def _commands(quick: bool, workdir: Path, parallel_chars: int | None = None) -> dict[str, list[str]]:
    work = ["--workdir", str(workdir)]
    chars = ["--chars", "600000"] if quick else []
    articles = 20_000 if quick else 100_000
    commands = {
        "realtext": ["bench_realtext.py", *chars, "--repeat", "1" if quick else "2", *work],
        "throughput": ["bench_throughput.py", *chars, *work],
        "parallel": ["bench_parallel.py", *(["--chars", str(parallel_chars)] if parallel_chars else chars), "--repeat",
                     "1" if quick else "2", "--dask", *work],
        "incremental": ["bench_incremental.py", *(["--documents", "60"] if quick else []), *work],
        "memory": ["bench_memory.py", "--articles", str(articles), "--keep", *work],
        "store": ["bench_store.py", "--build", str(workdir / "build-throughput"),
                  "--build", str(workdir / f"build-memory-{articles}"), *work],
        "profile": ["bench_profile.py", "--mb", "0.5" if quick else "1", *work],
    }
    if (HERE / "bench_load.py").exists():  # written with the loaders; run when present
        commands["load"] = ["bench_load.py"]
    return commands


def _run(name: str, arguments: list[str]) -> dict[str, Any]:
    print(f"\n=== {name}: {' '.join(arguments)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, *arguments], cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    result: dict[str, Any] = {"benchmark": name}
    tail: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
            continue
        print(line, end="", flush=True)
        tail = (tail + [line.rstrip()])[-20:]
    process.wait()
    result["seconds"] = round(time.perf_counter() - started, 1)
    if process.returncode != 0:
        result["error"] = f"exit code {process.returncode}"
        result["output_tail"] = tail
    return result


def _line(results: dict[str, dict[str, Any]]) -> list[str]:
    """The summary table: one row per goal."""

    def get(name: str, *path: str) -> Any:
        value: Any = results.get(name, {})
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    rows = ["| benchmark | figure | goal | met |", "|---|---|---|---|"]
    if "realtext" in results and "error" not in results["realtext"]:
        one, two = get("realtext", "jobs1") or {}, get("realtext", "jobs2") or {}
        rows.append(f"| real text | --jobs 1: {one.get('chars_per_cpu_s', 0):,.0f} chars/s per core, {one.get('wall', 0):.1f} s wall, "
                    f"{one.get('ratio_to_jieba', 0):.2f} × jieba.lcut, peak {one.get('peak_tree_mb', 0):.0f} MB; --jobs 2: "
                    f"{two.get('wall', 0):.1f} s wall, {two.get('cpu', 0):.1f} s CPU ({get('realtext', 'speedup') or 0:.2f}×) | "
                    f"≥ 50 000 chars/s per core; ≥ 1.7× | {'yes' if get('realtext', 'goal_throughput_met') else 'no'}; "
                    f"{'yes' if (get('realtext', 'speedup') or 0) >= 1.7 else 'no'} |")
    if "throughput" in results and "error" not in results["throughput"]:
        rows.append(f"| 1 throughput | {get('throughput', 'build', 'chars_per_cpu_s'):,.0f} chars/s per core "
                    f"({get('throughput', 'build', 'articles_per_cpu_s'):.0f} articles/s); "
                    f"{get('throughput', 'ratio_to_jieba'):.2f} × jieba.lcut | ≥ 50 000 chars/s per core | "
                    f"{'yes' if get('throughput', 'goal_met') else 'no'} |")
    if "parallel" in results and "error" not in results["parallel"]:
        dask = get("parallel", "dask_speedup")
        rows.append(f"| 2 parallel | --jobs 2: {get('parallel', 'speedup'):.2f}×"
                    + (f"; dask --jobs 2: {dask:.2f}×" if dask else "")
                    + f" (Amdahl bound {get('parallel', 'amdahl_bound'):.2f}× with {get('parallel', 'serial_seconds'):.1f} s serial)"
                    + " | ≥ 1.7× | "
                    + f"{'yes' if get('parallel', 'goal_met') else 'no'} |")
    if "incremental" in results and "error" not in results["incremental"]:
        cpu = get("incremental", "cpu")
        rows.append(f"| 3 incremental | 1 of {get('incremental', 'documents')} changed: {cpu['changed_over_full']:.1%} of a full build; "
                    f"{cpu['excess_over_constant_share_of_full']:+.1%} beyond the constant (CPU) | ≤ 1/{get('incremental', 'documents')} + constant | "
                    f"{'yes' if get('incremental', 'goal_met') else 'no'} |")
    if "load" in results and "error" not in results["load"]:
        for build_name in ("sample", "synthetic"):
            figures = get("load", build_name)
            if isinstance(figures, dict) and "bolt_batched_vs_per_row" in figures:
                bolt, embedded = figures["bolt_batched_vs_per_row"], figures["ladybug_copy_vs_per_row"]
                rows.append(f"| 4 load ({build_name}) | Bolt UNWIND batches {figures['bolt_batched_rows_per_s']:,} rows/s = {bolt}× "
                            f"per-row MERGE; embedded COPY {figures['ladybug_copy_rows_per_s']:,} rows/s = {embedded}× | ≥ 10× | "
                            f"{'yes' if min(bolt, embedded) >= 10 else 'no'} |")
    if "store" in results and get("store", "available"):
        for refresh in get("store", "refreshes") or []:
            rows.append(f"| 4 load (embedded) | {refresh['rows_per_s']:,.0f} rows/s ({Path(refresh['build']).name}) | — | — |")
    if "memory" in results and "error" not in results["memory"]:
        rows.append(f"| 5 memory | {get('memory', 'run', 'peak_tree_mb'):,.0f} MB peak for {get('memory', 'corpus', 'articles'):,} "
                    f"articles (build process {get('memory', 'run', 'peak_main_mb'):,.0f} MB) | < 2 048 MB | "
                    f"{'yes' if get('memory', 'goal_met') else 'no'} |")
    for name, result in results.items():
        if "error" in result:
            rows.append(f"| {name} | failed: {result['error']} | | no |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora (600 000 real characters, 20 000 synthetic articles): a smoke run")
    parser.add_argument("--parallel-chars", type=int, help="characters of the parallel benchmark's corpus (default: that of throughput)")
    parser.add_argument("--only", nargs="+", choices=ORDER, help="run only these benchmarks")
    parser.add_argument("--results", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--workdir", type=Path, help="work folder (default: a new temporary folder, removed at the end)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    commands = _commands(args.quick, workdir, args.parallel_chars)
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in ORDER:
            if name in commands and (not args.only or name in args.only):
                results[name] = _run(name, commands[name])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "load_at_end": os.getloadavg()[0],
               "quick": args.quick, "date": time.strftime("%Y-%m-%d %H:%M")}
    print("\n" + "\n".join(_line(results)))
    print(f"\nmachine: {machine}")
    if args.results:
        args.results.write_text(json.dumps({"machine": machine, "results": results}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
