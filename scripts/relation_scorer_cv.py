"""Cross-validate the relation scorer with real builds and ``kg eval`` (document folds of the training gold).

For each fold: fit the scorer on the other folds' documents (``kg.train.relations``),
then build the fold's documents with four pipeline configs — the default (rules
alone), the default plus ``kg_relation_scorer`` with every type on ``add``,
``filter`` or ``both`` (thresholds: the CV-chosen ones the full model records),
and the scorer with the per-type choice the full model records (``chosen``) —
and score each build with ``kg eval``. Counts are pooled over the folds per relation
type; the table is what the model card's "kg eval CV" section shows.

    .venv/bin/python scripts/relation_scorer_cv.py [--model kg/models/relation_scorer] [--work /tmp/relcv]

The test split is excluded by the training config and never built here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from kg.eval import prf
from kg.extract.pipeline import DEFAULT_CONFIG
from kg.train.data import find_text, gold_files
from kg.train.relations import POLICIES, training_rows, document_folds, fit, load_documents, load_relation_config

LAUNCH = "from kg.cli import main; main()"


ACTIONS = (*POLICIES, "chosen")


def scorer_config(model: Path, action: str, types: list[str]) -> str:
    """The default config text plus the scorer with ``action`` on every type (``chosen``: the recorded per-type choice)."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('"kg_located_in"]', '"kg_located_in", "kg_relation_scorer"]')
    policy = "" if action == "chosen" else ", ".join(f'"{t}": "{action}"' for t in types)
    return text + f'\n\n[components.kg_relation_scorer]\nfactory = "kg_relation_scorer"\nmodel = "{model}"\npolicy = {{{policy}}}\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("kg/models/relation_scorer"), help="the full model (its CV thresholds)")
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-relcv-"))
    config = load_relation_config()
    documents = load_documents(config, log=lambda m: print(m, file=sys.stderr))
    full_meta = json.loads((args.model / "meta.json").read_text(encoding="utf-8"))
    types = sorted(full_meta["cv"])
    paths = {p.name[: -len(".gold.json")]: p for p in gold_files([d for d in config.gold_dirs if d.is_dir()], exclude=config.exclude)}
    totals: dict[str, dict[str, list[int]]] = {a: defaultdict(lambda: [0, 0, 0]) for a in ACTIONS}
    for number, fold in enumerate(document_folds(len(documents), config.folds, config.seed)):
        held = set(fold)
        rows, labels = training_rows([d for i, d in enumerate(documents) if i not in held])
        model = fit(rows, labels, config, {"cv": full_meta["cv"], "policies": full_meta["policies"]})
        folder = work / f"fold{number}"
        model.to_disk(folder / "model")
        corpus, gold = folder / "corpus", folder / "gold"
        corpus.mkdir(parents=True, exist_ok=True)
        gold.mkdir(exist_ok=True)
        for i in fold:
            stem = documents[i].stem
            path = paths[stem]
            text = find_text(stem, [path.parent, *config.text_dirs])
            (corpus / text.name).write_bytes(text.read_bytes())
            (gold / path.name).write_bytes(path.read_bytes())
        for action in ACTIONS:
            out = folder / f"build_{action}"
            command = [sys.executable, "-c", LAUNCH, "build", str(corpus), "--out", str(out), "--no-store", "--no-cache", "--quiet"]
            if action != "rules":
                cfg = folder / f"{action}.cfg"
                cfg.write_text(scorer_config((folder / "model").resolve(), action, types), encoding="utf-8")
                command += ["--config", str(cfg)]
            subprocess.run(command, check=True)
            result = subprocess.run([sys.executable, "-c", LAUNCH, "eval", str(gold), str(out), "--json"],
                                    check=True, capture_output=True, text=True)
            for rel_type, row in json.loads(result.stdout)["relations"].items():
                for k, key in enumerate(("tp", "predicted", "gold")):
                    totals[action][rel_type][k] += row[key]
        print(f"fold {number + 1}: {len(fold)} documents", file=sys.stderr)
    names = sorted({t for a in ACTIONS for t in totals[a]} - {"ALL"}) + ["ALL"]
    print("| type | gold | " + " | ".join(f"{a} P/R/F1" for a in ACTIONS) + " |")
    print("|---|---|" + "---|" * len(ACTIONS))
    for rel_type in names:
        cells = []
        for action in ACTIONS:
            p, r, f = prf(*totals[action][rel_type])
            cells.append(f"{p:.3f}/{r:.3f}/**{f:.3f}**")
        print(f"| {rel_type} | {totals['rules'][rel_type][2]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
