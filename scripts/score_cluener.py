"""Span F1 of a tagger model on the fixed held-out fifth of CLUENER 2020 train (with the rules' hints).

    python scripts/score_cluener.py [--model DIR] [--cluener FILE] [--json]

Scored per our type: Enterprise = company, Person = name, Organization = government + organization,
Place = address (addresses that SPEC calls places, as in training: config cluener.address).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.nlp.tagger import EntityTagger
from kg.resources import resource_dir
from kg.train.config import load_config
from kg.train.data import load_cluener, split_heldout
from kg.train.trainer import CLUENER_REPORT, Scores, attach_sentence_hints


def main() -> None:
    """Print the held-out fifth's fingerprint and the per-type table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=resource_dir("models") / "entity_crf")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    config = load_config(args.config)
    rows = load_cluener(Path(config.cluener_path), config.cluener_address)
    _train, held, fingerprint = split_heldout(rows, config.cluener_heldout, config.cluener_seed)
    attach_sentence_hints(held)
    tagger = EntityTagger.from_disk(args.model)
    scores, bare = Scores(), Scores()
    for example in held:
        scores.add(example, tagger.predict(example.text, example.hints))
        bare.add(example, tagger.predict(example.text))
    if args.json:
        print(json.dumps({"fingerprint": fingerprint, "sentences": len(held), "model": scores.as_dict(list(CLUENER_REPORT)),
                          "model_no_hints": bare.as_dict(list(CLUENER_REPORT))}, indent=1))
        return
    print(f"CLUENER held-out fifth: {len(held)} sentences, fingerprint {fingerprint}")
    print(scores.table(list(CLUENER_REPORT)))
    print("without hints")
    print(bare.table(list(CLUENER_REPORT)))


if __name__ == "__main__":
    main()
