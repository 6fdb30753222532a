"""Where per-document extraction spends its time: stages and hottest functions, as shares.

Not a goal of its own: it tells the maintainers of ``kg/extract`` and
``kg/nlp`` what to make faster. The pipeline is loaded and warmed first, then
``--mb`` megabytes of the throughput corpus are extracted under cProfile
(which inflates small, frequent functions: read the shares, not the
seconds). Stages are found by the code objects of the functions that run
them (each pipeline component, spaCy's ``make_doc``, ingest, the page
context, propagation, canonical names), so the report follows the code as it
changes.

The trained NER model (``kg.nlp.ner``, not in the default pipeline) is timed
on the same pages too, when it is installed: its characters per CPU second,
and the share of the text it could see while the build keeps 50 000
characters per second per core (the budget of "run the model only where the
matchers are unsure").

Usage: ``python benchmarks/bench_profile.py [--mb 1] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import report, say
from corpus import cached_corpus

GOAL_CHARS_PER_CORE = 50_000


def _key(function: Callable[..., Any]) -> tuple[str, int, str] | None:
    code = getattr(function, "__code__", None)
    return (code.co_filename, code.co_firstlineno, code.co_name) if code is not None else None


def _stages() -> dict[str, tuple[str, int, str]]:
    """Profiler keys of the functions that run each stage of extraction."""
    import spacy.language

    import kg.extract.document as document
    import kg.ingest as ingest
    import kg.nlp.context as context
    from kg.builder.work import pipeline

    nlp = pipeline()
    candidates: dict[str, Any] = {
        "ingest (decode, clean, split)": ingest.document_from_bytes,
        "page context (places, jieba tags)": context.build_context,
        "spaCy make_doc": spacy.language.Language.make_doc,
        "propagation": getattr(document, "_propagate", None),
        "hierarchy": getattr(document, "_hierarchy", None),
    }
    canonical = getattr(document, "Canonicaliser", None)
    if canonical is not None:
        candidates["canonical names"] = getattr(canonical, "name", None)
    for name, component in nlp.pipeline:
        candidates[f"component {name}"] = component
    return {label: key for label, function in candidates.items() if function is not None and (key := _key(function))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="megabytes of the throughput corpus to profile")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--workdir", type=Path, help="where corpora go (default: a temporary folder)")
    args = parser.parse_args()
    from kg.builder.warmup import warm_up
    from kg.builder.work import extract_bytes

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus, _stats = cached_corpus(workdir, target_bytes=10_000_000, seed=7)
    pages, size = [], 0
    for path in sorted(corpus.rglob("*.txt")):
        data = path.read_bytes()
        pages.append((data, path.name))
        size += len(data)
        if size >= args.mb * 1e6:
            break
    warm_up()
    chars = sum(len(data.decode("utf-8")) for data, _ in pages)
    started = time.process_time()
    for data, name in pages:
        extract_bytes(data, name, ".txt")
    plain = time.process_time() - started
    profiler = cProfile.Profile()
    profiler.enable()
    for data, name in pages:
        extract_bytes(data, name, ".txt")
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tottime for _cc, _nc, tottime, _ct, _callers in stats.values())
    say(f"{len(pages)} pages, {chars} characters: {chars / plain:,.0f} chars per CPU second without the profiler")
    stages = {}
    for label, key in _stages().items():
        if key in stats:
            stages[label] = stats[key][3] / total
    say("stages (cumulative share of extraction time; stages nest, components include what they call):")
    for label, share in sorted(stages.items(), key=lambda item: -item[1]):
        say(f"  {share:6.1%}  {label}")
    hottest = sorted(stats.items(), key=lambda item: -item[1][2])[: args.top]
    say("hottest functions (own time share):")
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in hottest:
        where = filename.split("site-packages/")[-1].replace(str(Path.cwd()) + "/", "")
        rows.append({"function": function, "where": f"{where}:{line}", "calls": calls, "own_share": tottime / total,
                     "cumulative_share": cumtime / total})
        say(f"  {tottime / total:6.1%} own {cumtime / total:6.1%} cum  {function}  ({where}:{line}, {calls} calls)")
    figures = {"pages": len(pages), "chars": chars, "chars_per_cpu_s": chars / plain, "stages": stages, "hottest": rows}
    model = _model_rate([data.decode("utf-8") for data, _name in pages])
    if model is not None:
        budget = model * (1 / GOAL_CHARS_PER_CORE - plain / chars)
        figures["ner_chars_per_cpu_s"], figures["ner_text_share_within_goal"] = model, budget
        say(f"trained NER model: {model:,.0f} chars per CPU second; on all text the build would run at "
            f"{1 / (plain / chars + 1 / model):,.0f} chars/s; within {GOAL_CHARS_PER_CORE:,} chars/s per core it may see "
            f"{max(budget, 0):.0%} of the text")
    report("profile", figures)


def _model_rate(texts: list[str]) -> float | None:
    """Characters per CPU second of the trained NER model, or None when it is not installed."""
    from kg.errors import KGError

    try:
        from kg.nlp.ner import load_ner, predict_spans

        nlp = load_ner()
    except (ImportError, OSError, KGError):
        return None
    predict_spans(texts[0], nlp)
    started = time.process_time()
    for text in texts:
        predict_spans(text, nlp)
    return sum(map(len, texts)) / (time.process_time() - started)


if __name__ == "__main__":
    main()
