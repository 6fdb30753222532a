"""Warming a process up before it extracts (and before it forks workers).

Extraction loads its pipeline, gazetteers and dictionaries lazily; extracting
one tiny page loads them all, so the first real document pays nothing and
forked workers inherit the loaded state. The page names an invented firm.
"""

from __future__ import annotations

from kg.builder.collector import freeze_loaded
from kg.builder.work import extract_bytes

WARM_UP_PAGE = "链长制推进会召开\n本报讯 2月1日,烟台市牟平区召开会议,山东青禾华材新材料有限公司负责人参加。".encode("utf-8")


def warm_up() -> None:
    """Load everything extraction loads lazily by extracting a tiny page, then freeze it out of the collector's sight."""
    extract_bytes(WARM_UP_PAGE, "warm-up.txt", ".txt")
    freeze_loaded()
