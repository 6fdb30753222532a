"""Cross-validation experiments for the CRF entity tagger (tables of kg/models/entity_crf/MODEL_CARD.md).

    python scripts/tagger_experiments.py EXPERIMENT [EXPERIMENT ...] [--gold DIR] [--iterations N] [--folds 5]

Every experiment is a 5-fold document cross-validation over the SPEC v2 gold of the training config (the
test split excluded by it) plus --gold folders; results go to --results as JSON. Hints, CLUENER/People's
Daily and the char clusters are computed once and cached in --cache.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import time
from pathlib import Path
from typing import Any

from kg.train.config import load_config
from kg.train.data import load_cluener, load_peoples_daily, sample, split_heldout
from kg.train.trainer import (
    Scores,
    attach_gold_hints,
    attach_sentence_hints,
    build_clusters,
    cross_validate,
    fit,
    predict_examples,
    resolve_inputs,
)

CLUENER_TYPES = ["Enterprise", "Person", "Organization", "Place"]  # company, name, government+organization, address


def cached(cache: Path, name: str, make: Any) -> Any:
    """``make()`` pickled under ``cache/name``."""
    path = cache / f"{name}.pkl"
    if path.is_file():
        return pickle.loads(path.read_bytes())
    value = make()
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def main() -> None:
    """Run the named experiments."""
    parser = argparse.ArgumentParser()
    parser.add_argument("experiments", nargs="+")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--gold", type=Path, action="append", default=[])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ck/cache"))
    parser.add_argument("--results", type=Path, default=Path("/tmp/ck/results"))
    parser.add_argument("--no-cv", action="store_true", help="Only fit on every document and score CLUENER's held-out fifth.")
    args = parser.parse_args()
    base = load_config(args.config)
    base.max_iterations = args.iterations

    def documents() -> list:
        docs = resolve_inputs(base, args.gold, [])
        attach_gold_hints(docs)
        return docs

    docs = cached(args.cache, f"docs{len(list(Path(args.gold[0]).glob('*.gold.json'))) if args.gold else ''}", documents)

    def cluener(address: str) -> tuple:
        rows = load_cluener(Path(base.cluener_path), address)
        attach_sentence_hints(rows)
        return split_heldout(rows, base.cluener_heldout, base.cluener_seed)

    def daily() -> list:
        rows = load_peoples_daily(Path(base.peoples_daily_path))
        attach_sentence_hints(rows)
        return rows

    clusters = cached(args.cache, "clusters", lambda: build_clusters(base))
    args.results.mkdir(parents=True, exist_ok=True)
    for name in args.experiments:
        config = dataclasses.replace(base, features=dict(base.features))
        extra: list = []
        max_docs = None
        held: list = []
        for part in name.split("+"):
            key, _, value = part.partition("=")
            if key == "no":                       # no=hints, no=clusters, no=jieba ...
                config.features[value] = False
            elif key == "cluener":                # cluener=0.25 or cluener=0.25@all
                fraction, _, address = value.partition("@")
                train_part, held, fingerprint = cached(args.cache, f"cluener_{address or 'admin'}", lambda: cluener(address or "admin"))
                extra += sample(train_part, float(fraction), config.seed)
            elif key == "pd":
                extra += sample(cached(args.cache, "pd", daily), float(value), config.seed)
            elif key == "docs":
                max_docs = int(value)
            elif key == "c1":
                config.c1 = float(value)
            elif key == "c2":
                config.c2 = float(value)
            elif key == "optional":
                config.optional = value
            elif key != "base":
                raise SystemExit(f"unknown experiment part {part!r}")
        started = time.process_time()
        if args.no_cv:
            model = rules = Scores()
        else:
            model, rules = cross_validate(docs, config, clusters, extra, folds=args.folds, seed=config.seed, max_train_docs=max_docs)
        record: dict[str, Any] = {"name": name, "documents": len(docs), "extra_sentences": len(extra), "iterations": config.max_iterations,
                                  "cv_model": model.as_dict(), "cv_rules": rules.as_dict(), "cpu_s": round(time.process_time() - started, 1)}
        if held:
            tagger = fit([*docs, *extra], config, clusters)
            scores = Scores()
            for example, predicted in zip(held, predict_examples(tagger, held)):
                scores.add(example, predicted)
            record["cluener_heldout"] = scores.as_dict(CLUENER_TYPES)
            record["cluener_fingerprint"] = fingerprint
        (args.results / f"{name.replace('/', '_')}{'.nocv' if args.no_cv else ''}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        print(name, f"CV F1 model {model.prf()[2]:.3f} rules {rules.prf()[2]:.3f}",
              f"cluener {record['cluener_heldout']['all']['f1']:.3f}" if "cluener_heldout" in record else "", f"{record['cpu_s']} s", flush=True)


if __name__ == "__main__":
    main()
