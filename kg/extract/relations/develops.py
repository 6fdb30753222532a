"""DEVELOPS: places (and the departments that lead chains) and the chains they build.

Reads each chain mention and its sentence. The developer is the place (or
else organ) written before the chain in the same clause (a bare 全市 counts,
as the page's city); failing that, the place that opens the sentence, the
paragraph's or the article's place (:mod:`kg.extract.relations.subjects`);
in "X是全市…核心产业" the place after 是. In a report (see
:mod:`kg.nlp.context`) the default developer is the document's subject. When the sentence says a department
leads (牵头, 负责) the chains, the department the article is about develops
them too. ``tier`` comes from the words around the chain (重点打造, 两大主导产业,
新兴产业 …) and ``scale`` from 千亿级/百亿级 phrases.
"""

from __future__ import annotations

import re
from collections import Counter


from kg.nlp.spans import ArticleState, Candidate, article_component
from kg.extract.relations.subjects import article_place, paragraph_place, sentence_opening_place, subject_mention
from kg.nlp.lexicon import SCALE, TIERS

_TIER = re.compile(rf"(?P<tier>{'|'.join(TIERS)})(?:性)?(?:打造|发展|培育|产业|抓好|推进|布局)?")
_DEVELOPERS = frozenset({"Place", "Organization"})
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_LEADS = re.compile(r"牵头|负责")


def _clause_start(article: ArticleState, position: int) -> int:
    sentence_start, _end = article.sentence_of(position)
    match = None
    for match in _CLAUSE_BREAK.finditer(article.text, sentence_start, position):
        pass
    return match.end() if match else sentence_start


def _usable(mention: Candidate) -> bool:
    return mention.label in _DEVELOPERS and not mention.attrs.get("inner") and not mention.attrs.get("synthetic")


def _developers(article: ArticleState, index: int) -> list[int]:
    """Who develops the chain at ``index``: the clause's place or organ, else the sentence's or article's place."""
    chain = article.mentions[index]
    sentence_start, sentence_end = article.sentence_of(chain.start)
    if chain.source == "chain_copula":
        after = [i for i in article.mentions_in(chain.end, sentence_end) if article.mentions[i].label == "Place" and _usable(article.mentions[i])]
        if after:
            return after
    clause = [i for i in article.mentions_in(_clause_start(article, chain.start), chain.start) if _usable(article.mentions[i])]
    places = [i for i in clause if article.mentions[i].label == "Place"]
    if places or clause:
        return [(places or clause)[-1]]
    if (subject := subject_mention(article)) is not None:
        return [subject]  # a report's chains are its subject's unless the clause names another developer
    found = sentence_opening_place(article, chain.start)
    if found is None:
        found = paragraph_place(article, chain.start)
    if found is None:
        found = article_place(article, cities=True)
    if found is None:
        found = _article_reference(article)
    developers = [found] if found is not None else []
    if _LEADS.search(article.text[sentence_start:sentence_end]) and (organ := _article_organ(article)) is not None:
        developers.append(organ)
    return developers


def _article_reference(article: ArticleState) -> int | None:
    """The page's own place when an article only says 全市 or 我市."""
    for index, mention in enumerate(article.mentions):
        if mention.label == "Place" and mention.source == "self_reference":
            return index
    return None


def _article_organ(article: ArticleState) -> int | None:
    """The organ an article is about (the department interviewed), by how often it is named."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, mention in enumerate(article.mentions):
        if mention.label == "Organization" and mention.attrs.get("kind") == "government" and not mention.attrs.get("synthetic"):
            key = article.surface(mention).removeprefix("市")
            counts[key] += 1
            first.setdefault(key, index)
    if not counts:
        return None
    key, count = counts.most_common(1)[0]
    return first[key] if count >= 2 else None


def _tier(article: ArticleState, chain: Candidate) -> str | None:
    if chain.attrs.get("tier"):
        return str(chain.attrs["tier"])
    listed = _TIER.search(str(chain.attrs.get("list_modifiers", "")))
    if listed:
        return listed.group("tier")  # 光伏、新能源汽车、集成电路三大主导产业: every item is 主导
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


@article_component("kg_develops")
def develops(article: ArticleState) -> None:
    """Add DEVELOPS relations for every chain the article names."""
    for index, chain in enumerate(list(article.mentions)):
        if chain.label != "Chain" or chain.source == "representative":
            continue
        for developer in _developers(article, index):
            article.relate("DEVELOPS", developer, index, chain.start, "kg_develops", tier=_tier(article, chain), scale=_scale(article, chain))
