"""Train tagger variants with ``kg train`` and score each pipeline on a split with ``kg eval``.

The ablation and learning curve of docs/quality.md: every variant is a model
trained from the shipped training config with some settings changed (no
hints, no character clusters, a subset of the training documents), wired into
a copy of the shipped pipeline config, built over the split's documents and
scored. The split is only scored; nothing here reads its texts or gold beyond
``kg build`` and ``kg eval`` totals.

Usage::

    .venv/bin/python scripts/tagger_variants.py [--split test] [--variants rules,shipped,no_hints,no_clusters,docs14,docs27]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_splits import ROOT, SHARED, gather  # noqa: E402

TRAIN_CONFIG = ROOT / "kg" / "train" / "entity_crf.toml"
PIPELINE = ROOT / "kg" / "extract" / "pipeline.cfg"
RULES = ROOT / "kg" / "extract" / "rules.cfg"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def write_train_config(path: Path, overrides: dict[str, dict[str, object]]) -> None:
    """The shipped training config with ``overrides`` (section -> key -> value), absolute paths."""
    config = tomllib.loads(TRAIN_CONFIG.read_text(encoding="utf-8"))
    for section, values in overrides.items():
        config.setdefault(section, {}).update(values)
    lines = []
    for section, values in config.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {_toml(value)}" for key, value in values.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def subset_gold(folder: Path, count: int, seed: int = 7) -> Path:
    """A folder of ``count`` training gold files with their texts (train split first, then annotated excerpts)."""
    from eval_splits import split_stems

    train = [SHARED / "gold" / f"{stem}.gold.json" for stem in split_stems("train")]
    extra = sorted((ROOT / "training" / "gold").glob("*.gold.json"))
    random.Random(seed).shuffle(extra)
    chosen = (train + extra)[:count]
    folder.mkdir(parents=True)
    for gold in chosen:
        stem = gold.name.removesuffix(".gold.json")
        shutil.copy(gold, folder)
        for corpus in (ROOT / "training" / "gold", *(SHARED / "corpus" / c for c in ("seeds", "reports", "news"))):
            if (corpus / f"{stem}.txt").exists():
                shutil.copy(corpus / f"{stem}.txt", folder)
    return folder


def pipeline_with(path: Path, model: Path | None, keep: list[str] | None = None) -> Path:
    """The shipped pipeline config with the tagger's model (and ``keep``) replaced."""
    text = PIPELINE.read_text(encoding="utf-8")
    if model is not None:
        text = text.replace('model = ""', f'model = "{model}"', 1)
    if keep is not None:
        text = re.sub(r"^keep = .*$", f"keep = {_toml(keep)}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def score(split: str, config: Path) -> str:
    kg = str(Path(sys.executable).with_name("kg"))
    with tempfile.TemporaryDirectory(prefix="kg-variant-") as tmp:
        docs, gold = gather(split, Path(tmp) / "split")
        out = Path(tmp) / "build"
        subprocess.run([kg, "build", str(docs), "--out", str(out), "--no-store", "--no-cache", "--quiet", "--config", str(config)], check=True)
        lines = subprocess.run([kg, "eval", str(gold), str(out)], check=True, capture_output=True, text=True).stdout.splitlines()
    entities, relations = [line.split() for line in lines if "ALL" in line][:2]
    return f"{entities[3]} | {relations[3]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--variants", default="rules,shipped,no_hints,no_clusters,docs14,docs27")
    args = parser.parse_args()
    kg = str(Path(sys.executable).with_name("kg"))
    print(f"| variant | {args.split} entity F1 | {args.split} relation F1 |\n|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory(prefix="kg-variants-") as tmp:
        work = Path(tmp)
        for name in args.variants.split(","):
            if name == "rules":
                config = RULES
            elif name == "shipped":
                config = PIPELINE
            else:
                overrides: dict[str, dict[str, object]] = {"gold": {"heldout_fraction": 0.0}}
                keep = None
                if name == "no_hints":
                    overrides["features"] = {"hints": False}
                    keep = []  # the model alone: no rule span is kept or hinted
                elif name == "no_clusters":
                    overrides["vectors"] = {"enabled": False}
                    overrides["features"] = {"clusters": False}
                elif name.startswith("docs"):
                    folder = subset_gold(work / f"{name}-gold", int(name.removeprefix("docs")))
                    overrides["gold"].update(dirs=[str(folder)], text_dirs=[str(folder)])
                train_config = work / f"{name}.toml"
                write_train_config(train_config, overrides)
                model = work / name
                subprocess.run([kg, "train", "--config", str(train_config), "--out", str(model), "--quiet"], check=True, cwd=ROOT)
                config = pipeline_with(work / f"{name}.cfg", model, keep)
            print(f"| {name} | {score(args.split, config)} |", flush=True)


if __name__ == "__main__":
    main()
