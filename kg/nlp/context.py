"""Document context: which places a page is about, and what its bare words mean.

One pass of the place automaton over the whole page (bylines excluded) gives
the page's provinces, cities and counties. That context decides the ambiguous
names (城关镇 exists in hundreds of counties; 朝阳区 in two cities), lets a
county be written without its suffix (牟平 on a 烟台 page), and qualifies bare
words: 市委 on a 赣州 page is 赣州市委, 全市 is 赣州市.

It also says, once per document, what kind of document it is (``genre``: a
``page`` of several articles, a ``report`` — a work report or any text that
speaks of its own place as 我省/全省/全市/自治区 —, or a single ``article``)
and its ``subject``: the place a report is about, from its title line or from
its words for itself and the province or city most of its places belong to.
The subject is the default developer of the chains a report names and the
default container of what it builds (SPEC v2, "Document subject").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import jieba.posseg

from kg.nlp.gazetteer import AdminPlace, Gazetteer, load_gazetteer, scan
from kg.nlp.lexicon import SELF_REFERENCE

GENRES = ("page", "report", "article")
_REPORT_TITLE = ("工作报告", "政府工作")
_AUTONOMOUS_REFERENCE = ("自治区", "全区", "我区")
# How often a text must name itself (全省, 我市 …) before its self-reference decides its subject.
_MIN_SELF_REFERENCES = 2
# A text without bylines this long that names one province (or places in it) this often is that province's document.
_MIN_REPORT_CHARS = 2500
_MIN_REPORT_NAMINGS = 4

# jieba part-of-speech tags under which a short place form is a common word, not a place.
_COMMON_WORD_TAGS = frozenset({"v", "vn", "d", "a", "ad", "b", "m", "mq", "c", "r", "f", "t", "q", "p", "u", "z"})
# Tags under which jieba knows a short city form as a place name.
_PLACE_TAGS = frozenset({"ns", None})


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """jieba's part-of-speech tag of every word of its dictionary (the extractors read it to tell names from words)."""
    jieba.posseg.dt.tokenizer.check_initialized()
    return jieba.posseg.dt.word_tag_tab


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """A resolved administrative place mention (document clean offsets)."""

    start: int
    end: int
    surface: str
    code: str | None
    level: str
    candidates: tuple[str, ...]


@dataclass(slots=True)
class DocContext:
    """What the whole page tells about places, for every article's extraction."""

    gazetteer: Gazetteer
    year: int | None
    hits: list[PlaceHit] = field(default_factory=list)
    weight: Counter = field(default_factory=Counter)
    home_city: str | None = None
    home_province: str | None = None
    genre: str = "article"
    subject: str | None = None

    def place(self, code: str | None) -> AdminPlace | None:
        """The gazetteer record of ``code``."""
        return self.gazetteer.places.get(code) if code else None

    def hits_between(self, start: int, end: int) -> list[PlaceHit]:
        """Place hits inside ``[start, end)`` of the clean text."""
        return [hit for hit in self.hits if start <= hit.start and hit.end <= end]

    def choose(self, candidates: tuple[str, ...]) -> str | None:
        """The candidate code best supported by the page, or None when undecided."""
        if len(candidates) == 1:
            return candidates[0]
        for code in candidates:
            if all(code == other or code in {a.code for a in self.gazetteer.ancestors(other)} for other in candidates):
                return code  # 东莞市 is a city and the one county row under it: the city is meant
        scored = sorted(((self._support(code), code) for code in candidates), reverse=True)
        if scored[0][0] > 0 and scored[0][0] > scored[1][0]:
            return scored[0][1]
        return None

    def is_subject_reference(self, level: str) -> bool:
        """Whether a self-reference of ``level`` (省, 市, 区, 县 of 全省, 我市 …) means the document's subject."""
        place = self.place(self.subject)
        if place is None:
            return False
        if level == "省":
            return place.level == "province" and place.name.endswith("省")
        if level == "市":
            return place.level == "city" or (place.level == "province" and place.name.endswith("市"))
        if level == "区":
            return place.name.endswith("自治区") or place.level == "district"
        return level == "县" and place.level == "county"

    def _support(self, code: str) -> int:
        return sum(self.weight[ancestor.code] for ancestor in self.gazetteer.ancestors(code))


def _short_form_evidence(surface: str, place: AdminPlace) -> bool:
    """Whether a short form is safe enough to count as evidence on its own."""
    tag = word_tags().get(surface)
    if place.level == "province":
        return tag not in _COMMON_WORD_TAGS
    return place.level == "city" and tag in _PLACE_TAGS


def _short_form_ok(surface: str, place: AdminPlace, context: DocContext, full_codes: set[str]) -> bool:
    """Whether a short form names ``place`` on this page.

    A county written without its suffix (牟平) is accepted only when the page
    also writes it in full: its short forms are too often common words (惠民,
    牡丹). A city needs its full form, its province on the page, or a place tag.
    """
    if place.code in full_codes or _short_form_evidence(surface, place):
        return True
    if place.level == "city":
        parent = context.gazetteer.parent(place.code)
        return parent is not None and context.weight[parent.code] > 0 and word_tags().get(surface) not in _COMMON_WORD_TAGS
    return False


_WORD_WINDOW = 4


def _cuts_two_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins inside one word and ends inside another (jieba, no HMM)."""
    window_start = max(0, start - _WORD_WINDOW)
    boundaries = {window_start}
    position = window_start
    for word in jieba.lcut(text[window_start : end + _WORD_WINDOW], HMM=False):
        position += len(word)
        boundaries.add(position)
    return start not in boundaries and end not in boundaries


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in spans)


def _longest(hits: list[PlaceHit]) -> list[PlaceHit]:
    """Drop hits inside a longer hit (牡丹 inside 章贡区)."""
    kept: list[PlaceHit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def build_context(text: str, excluded: list[tuple[int, int]], year: int | None) -> DocContext:
    """Scan ``text`` once and resolve its administrative place mentions.

    ``excluded`` spans (bylines, the paper's own name) are not evidence of what
    the page is about.
    """
    gazetteer = load_gazetteer()
    context = DocContext(gazetteer=gazetteer, year=year)
    raw: list[tuple[int, int, str, tuple]] = [
        hit for hit in scan(gazetteer.place_names, text) if _outside(excluded, hit[0], hit[1])
    ]
    # Evidence first: unambiguous full names, and short forms of provinces and cities.
    for start, end, surface, payloads in raw:
        codes = tuple(code for form, code in payloads if form == "full")
        if len(codes) == 1:
            context.weight[codes[0]] += 2
            for ancestor in gazetteer.ancestors(codes[0]):
                context.weight[ancestor.code] += 1
        for form, code in payloads:
            place = gazetteer.places[code]
            if form == "short" and _short_form_evidence(surface, place):
                context.weight[code] += 1
                for ancestor in gazetteer.ancestors(code):
                    context.weight[ancestor.code] += 1
    full_codes = {code for _s, _e, _surface, payloads in raw for form, code in payloads if form == "full"}
    for start, end, surface, payloads in raw:
        full = tuple(code for form, code in payloads if form == "full")
        short = tuple(code for form, code in payloads if form == "short")
        if full and _cuts_two_words(text, start, end):
            continue  # 兴县 in 振|兴县|域 (振兴|县域): a name read across two words is no mention
        if full:
            code = context.choose(full)
            if code is None and word_tags().get(surface, "ns") != "ns":
                continue  # an ambiguous name that is also a common word (城区, 矿区)
            level = gazetteer.places[code].level if code else gazetteer.places[full[0]].level
            context.hits.append(PlaceHit(start, end, surface, code, level, full))
            continue
        accepted = [code for code in short if _short_form_ok(surface, gazetteer.places[code], context, full_codes)]
        if accepted and _cuts_two_words(text, start, end):
            continue  # 山东 in 贺兰山|东麓: a short form read across two words is no mention
        if accepted:
            code = context.choose(tuple(accepted))
            if code:
                context.hits.append(PlaceHit(start, end, surface, code, gazetteer.places[code].level, tuple(accepted)))
    context.hits = _longest(context.hits)
    cities = Counter(
        {code: weight for code, weight in context.weight.items() if gazetteer.places[code].level == "city"}
    )
    provinces = Counter(
        {code: weight for code, weight in context.weight.items() if gazetteer.places[code].level == "province"}
    )
    if cities:
        context.home_city = cities.most_common(1)[0][0]
    if provinces:
        context.home_province = provinces.most_common(1)[0][0]
    if context.home_city:
        parent = gazetteer.parent(context.home_city)
        context.home_province = parent.code if parent else context.home_province
    return context


def _title_subject(context: DocContext, title: str) -> str | None:
    """The province or city a report's title line names (2026年某某省政府工作报告)."""
    for hit in context.hits:
        if hit.end > len(title):
            break
        if hit.code and hit.level in ("province", "city", "county"):
            return hit.code
    return None


def _reference_subject(context: DocContext, text: str) -> str | None:
    """The place the text calls 我省/全省, 全市/本市 or 自治区/全区, from where its places lie."""
    levels = Counter(match.group("level") for match in SELF_REFERENCE.finditer(text))
    levels["自治区"] = sum(text.count(word) for word in _AUTONOMOUS_REFERENCE)
    province = context.place(context.home_province)
    municipality = _dominant_municipality(context)
    if levels["市"] and municipality is not None:
        return municipality  # 上海市 calls itself 全市
    if levels["自治区"] and province is not None and province.name.endswith("自治区"):
        return province.code
    if levels["省"]:
        return context.home_province
    if levels["市"] >= _MIN_SELF_REFERENCES:
        return context.home_city
    return None


def _dominant_municipality(context: DocContext) -> str | None:
    """The municipality (北京市, 上海市, 天津市, 重庆市) most of the text's places lie in, if any."""
    provinces = {code: weight for code, weight in context.weight.items() if context.gazetteer.places[code].level == "province"}
    if not provinces:
        return None
    code = max(provinces, key=provinces.__getitem__)
    return code if context.gazetteer.places[code].name.endswith("市") and provinces[code] * 2 > sum(provinces.values()) else None


def _regional_subject(context: DocContext, text: str) -> str | None:
    """The province of a long text without bylines that keeps naming it or its cities (a provincial document)."""
    if len(text) < _MIN_REPORT_CHARS:
        return None
    support: Counter[str] = Counter()
    for hit in context.hits:
        place = context.place(hit.code)
        if place is None:
            continue
        if place.level == "province":
            support[place.code] += 1
            continue
        for item in context.gazetteer.ancestors(place.code):
            if item.level == "province":
                support[item.code] += 1
                break
    if not support:
        return None
    (code, count), *rest = support.most_common()
    others = sum(n for _code, n in rest)
    return code if count >= _MIN_REPORT_NAMINGS and count > 2 * others else None


def set_subject(context: DocContext, text: str, articles_with_bylines: int) -> None:
    """Decide the document's genre and subject place (see the module docstring)."""
    if articles_with_bylines > 1:
        context.genre = "page"
        return
    first_line = text.lstrip().split("\n", 1)[0][:60]
    titled = any(word in first_line for word in _REPORT_TITLE)
    subject = (_title_subject(context, first_line) if titled else None) or _reference_subject(context, text)
    if subject is None and articles_with_bylines == 0:
        subject = _regional_subject(context, text)
    context.subject = subject
    context.genre = "report" if titled or subject is not None else "article"
