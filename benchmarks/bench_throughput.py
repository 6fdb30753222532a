"""Benchmark 1: build throughput of ``kg build`` beside jieba segmentation of the same text.

The corpus is real text (:mod:`realtext`: the raw 2026 government work reports,
then distinct recombinations of their paragraphs up to ``--chars``); with
``--synthetic`` it is the seed pages replicated to ``--mb`` megabytes with
perturbation (see :mod:`corpus`). ``kg build --jobs 1 --no-cache --no-store`` runs as a
subprocess, end to end (interpreter start, imports, pipeline load, reading,
extraction, resolution, writing). jieba's default segmentation (``jieba.lcut``,
dictionary loaded beforehand) runs over the same decoded text in this process.

Per-core figures divide by CPU seconds (user + system), which a busy shared
machine does not inflate; wall-clock figures are printed beside them. The
goal is 50 000 characters per second per core end to end.

Usage: ``python benchmarks/bench_throughput.py [--chars 2100000 | --synthetic --mb 10] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import kg_build, measure, report, say
from corpus import cached_corpus
from realtext import cached_real_corpus

GOAL_CHARS_PER_CORE = 50_000
CITY_PAPER_ARTICLES = 7_000


def jieba_baseline(corpus: Path) -> dict[str, float]:
    """Characters per second (wall and CPU) of ``jieba.lcut`` over every document of ``corpus``."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    chars = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        jieba.lcut(text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"chars": chars, "wall": wall, "cpu": cpu, "chars_per_s": chars / wall, "chars_per_cpu_s": chars / cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=2_100_000, help="characters of the real-text corpus")
    parser.add_argument("--synthetic", action="store_true", help="perturbed sample pages instead of the real reports")
    parser.add_argument("--mb", type=float, default=10.0, help="size of the synthetic corpus in megabytes (UTF-8)")
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    if args.synthetic:
        corpus, stats = cached_corpus(workdir, target_bytes=int(args.mb * 1e6), seed=7)
        say(f"synthetic corpus: {stats.files} files, {stats.articles} articles, {stats.bytes / 1e6:.1f} MB, {stats.chars} characters")
    else:
        corpus, stats = cached_real_corpus(workdir, chars=args.chars)  # type: ignore[assignment]
        say(f"real-text corpus: {stats.files} files, {stats.bytes / 1e6:.1f} MB, {stats.chars} characters")

    out = workdir / "build-throughput"
    run = measure(kg_build(corpus, out, "--jobs", "1", "--no-cache", "--no-store"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    chars, articles = summary["characters"], summary["nodes"].get("Article", 0)
    build = {
        **run.as_dict(),
        "chars": chars,
        "articles": articles,
        "inside_build_seconds": summary["seconds"],
        "chars_per_s": chars / run.wall,
        "chars_per_cpu_s": chars / run.cpu,
        "articles_per_cpu_s": articles / run.cpu,
    }
    say(f"kg build --jobs 1: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, peak {run.peak_tree_mb:.0f} MB, "
        f"load {run.load_before:.1f}->{run.load_after:.1f}")
    say(f"  {build['chars_per_cpu_s']:,.0f} chars per CPU second ({build['chars_per_s']:,.0f} per wall second), "
        f"{build['articles_per_cpu_s']:.1f} articles per CPU second")

    jieba = jieba_baseline(corpus)
    say(f"jieba.lcut alone: {jieba['chars_per_cpu_s']:,.0f} chars per CPU second ({jieba['chars_per_s']:,.0f} per wall second)")
    ratio = build["chars_per_cpu_s"] / jieba["chars_per_cpu_s"]
    city_year = CITY_PAPER_ARTICLES / build["articles_per_cpu_s"]
    say(f"build / jieba: {ratio:.2f} (1.0 would be a build as fast as segmentation alone)")
    say(f"a city paper's year ({CITY_PAPER_ARTICLES} articles) on one core: {city_year / 60:.1f} min (goal < 4 min)")
    say(f"goal {GOAL_CHARS_PER_CORE:,} chars/s per core: {'met' if build['chars_per_cpu_s'] >= GOAL_CHARS_PER_CORE else 'NOT met'}")
    report("throughput", {
        "corpus": {"kind": "synthetic" if args.synthetic else "real", "files": stats.files, "bytes": stats.bytes, "chars": stats.chars},
        "build": build,
        "jieba": jieba,
        "ratio_to_jieba": ratio,
        "city_paper_year_minutes": city_year / 60,
        "goal_met": build["chars_per_cpu_s"] >= GOAL_CHARS_PER_CORE,
    })


if __name__ == "__main__":
    main()
