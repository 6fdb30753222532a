"""Build and score the annotated splits with one pipeline config: the figures of docs/quality.md.

The splits are those of ``../shared/gold/SPLITS.md`` (train, test), the five
sample pages (``samples``, part of train) and this repository's own
annotations (``training``: ``training/gold``, trained on, so its scores show
fit, not generalisation). Each split's documents are copied to a scratch
folder, built with ``kg build --config CONFIG --no-store --no-cache`` and
scored with ``kg eval``; the test split is only scored, never read.

Usage::

    .venv/bin/python scripts/eval_splits.py [--config FILE] [--splits train,test,samples] [--by-type]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = ("seeds", "reports", "news")


def split_stems(name: str) -> list[str]:
    """Stems listed under ``## name`` in SPLITS.md."""
    text = (SHARED / "gold" / "SPLITS.md").read_text(encoding="utf-8")
    section = re.search(rf"^## {name}\b(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    return sorted(set(re.findall(r"[a-z0-9]+_[a-z0-9_]+", section.group(1)))) if section else []


def gather(split: str, folder: Path) -> tuple[Path, Path]:
    """Copy the split's texts and gold files into ``folder``; (docs, gold)."""
    docs, gold = folder / "docs", folder / "gold"
    docs.mkdir(parents=True)
    gold.mkdir()
    if split == "training":
        for path in sorted((ROOT / "training" / "gold").glob("*.gold.json")):
            stem = path.name.removesuffix(".gold.json")
            shutil.copy(path, gold)
            shutil.copy(path.with_name(f"{stem}.txt"), docs)
        return docs, gold
    stems = split_stems("train") if split == "samples" else split_stems(split)
    if split == "samples":
        stems = [stem for stem in stems if (SHARED / "corpus" / "seeds" / f"{stem}.txt").exists()]
    for stem in stems:
        for corpus in CORPORA:
            text = SHARED / "corpus" / corpus / f"{stem}.txt"
            if text.exists():
                shutil.copy(text, docs)
        shutil.copy(SHARED / "gold" / f"{stem}.gold.json", gold)
    return docs, gold


def score(split: str, config: Path, by_type: bool) -> str:
    """The ``kg eval`` lines of one split built with ``config``."""
    kg = str(Path(sys.executable).with_name("kg"))
    with tempfile.TemporaryDirectory(prefix=f"kg-{split}-") as tmp:
        docs, gold = gather(split, Path(tmp))
        out = Path(tmp) / "build"
        subprocess.run([kg, "build", str(docs), "--out", str(out), "--no-store", "--no-cache", "--quiet", "--config", str(config)],
                       check=True)
        result = subprocess.run([kg, "eval", str(gold), str(out)], check=True, capture_output=True, text=True).stdout
    lines = [line for line in result.splitlines() if by_type or line.startswith(("entities", "relations")) or "ALL" in line]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "kg" / "extract" / "pipeline.cfg")
    parser.add_argument("--splits", default="train,test,samples")
    parser.add_argument("--by-type", action="store_true")
    args = parser.parse_args()
    for split in args.splits.split(","):
        print(f"## {split} ({args.config.name})\n{score(split, args.config, args.by_type)}\n", flush=True)


if __name__ == "__main__":
    main()
