"""Hints for training texts: the spans the installed rule system proposes.

The tagger is trained with the rules' output as features, so the hints must
come from the same rules that will run beside it. They are recomputed by
running ``kg build`` with the rules-only config (a subprocess, so the CLI contract is the only thing
relied on) and reading the mentions of ``nodes.jsonl``; offsets there are into
the original decoded file text, which for UTF-8 files is the file's text.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KGError
from kg.extract.pipeline import RULES_CONFIG
from kg.nlp.tagger import LABELS, Hint

_LAUNCH = "from kg.cli import main; main()"


def rule_hints(text_dir: Path) -> dict[str, list[Hint]]:
    """The rules' entity mentions per document of ``text_dir`` (keys: paths relative to it).

    Raises
    ------
    KGError
        If ``kg build`` fails.
    """
    with tempfile.TemporaryDirectory(prefix="kg-hints-") as tmp:
        out = Path(tmp) / "build"
        command = [sys.executable, "-c", _LAUNCH, "build", str(text_dir), "--out", str(out), "--no-store", "--no-cache", "--quiet",
                   "--config", str(RULES_CONFIG)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise KGError(f"{text_dir}: kg build for hints failed ({result.returncode}): {result.stderr.strip()[-300:]}")
        hints: dict[str, set[Hint]] = defaultdict(set)
        with (out / "nodes.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                node = json.loads(line)
                if node.get("label") not in LABELS:
                    continue
                for mention in node.get("mentions", []):
                    hints[mention["doc"]].add(Hint(int(mention["start"]), int(mention["end"]), node["label"]))
    return {doc: sorted(found, key=lambda h: (h.start, h.end, h.label)) for doc, found in hints.items()}


def hints_for_texts(texts: Sequence[str], batch: int = 400) -> list[list[Hint]]:
    """Rule hints for loose texts (corpus sentences): written ``batch`` to a file, one per line, then mapped back."""
    out: list[list[Hint]] = [[] for _ in texts]
    with tempfile.TemporaryDirectory(prefix="kg-hint-texts-") as tmp:
        folder = Path(tmp)
        bounds: dict[str, list[tuple[int, int, int]]] = {}
        for number, first in enumerate(range(0, len(texts), batch)):
            name = f"part{number:05d}.txt"
            offset, parts, table = 0, [], []
            for index in range(first, min(first + batch, len(texts))):
                text = texts[index].replace("\n", " ")
                table.append((index, offset, offset + len(text)))
                parts.append(text)
                offset += len(text) + 2
            (folder / name).write_text("\n\n".join(parts) + "\n", encoding="utf-8")
            bounds[name] = table
        if not bounds:
            return out
        found = rule_hints(folder)
        for name, table in bounds.items():
            for hint in found.get(name, []):
                for index, start, end in table:  # sentences are short and few per file: a scan is enough
                    if start <= hint.start and hint.end <= end:
                        out[index].append(Hint(hint.start - start, hint.end - start, hint.label))
                        break
    return out


def non_overlapping(hints: Sequence[Hint]) -> list[tuple[int, int, str]]:
    """Hints as spans, longest first where they overlap: the rules' own answer, for scoring them.

    Examples
    --------
    >>> non_overlapping([Hint(0, 2, "Place"), Hint(0, 6, "Enterprise"), Hint(7, 9, "Person")])
    [(0, 6, 'Enterprise'), (7, 9, 'Person')]
    """
    taken: set[int] = set()
    spans = []
    for hint in sorted(hints, key=lambda h: (-(h.end - h.start), h.start)):
        if taken.isdisjoint(range(hint.start, hint.end)):
            taken.update(range(hint.start, hint.end))
            spans.append((hint.start, hint.end, hint.label))
    return sorted(spans)
