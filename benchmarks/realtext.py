"""Benchmark corpora of real text: the raw 2026 provincial government work reports, and distinct recombinations of them.

The reports (``/work/shared/corpus/raw/gov_reports_2026``, or the folder in
``KG_REAL_REPORTS``) are long, dense official prose, slower to extract than
the short local news of ``samples/seeds``, so every speed figure is taken on
them. A corpus first holds the reports as they are; when more text is asked
for, it adds *recombined* pages: each a numbered headline over runs of
consecutive paragraphs (lines) drawn from two or three reports, so the text
stays real, the cache and the build see new documents, and no two pages have
the same content (the build skips a page whose bytes repeat another's; every
page is checked against the others' hashes here too).

Examples
--------
>>> import tempfile
>>> if REPORTS.is_dir():
...     stats = real_corpus(Path(tempfile.mkdtemp()) / "c", chars=1_200_000, seed=1)
...     stats.files > 15 and stats.chars >= 1_200_000
... else:
...     True
True
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPORTS = Path(os.environ.get("KG_REAL_REPORTS", "/work/shared/corpus/raw/gov_reports_2026"))


@dataclass(slots=True)
class RealStats:
    """What a real-text corpus holds."""

    files: int = 0
    reports: int = 0
    recombined: int = 0
    bytes: int = 0
    chars: int = 0


@lru_cache(maxsize=2)
def reports(folder: Path = REPORTS) -> tuple[tuple[str, str], ...]:
    """The raw reports as (file name, text), in name order.

    Raises
    ------
    FileNotFoundError
        When the folder holds no report.
    """
    found = tuple((path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.txt")) if path.name != "SOURCE.txt")
    if not found:
        raise FileNotFoundError(f"{folder}: no raw reports (set KG_REAL_REPORTS)")
    return found


def _recombined(rng: random.Random, number: int, paragraphs: list[list[str]]) -> str:
    """Page ``number``: a headline over runs of consecutive paragraphs of two or three reports."""
    parts = [f"政府工作报告摘编(第{number}篇)", ""]
    for lines in rng.sample(paragraphs, rng.choice((2, 3))):
        length = max(3, int(len(lines) * rng.uniform(0.15, 0.4)))
        start = rng.randrange(0, max(1, len(lines) - length))
        parts.extend(lines[start:start + length])
    return "\n".join(parts) + "\n"


def real_corpus(out: Path, *, chars: int | None = None, files: int | None = None, seed: int = 3,
                folder: Path = REPORTS) -> RealStats:
    """Write the reports into ``out``, then recombined pages until ``chars`` characters or ``files`` files (at least the reports)."""
    texts = reports(folder)
    paragraphs = [[line for line in text.splitlines() if line.strip()] for _name, text in texts]
    rng = random.Random(seed)
    stats = RealStats()
    seen: set[str] = set()
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, text: str) -> bool:
        data = text.encode("utf-8")
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            return False
        seen.add(digest)
        folder = out / f"{stats.files // 500:04d}"
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
        stats.files += 1
        stats.bytes += len(data)
        stats.chars += len(text)
        return True

    for name, text in texts:
        stats.reports += write(name, text)
    number = 0
    while (chars is not None and stats.chars < chars) or (files is not None and stats.files < files):
        number += 1
        stats.recombined += write(f"recombined_{number:06d}.txt", _recombined(rng, number, paragraphs))
    return stats


def cached_real_corpus(workdir: Path, **limits: int) -> tuple[Path, RealStats]:
    """A real-text corpus under ``workdir`` named by its limits, made once and reused by later benchmarks of a run."""
    name = "real-" + "-".join(f"{key}{value}" for key, value in sorted(limits.items()))
    folder, marker = workdir / name, workdir / f"{name}.done"
    if marker.exists():
        return folder, RealStats(**{k: int(v) for k, v in (item.split("=") for item in marker.read_text().split())})
    shutil.rmtree(folder, ignore_errors=True)
    stats = real_corpus(folder, **limits)
    marker.write_text(" ".join(f"{key}={getattr(stats, key)}" for key in RealStats.__slots__))
    return folder, stats
