"""Dates as pages write them: a masthead's page date, an article's dateline, a visit's day.

Read at ingest, where articles get their dates; extraction and resolution only
take the ISO strings made here.
"""

from __future__ import annotations

import re

_DATE_FULL = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_DASHED = re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
PAGE_DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:星期|周|礼拜)[一二三四五六日天]"
)


def iso_date(year: int | None, month: int, day: int) -> str | None:
    """ISO 8601 date, ``--MM-DD`` when the year is unknown, None when impossible.

    Examples
    --------
    >>> iso_date(2025, 2, 12), iso_date(None, 2, 12), iso_date(2025, 2, 30)
    ('2025-02-12', '--02-12', None)
    """
    import datetime

    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def parse_date(text: str, year: int | None = None) -> tuple[str, str] | None:
    """The first date in ``text`` as ``(iso, surface)``; ``year`` fills "2月12日".

    Examples
    --------
    >>> parse_date("2月12日,市人大常委会副主任", 2025)
    ('2025-02-12', '2月12日')
    >>> parse_date("2023年11月8日 星期三")
    ('2023-11-08', '2023年11月8日')
    """
    candidates = []
    for pattern in (_DATE_FULL, _DATE_DASHED, _DATE_MONTH_DAY):
        match = pattern.search(text)
        if match:
            candidates.append(match)
    if not candidates:
        return None
    match = min(candidates, key=lambda m: m.start())
    groups = match.groupdict()
    found_year = int(groups["y"]) if groups.get("y") else year
    iso = iso_date(found_year, int(groups["m"]), int(groups["d"]))
    return (iso, match.group(0)) if iso else None


def page_date(text: str) -> str | None:
    """The page date printed in a masthead ("2023年11月8日 星期三"), if any."""
    match = PAGE_DATE.search(text)
    if match is None:
        return None
    return iso_date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
