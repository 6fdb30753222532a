"""Span scores of a tagger model (and of the rules' own spans) on SPEC v2 gold documents: per-type totals only.

    python scripts/score_tagger.py [--model DIR] --gold DIR --texts DIR [--texts DIR ...] [--only STEM ...] [--json]

No per-item output, on purpose: it is also used for the one final figure on the test split.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.nlp.tagger import EntityTagger
from kg.resources import resource_dir
from kg.train.data import gold_files, load_gold
from kg.train.hints import non_overlapping
from kg.train.trainer import Scores, attach_gold_hints


def main() -> None:
    """Score the model with rule hints, the model without hints, and the rules alone."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=resource_dir("models") / "entity_crf")
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--texts", type=Path, action="append", default=[])
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    docs = load_gold(gold_files([args.gold], include=args.only), args.texts)
    attach_gold_hints(docs)
    tagger = EntityTagger.from_disk(args.model)
    model, bare, rules = Scores(), Scores(), Scores()
    for doc in docs:
        model.add(doc, tagger.predict(doc.text, doc.hints))
        bare.add(doc, tagger.predict(doc.text))
        rules.add(doc, non_overlapping(doc.hints))
    if args.json:
        print(json.dumps({"documents": len(docs), "model": model.as_dict(), "model_no_hints": bare.as_dict(),
                          "rules": rules.as_dict()}, indent=1))
        return
    print(f"{len(docs)} documents")
    for name, scores in (("model (with rule hints)", model), ("model without hints", bare), ("rules", rules)):
        print(name)
        print(scores.table())


if __name__ == "__main__":
    main()
