"""LOCATED_IN (from the text): what the article says is where.

Reads the chosen mentions. Emits LOCATED_IN for
- a place written right before another, smaller one (东明县渔沃街道, 陈集镇鲁店村);
- a place written right before a firm, organisation or project, or joined to
  it by 的 (牟平区王浩屯镇菏泽中鼎…公司, 安兴镇的金泓电子公司);
- the place inside a name (菏泽开发区党工委 -> 菏泽开发区), and the page's
  city or zone for a bare organ (市委组织部, 区关工委);
- "X位于Y" and "落户Y";
- the firms and projects of a visit to a county or town ("深入东明县部分项目
  和企业" and the list of the visit that follows).
The administrative hierarchy (牡丹区 -> 菏泽市) comes from admin codes and is
added per document by :mod:`kg.extract.document`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import ArticleState, Candidate, state

_RANK = {"province": 1, "city": 2, "county": 3, "district": 3, "zone": 3, "town": 4, "street": 4,
         "park": 5, "community": 5, "village": 5, "other": 5}
_HOLDERS = frozenset({"Enterprise", "Organization", "Project"})
_LOCATED = re.compile(r"位于|落户|坐落于|落地")
_VISIT_PLACE = re.compile(r"(?:深入|赴|到|来到|走进)$")


def _rank(mention: Candidate) -> int:
    return _RANK.get(str(mention.attrs.get("kind")), 5)


def _is_place(mention: Candidate) -> bool:
    return mention.label == "Place" and mention.attrs.get("kind") != "reference"


def _adjacent(article: ArticleState) -> None:
    mentions = article.mentions
    for index, mention in enumerate(mentions):
        if not _is_place(mention):
            continue
        following = [j for j, m in enumerate(mentions) if m.start in (mention.end, mention.end + 1) and j != index]
        for j in following:
            other = mentions[j]
            gap = article.text[mention.end : other.start]
            if gap not in ("", "的"):
                continue
            if _is_place(other) and gap == "" and _rank(other) >= _rank(mention) and other.attrs.get("admin_code") != mention.attrs.get("admin_code"):
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="text")
            elif other.label in _HOLDERS:
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="text")


def _inner(article: ArticleState) -> None:
    for index, mention in enumerate(list(article.mentions)):
        if mention.label not in _HOLDERS:
            continue
        inner = mention.attrs.get("inner_places") or []
        if inner:
            place = inner[-1]
            ref = Candidate("Place", place["start"], place["end"], "inner_place", 0, {**place["attrs"], "inner": True})
            article.mentions.append(ref)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")
        elif mention.label == "Organization" and mention.attrs.get("bare") and mention.attrs.get("level_prefix"):
            prefix_end = mention.start + len(mention.attrs.get("body", ""))
            ref = Candidate("Place", mention.start, prefix_end, "organ_prefix", 0,
                            {"kind": "reference", "reference": mention.attrs["level_prefix"], "inner": True})
            article.mentions.append(ref)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")


def _stated(article: ArticleState) -> None:
    text = article.text
    for match in _LOCATED.finditer(text):
        sentence_start, sentence_end = article.sentence_of(match.start())
        before = [i for i in article.mentions_in(sentence_start, match.start()) if article.mentions[i].label in _HOLDERS]
        after = [i for i in article.mentions_in(match.end(), sentence_end) if _is_place(article.mentions[i])]
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
        if not _is_place(mention) or _rank(mention) not in (3, 4):
            continue
        if not _VISIT_PLACE.search(text[max(0, mention.start - 2) : mention.start]):
            continue
        sentence_start, _sentence_end = article.sentence_of(mention.start)
        people = article.mentions_in(sentence_start, mention.start, "Person")
        if not people:
            continue
        paragraph_end = text.find("\n", mention.end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        following_paragraph = text.find("\n", paragraph_end + 1)
        scope_end = len(text) if following_paragraph < 0 else following_paragraph
        for j in article.mentions_in(mention.end, scope_end):
            if article.mentions[j].label in ("Enterprise", "Project") and not article.mentions[j].attrs.get("inner"):
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="visit")


@Language.component("kg_located_in")
def located_in(doc: Doc) -> Doc:
    """Add the LOCATED_IN relations the article states."""
    article = state(doc)
    _adjacent(article)
    _stated(article)
    _visits(article)
    _inner(article)
    return doc
