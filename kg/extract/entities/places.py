"""Places: administrative divisions from the gazetteer, zones, parks, villages, roads.

Reads the page's resolved gazetteer hits (see :mod:`kg.nlp.context`) and the
article text. Emits ``Place`` candidates with ``kind`` and, for gazetteer
places, ``admin_code``; zones and parks are found by their suffix (开发区,
高新区, 产业园 …) with a left boundary, villages, communities, towns and
counties the gazetteer lacks (renamed since 2023, say) by 村/社区/镇/街道/县, and the page's own words for itself (全市,
我市, 全区) as references that the canonicaliser resolves. Category phrases
(化工园区, 等爱国主义教育基地, 特色研学教育基地8处) and slogans in quotes
(“品质高新区”) are not places.
"""

from __future__ import annotations

import re

import jieba.posseg

from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import left_boundary, pos_tokens
from kg.nlp.lexicon import SELF_REFERENCE, ZONE_SUFFIX_PATTERN, ZONE_SUFFIXES

_KIND_BY_LEVEL = {
    "province": "province", "city": "city", "county": "county", "district": "district",
    "zone": "zone", "town": "town", "street": "street", "country": "other", "other": "other",
}
_ZONE = re.compile(rf"(?:{ZONE_SUFFIX_PATTERN})")
_VILLAGE = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,5}?)(?P<suffix>村委会|村|社区|居委会)(?![民庄委务级集干两镇])")
_TOWN = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,4}?)(?P<suffix>街道办事处|街道办|街道|镇|乡|县)(?![长政村级党人民干域街镇乡风土亲情愁城])")
_ROAD = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,4}?)(?P<suffix>路|大道|大街)(?![线径子上面口演费])")
_REFERENCE_SUFFIXES = frozenset({"开发区", "高新区", "经开区", "农高区"})
_RANKED = re.compile(r"^(?:国家级|省级|市级|县级|区级|国家|各级|各类|全国)")
_QUANTIFIED = re.compile(r"(?:各类|各级|各个|一批|多个|这些|[0-9一二三四五六七八九十两几]+(?:个|处|家|座))$")
_COUNT_AFTER = re.compile(r"^[0-9一二三四五六七八九十两几]+(?:余|多)?(?:处|个|家|座)")
_FLOOR_LEVELS = frozenset({"town", "street", "zone"})
_DESCRIPTIVE = frozenset("高端 现代 特色 专业 新型 综合 绿色 智慧 智能 数字 生态 高新 先进".split())
_ADJECTIVE_TAGS = frozenset({"a", "ad", "an", "ag", "i", "l", "z", "d"})
_TOWN_KINDS = {"镇": "town", "乡": "town", "街道": "street", "街道办": "street", "街道办事处": "street", "县": "county"}
_NOT_A_NAME_START = re.compile(r"^[该本全各每外邻郡市州省区]")
_VILLAGE_KINDS = {"村": "village", "村委会": "village", "社区": "community", "居委会": "community"}


def _common_word(word: str) -> bool:
    """A dictionary word that is not a place name (家乡, 城乡, 乡镇, 农村)."""
    tags = jieba.posseg.dt.word_tag_tab
    return word in tags and tags[word] != "ns"


def _category_zone(article: ArticleState, start: int, body: str, end: int) -> bool:
    """Whether a zone or park phrase names a kind of park rather than one park."""
    text = article.text
    industries = article.context.gazetteer.industries
    if is_generic_body(body) or _RANKED.match(body):
        return True
    if text[max(0, start - 1) : start] == "等" or _COUNT_AFTER.match(text[end:]) or _QUANTIFIED.search(text[max(0, start - 4) : start]):
        return True
    if article.in_quotes(start, end):
        return True
    words = pos_tokens(body)
    if all(tag in _ADJECTIVE_TAGS or tag.startswith("v") for _word, tag, _s in words):
        return True  # 宜居宜业示范区
    if len(body) <= 2 and len(words) == 1 and words[0][1] in ("n", "vn"):
        return True  # one common noun: 化工园区 is a kind of park
    return text[max(0, start - 1) : start] == "的" and all(
        w in industries or w in _DESCRIPTIVE or tag in _ADJECTIVE_TAGS for w, tag, _s in words
    )


def _admin(article: ArticleState) -> dict[int, int]:
    """Propose the gazetteer's places; return their spans as end -> start."""
    gazetteer = article.context.gazetteer
    ends: dict[int, int] = {}
    for hit in article.places:
        if hit.code is None and hit.level in ("county", "district", "zone"):
            continue  # 新城区, 鼓楼区: many cities have one, and the page does not say which
        if hit.level in ("town", "street") and _common_word(article.text[hit.end - 1 : hit.end + 1]):
            continue  # 振兴乡|村 is 乡村, not a town
        attrs = {"kind": _KIND_BY_LEVEL.get(hit.level, "other"), "admin_code": hit.code, "candidates": hit.candidates, "form": "full"}
        place = gazetteer.places.get(hit.code) if hit.code else None
        short = place is not None and hit.surface != place.name
        if short:
            attrs["form"] = "short"
        article.add(Candidate("Place", hit.start, hit.end, "gazetteer", Priority.STRONG if short else Priority.FULL_PLACE, attrs))
        ends[hit.end] = hit.start
    return ends


def _zones(article: ArticleState) -> None:
    text = article.text
    floors = sorted(hit.end for hit in article.places if hit.level in _FLOOR_LEVELS)
    for match in _ZONE.finditer(text):
        suffix = match.group()
        floor = max((end for end in floors if end <= match.start()), default=0)
        start = left_boundary(text, match.start(), max_chars=14, floor=floor)
        body = text[start : match.start()]
        kind = ZONE_SUFFIXES[suffix]
        if body in ("市", "区", "县") or (not body and suffix in _REFERENCE_SUFFIXES):
            if not article.in_quotes(match.start(), match.end()):
                article.add(Candidate("Place", start, match.end(), "zone_reference", Priority.WEAK, {"kind": kind, "suffix": suffix, "body": body, "reference": True}))
            continue
        if body and not _category_zone(article, start, body, match.end()):
            article.add(Candidate("Place", start, match.end(), "zone_pattern", Priority.NAME_SUFFIX, {"kind": kind, "suffix": suffix, "body": body}))
        if text[match.end() : match.end() + 1] != "·":
            floors.append(match.end())
            floors.sort()


def _villages_and_towns(article: ArticleState, admin_ends: dict[int, int]) -> None:
    text = article.text
    stops = sorted(admin_ends)
    for pattern, kinds in ((_VILLAGE, _VILLAGE_KINDS), (_TOWN, _TOWN_KINDS)):
        for match in pattern.finditer(text):
            end = match.end("body")
            suffix = match.group("suffix")
            floor = max((stop for stop in stops if stop <= end), default=0)
            start = left_boundary(text, end, max_chars=5, floor=floor)
            body = text[start:end]
            if len(body) < 2 or is_generic_body(body) or start in admin_ends.values() or _NOT_A_NAME_START.match(body):
                continue
            if suffix == "县" and len(body) > 3:
                continue
            if match.end() in admin_ends and admin_ends[match.end()] <= start:
                continue  # the gazetteer has it already
            if len(suffix) == 1 and (_common_word(body[-1] + suffix) or (_common_word(body[-2:] + suffix) and _common_word(body[-2:]))):
                continue
            article.add(Candidate("Place", start, match.end(), "place_pattern", Priority.PLACE_PATTERN, {"kind": kinds[suffix], "suffix": suffix, "body": body}))


def _roads(article: ArticleState, admin_ends: dict[int, int]) -> None:
    for match in _ROAD.finditer(article.text):
        start = admin_ends.get(match.end("body"))
        if start is not None:
            attrs = {"kind": "other", "suffix": match.group("suffix")}
            if article.text[start - 1 : start] == "市":
                start -= 1
                attrs["level_prefix"] = "市"  # 市上海路: a road of the page's city
            article.add(Candidate("Place", start, match.end(), "road_pattern", Priority.SHORT_PATTERN, attrs))


@article_component("kg_places")
def extract_places(article: ArticleState) -> None:
    """Propose ``Place`` candidates for one article."""
    admin_ends = _admin(article)
    _zones(article)
    _villages_and_towns(article, admin_ends)
    _roads(article, admin_ends)
    for match in SELF_REFERENCE.finditer(article.text):
        article.add(Candidate("Place", match.start(), match.end(), "self_reference", Priority.SELF_REFERENCE, {"reference": match.group("level"), "kind": "reference"}))
