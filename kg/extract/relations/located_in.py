"""LOCATED_IN (from the text): what the article says is where.

Reads the chosen mentions. Emits LOCATED_IN, with ``basis``, for
- ``text``: a place written right before another, smaller one (东明县渔沃街道,
  陈集镇鲁店村), or right before a firm, organ or project, or joined to it by
  的 (王浩屯镇菏泽中鼎…公司, 安兴镇的金泓电子公司); "X位于Y", "落户Y";
- ``visit``: the firms and projects of a visit to a county or town ("深入东明县
  部分项目和企业" and the visit list that follows);
- ``name``: an organ written with its place or level (市委组织部 -> the page's
  city, 菏泽开发区党工委 -> 菏泽开发区), and anything named after the park,
  zone, town or village it is in (现代医药港小分子肽项目). A firm's registered
  province or city in its legal name is not its location;
- ``article``: firms, projects, organs and small places that an article about
  a county, zone or town names with no location of their own are in that place
  (see :mod:`kg.extract.relations.subjects`), unless the sentence is about
  partners elsewhere (合作, 签署, 对接 …).
The administrative hierarchy (牡丹区 -> 菏泽市) comes from admin codes and is
added per document by :mod:`kg.extract.document`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import ArticleState, Candidate, state
from kg.extract.relations.subjects import is_standalone_place, place_about

_RANK = {"country": 0, "province": 1, "city": 2, "county": 3, "district": 3, "zone": 3, "town": 4, "street": 4,
         "park": 5, "community": 5, "village": 5, "other": 5}
_HOLDERS = frozenset({"Enterprise", "Organization", "Project"})
_LOCATED = re.compile(r"位于|落户|坐落于|落地")
_VISIT_PLACE = re.compile(r"(?:深入|赴|到|来到|走进)$")
_ELSEWHERE = re.compile(r"合作|签署|签约|协议|对接|达成|洽谈|供应商|出售|赴[^，,。]{0,8}招商|招商推介|输往|销往|发往")
_GOVERNMENT_KINDS = frozenset({"government", "party", "congress"})
# Organs whose place in the name is their jurisdiction (菏泽…协会, 菏泽农商银行): governments, parties, associations, banks.
_JURISDICTION_KINDS = _GOVERNMENT_KINDS | {"association", "bank"}
# Inner places that say where a thing is; a province or city in a firm's legal name only says where it was registered.
_LOCATING_KINDS = frozenset({"zone", "park", "town", "street", "village", "community", "district", "county", "other"})


def _rank(mention: Candidate) -> int:
    return _RANK.get(str(mention.attrs.get("kind")), 5)


def _located(article: ArticleState) -> set[int]:
    return {relation.head for relation in article.relations if relation.type == "LOCATED_IN"}


def _adjacent(article: ArticleState) -> None:
    mentions = article.mentions
    for index, mention in enumerate(mentions):
        if not is_standalone_place(mention):
            continue
        for j, other in enumerate(mentions):
            if j == index or other.start not in (mention.end, mention.end + 1) or other.attrs.get("inner"):
                continue
            gap = article.text[mention.end : other.start]
            if gap not in ("", "的"):
                continue
            if is_standalone_place(other) and gap == "" and _rank(other) >= _rank(mention) and other.attrs.get("admin_code") != mention.attrs.get("admin_code"):
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="text")
            elif other.label in _HOLDERS:
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="text")


def _stated(article: ArticleState) -> None:
    text = article.text
    for match in _LOCATED.finditer(text):
        sentence_start, sentence_end = article.sentence_of(match.start())
        before = [i for i in article.mentions_in(sentence_start, match.start()) if article.mentions[i].label in _HOLDERS]
        after = [i for i in article.mentions_in(match.end(), sentence_end) if is_standalone_place(article.mentions[i])]
        if not before or not after:
            continue
        chain = [after[0]]
        for j in after[1:]:
            if article.mentions[j].start - article.mentions[chain[-1]].end <= 1:
                chain.append(j)
        article.relate("LOCATED_IN", before[-1], chain[-1], match.start(), "kg_located_in", basis="text")


def _visits(article: ArticleState) -> None:
    text = article.text
    for index, mention in enumerate(article.mentions):
        if not is_standalone_place(mention) or _rank(mention) not in (3, 4):
            continue
        if not _VISIT_PLACE.search(text[max(0, mention.start - 2) : mention.start]):
            continue
        sentence_start, _sentence_end = article.sentence_of(mention.start)
        if not article.mentions_in(sentence_start, mention.start, "Person"):
            continue
        paragraph_end = text.find("\n", mention.end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        following_paragraph = text.find("\n", paragraph_end + 1)
        scope_end = len(text) if following_paragraph < 0 else following_paragraph
        for j in article.mentions_in(mention.end, scope_end):
            if article.mentions[j].label in ("Enterprise", "Project") and not article.mentions[j].attrs.get("inner"):
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="visit")


def _inner(article: ArticleState) -> None:
    for index, mention in enumerate(list(article.mentions)):
        if mention.label == "Place" and mention.attrs.get("level_prefix"):
            reference = Candidate("Place", mention.start, mention.start + 1, "organ_prefix", 0,
                                  {"kind": "reference", "reference": mention.attrs["level_prefix"], "inner": True})
            article.mentions.append(reference)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")
            continue
        if mention.label not in _HOLDERS:
            continue
        level = mention.attrs.get("level_prefix")
        zone_first = any(p["start"] == mention.start and p["attrs"].get("suffix") for p in mention.attrs.get("inner_places") or [])
        if mention.label == "Organization" and level and not zone_first:
            prefix_end = mention.start + article.surface(mention).index(str(level)) + 1
            reference = Candidate("Place", mention.start, prefix_end, "organ_prefix", 0,
                                  {"kind": "reference", "reference": level, "inner": True})
            article.mentions.append(reference)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")
            continue
        inner = mention.attrs.get("inner_places") or []
        governing = mention.label == "Organization" and mention.attrs.get("kind") in _JURISDICTION_KINDS
        usable = [place for place in inner if governing or place["attrs"].get("kind") in _LOCATING_KINDS]
        if usable:
            place = usable[-1]
            reference = Candidate("Place", place["start"], place["end"], "inner_place", 0, {**place["attrs"], "inner": True})
            article.mentions.append(reference)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")


def _context(article: ArticleState) -> None:
    located = _located(article)
    for index, mention in enumerate(list(article.mentions)):
        if index in located or mention.attrs.get("synthetic"):
            continue
        small_place = is_standalone_place(mention) and not mention.attrs.get("admin_code") and _rank(mention) >= 3
        if mention.label not in _HOLDERS and not small_place:
            continue
        if mention.attrs.get("kind") in _GOVERNMENT_KINDS or mention.source == "inner_firm":
            continue  # an organ is where its name says; a firm inside a project's name is placed by the project
        if mention.label == "Enterprise" and mention.attrs.get("listed") and mention.source == "listed_company":
            continue  # a listed firm named in passing is seldom in the place the article is about
        sentence_start, sentence_end = article.sentence_of(mention.start)
        if _ELSEWHERE.search(article.text[sentence_start:sentence_end]):
            continue
        subject = place_about(article, mention.start)
        if subject is None or subject == index:
            continue
        place = article.mentions[subject]
        if _rank(place) < 3 or (small_place and _rank(place) >= _rank(mention)):
            continue
        article.relate("LOCATED_IN", index, subject, mention.start, "kg_located_in", basis="article")


@Language.component("kg_located_in")
def located_in(doc: Doc) -> Doc:
    """Add the LOCATED_IN relations the article states or makes certain."""
    article = state(doc)
    _adjacent(article)
    _stated(article)
    _visits(article)
    _inner(article)
    _context(article)
    return doc
