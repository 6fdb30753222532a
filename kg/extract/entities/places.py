"""Places: administrative divisions from the gazetteer, zones, parks, villages, roads.

Reads the page's resolved gazetteer hits (see :mod:`kg.nlp.context`) and the
article text. Emits ``Place`` candidates with ``kind`` and, for gazetteer
places, ``admin_code``; zones and parks are found by their suffix (开发区,
高新区, 产业园 …) with a left boundary, villages and communities by 村/社区,
and the page's own words for itself (全市, 我市, 全区) as references that the
canonicaliser resolves.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import Candidate, state
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import left_boundary
from kg.nlp.lexicon import ZONE_SUFFIX_PATTERN, ZONE_SUFFIXES

_KIND_BY_LEVEL = {
    "province": "province", "city": "city", "county": "county", "district": "district",
    "zone": "zone", "town": "town", "street": "street", "other": "other",
}
_ZONE = re.compile(rf"(?:{ZONE_SUFFIX_PATTERN})")
_VILLAGE = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,5}?)(?P<suffix>村委会|村|社区|居委会)(?![民庄民委务级集干两])")
_TOWN = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,4}?)(?P<suffix>街道办事处|街道办|街道|镇|乡)(?![长政村级党人民干域街镇乡])")
_ROAD = re.compile(r"(?P<body>[\u4e00-\u9fff]{2,4}?)(?P<suffix>路|大道|大街)(?![线径子上面口演费])")
_SELF_REFERENCE = re.compile(r"(?P<scope>全|我|本)(?P<level>市|省|区|县)(?![场民委政级长属直内外情])")
_NOT_VILLAGE_BODIES = frozenset("全 该 本 各 每 农 乡 新农 行政 自然 邻 附近 外 进 驻 包 到 个 美丽乡 城 村".split())


@Language.component("kg_places")
def extract_places(doc: Doc) -> Doc:
    """Propose ``Place`` candidates for one article."""
    article = state(doc)
    text = article.text
    gazetteer = article.context.gazetteer
    admin_ends: dict[int, int] = {}
    for hit in article.places:
        kind = _KIND_BY_LEVEL.get(hit.level, "other")
        attrs = {"kind": kind, "admin_code": hit.code, "candidates": hit.candidates, "form": "full"}
        place = gazetteer.places.get(hit.code) if hit.code else None
        short = place is not None and hit.surface != place.name
        if short:
            attrs["form"] = "short"
        article.add(Candidate("Place", hit.start, hit.end, "gazetteer", 40 if short else 55, attrs))
        admin_ends[hit.end] = hit.start

    for match in _ZONE.finditer(text):
        suffix = match.group()
        start = left_boundary(text, match.start(), max_chars=14)
        body = text[start : match.start()]
        kind = ZONE_SUFFIXES[suffix]
        if body and not is_generic_body(body) or body in ("市", "区", "县"):
            article.add(Candidate("Place", start, match.end(), "zone_pattern", 50, {"kind": kind, "suffix": suffix, "body": body}))
        elif not body and suffix in ("开发区", "高新区", "经开区", "新区", "农高区"):
            article.add(Candidate("Place", match.start(), match.end(), "zone_reference", 30, {"kind": kind, "suffix": suffix, "body": "", "reference": True}))

    admin_stops = sorted(admin_ends)
    for pattern, kinds in ((_VILLAGE, {"村": "village", "村委会": "village", "社区": "community", "居委会": "community"}),
                           (_TOWN, {"镇": "town", "乡": "town", "街道": "street", "街道办": "street", "街道办事处": "street"})):
        for match in pattern.finditer(text):
            end = match.end("body")
            floor = max((stop for stop in admin_stops if stop <= end), default=0)
            start = left_boundary(text, end, max_chars=5, floor=floor)
            body = text[start:end]
            if start in admin_ends.values() or (match.end() in admin_ends and admin_ends[match.end()] <= start) or len(body) < 2 or body in _NOT_VILLAGE_BODIES or is_generic_body(body):
                continue
            kind = kinds[match.group("suffix")]
            article.add(Candidate("Place", start, match.end(), "place_pattern", 35, {"kind": kind, "suffix": match.group("suffix"), "body": body}))

    for match in _ROAD.finditer(text):
        body_end = match.end("body")
        start = admin_ends.get(body_end)
        if start is not None and gazetteer.places.get(next((h.code for h in article.places if h.start == start), None) or ""):
            article.add(Candidate("Place", start, match.end(), "road_pattern", 45, {"kind": "other", "suffix": match.group("suffix")}))

    for match in _SELF_REFERENCE.finditer(text):
        article.add(Candidate("Place", match.start(), match.end(), "self_reference", 20, {"reference": match.group("level"), "kind": "reference"}))
    return doc
