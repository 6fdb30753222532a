"""DEVELOPS: places (and the departments that lead chains) and the chains they build.

Reads each chain mention and its sentence. The developer is the nearest place
or organisation written before the chain in its sentence (a bare 全市 counts,
as the page's city), else the place the article is about (the one it names
most, preferring zones, counties and towns over the city). ``tier`` comes
from the words around the chain (重点打造, 两大主导产业, 新兴产业 …) and
``scale`` from 千亿级/百亿级 phrases.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import ArticleState, Candidate, state
from kg.nlp.lexicon import SCALE, TIERS

_TIER = re.compile(rf"(?P<tier>{'|'.join(TIERS)})(?:性)?(?:打造|发展|培育|产业|抓好|推进|布局)?")
_DEVELOPERS = frozenset({"Place", "Organization"})


def _subject_of_article(article: ArticleState) -> int | None:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, mention in enumerate(article.mentions):
        if mention.label == "Place" and mention.attrs.get("kind") not in ("reference", None) and not mention.attrs.get("inner"):
            key = str(mention.attrs.get("admin_code") or article.surface(mention))
            weight = 2 if mention.attrs.get("kind") in ("zone", "county", "district", "town", "street") else 1
            counts[key] += weight
            first.setdefault(key, index)
    if not counts:
        return None
    return first[counts.most_common(1)[0][0]]


def _developer(article: ArticleState, chain: Candidate, fallback: int | None) -> int | None:
    sentence_start, _end = article.sentence_of(chain.start)
    before = [
        i for i in article.mentions_in(sentence_start, chain.start)
        if article.mentions[i].label in _DEVELOPERS and not article.mentions[i].attrs.get("inner")
        and not article.mentions[i].attrs.get("synthetic")
    ]
    return before[-1] if before else fallback


def _tier(article: ArticleState, chain: Candidate) -> str | None:
    if chain.attrs.get("tier"):
        return str(chain.attrs["tier"])
    sentence_start, sentence_end = article.sentence_of(chain.start)
    window = article.text[max(sentence_start, chain.start - 12) : min(sentence_end, chain.end + 12)]
    match = _TIER.search(window)
    return match.group("tier") if match else None


def _scale(article: ArticleState, chain: Candidate) -> str | None:
    if chain.attrs.get("scale"):
        return str(chain.attrs["scale"])
    _sentence_start, sentence_end = article.sentence_of(chain.start)
    window = article.text[chain.end : min(sentence_end, chain.end + 10)]
    match = SCALE.search(window)
    return match.group() if match and not re.search(r"[，,、]", window[: match.start()]) else None


@Language.component("kg_develops")
def develops(doc: Doc) -> Doc:
    """Add DEVELOPS relations for every chain the article names."""
    article = state(doc)
    fallback = _subject_of_article(article)
    for index, chain in enumerate(list(article.mentions)):
        if chain.label != "Chain" or chain.source == "representative":
            continue
        developer = _developer(article, chain, fallback)
        if developer is None:
            continue
        article.relate("DEVELOPS", developer, index, chain.start, "kg_develops", tier=_tier(article, chain), scale=_scale(article, chain))
    return doc
