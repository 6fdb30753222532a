"""Gazetteers compiled into Aho-Corasick automata.

The packaged tables in ``kg/data`` (built by ``scripts/build_gazetteers.py``
from real datasets) are loaded once per process and compiled into one
automaton per table, so a document is scanned in a single pass whatever the
size of the gazetteer.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from kg.resources import resource_dir

_LEVEL_RANK = {"province": 1, "city": 2, "county": 3, "district": 3, "zone": 3, "town": 4, "street": 4, "other": 4}
# Suffixes an official place name may drop in running text (山东省 -> 山东, 牟平区 -> 牟平).
_SHORTENABLE = {
    "province": ("省", "市", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区"),
    "city": ("市", "地区", "盟"),
    "county": ("县", "市", "旗"),
    "district": ("区",),
    "town": ("镇", "乡"),
    "street": ("街道",),
}
_MIN_SHORT = 2


@dataclass(frozen=True, slots=True)
class AdminPlace:
    """One administrative division."""

    code: str
    name: str
    level: str
    parent_code: str

    @property
    def rank(self) -> int:
        """1 for provinces down to 4 for towns and streets."""
        return _LEVEL_RANK.get(self.level, 4)


@dataclass(frozen=True, slots=True)
class ListedCompany:
    """A listed company: legal name, exchange short name, code and seat."""

    full_name: str
    short_name: str
    code: str
    province: str
    city: str


@dataclass(slots=True)
class Gazetteer:
    """All packaged tables and their automata."""

    places: dict[str, AdminPlace]
    place_names: ahocorasick.Automaton
    companies: list[ListedCompany]
    company_names: ahocorasick.Automaton
    industries: dict[str, str]
    industry_names: ahocorasick.Automaton
    children: dict[str, list[str]] = field(default_factory=dict)

    def ancestors(self, code: str) -> Iterator[AdminPlace]:
        """The containing places of ``code``, nearest first."""
        place = self.places.get(code)
        while place is not None and place.parent_code:
            place = self.places.get(place.parent_code)
            if place is not None:
                yield place

    def parent(self, code: str) -> AdminPlace | None:
        """The directly containing place, if any."""
        return next(self.ancestors(code), None)


def _rows(name: str) -> Iterator[list[str]]:
    with gzip.open(resource_dir("data") / name, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            yield line.rstrip("\n").split("\t")


def short_forms(name: str, level: str) -> list[str]:
    """The forms of an official name that running text uses without its suffix.

    Examples
    --------
    >>> short_forms("山东省", "province"), short_forms("牟平区", "district"), short_forms("曹县", "county")
    (['山东'], ['牟平'], [])
    """
    forms = []
    for suffix in _SHORTENABLE.get(level, ()):
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_SHORT:
            forms.append(name[: -len(suffix)])
            break
    return forms


def _automaton(entries: dict[str, list[tuple[str, object]]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for surface, payload in entries.items():
        automaton.add_word(surface, (surface, tuple(payload)))
    if len(automaton):
        automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load and compile the packaged gazetteers (cached per process)."""
    places: dict[str, AdminPlace] = {}
    place_entries: dict[str, list[tuple[str, object]]] = defaultdict(list)
    children: dict[str, list[str]] = defaultdict(list)
    for code, name, level, parent in _rows("places.tsv.gz"):
        place = AdminPlace(code, name, level, parent)
        places[code] = place
        children[parent].append(code)
        place_entries[name].append(("full", code))
        if level in ("province", "city", "county", "district"):
            for short in short_forms(name, level):
                place_entries[short].append(("short", code))
    companies: list[ListedCompany] = []
    company_entries: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for full_name, short_name, code, province, city in _rows("companies.tsv.gz"):
        index = len(companies)
        companies.append(ListedCompany(full_name, short_name, code, province, city))
        if full_name:
            company_entries[full_name].append(("full", index))
        if len(short_name) >= 3:
            company_entries[short_name].append(("short", index))
    industries: dict[str, str] = {}
    for name, code, _source in _rows("industries.tsv.gz"):
        industries[name] = code
    industry_entries = {name: [("industry", code)] for name, code in industries.items() if len(name) >= 2}
    return Gazetteer(
        places=places,
        place_names=_automaton(place_entries),
        companies=companies,
        company_names=_automaton(company_entries),
        industries=industries,
        industry_names=_automaton(industry_entries),  # type: ignore[arg-type]
        children=dict(children),
    )


def scan(automaton: ahocorasick.Automaton, text: str) -> Iterator[tuple[int, int, str, tuple]]:
    """All matches of ``automaton`` in ``text`` as ``(start, end, surface, payloads)``."""
    if not len(automaton):
        return
    for end_index, (surface, payloads) in automaton.iter(text):
        yield end_index - len(surface) + 1, end_index + 1, surface, payloads
