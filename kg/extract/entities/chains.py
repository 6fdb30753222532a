"""Chains: the industries and industrial chains a place builds.

Reads the article text and the industry vocabulary (GB/T 4754 and Shenwan
names). Emits ``Chain`` candidates for "X产业链/X产业集群/X产业", the items of
an enumeration that ends in one ("A、B、C九条产业链", "A和B两大主导产业"),
"X是…核心产业" and "以X为主". Scale (三百亿级) and tier (主导, 新兴) words
are split off as attributes; tier words alone (重点产业, 新兴产业), industry
systems ("231"产业体系) and adjectives (美丽产业) are not chains.
"""

from __future__ import annotations

import re


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.entities.common import chain_body_ok, industry_like, is_generic_body
from kg.extract.entities.lists import enumeration
from kg.nlp.boundary import left_boundary
from kg.nlp.lexicon import SCALE, TIERS

_SUFFIX = re.compile(r"(?P<suffix>产业链|产业集群|产业|集群|服务业|制造业)(?![园基体政规图示区资协联研工带门类]|集中)")
_COUNT = re.compile(r"(?:[0-9一二三四五六七八九十两几数]+(?:个|条|大|项|类))$|一批$")
_TIER_TAIL = re.compile(rf"(?:{'|'.join(TIERS)})(?:性)?$")
_IS_CHAIN = re.compile(r"(?:^|(?<=[，,。；;：:\n]))(?P<x>[\u4e00-\u9fff]{2,12})是[^。；;！!？?]{0,30}?(?P<tier>核心|主导|支柱|首位|新兴|重点|优势|特色)[\u4e00-\u9fff]{0,4}产业")
_MAIN_LINE = re.compile(r"以(?P<x>[^，,。；;以]{2,16}?)(?:生产|制造)?为(?:主(?!要)|(?P<tier>核心|主导|重点|支柱|首位|龙头)(?:产业)?)")
_KEEP_SUFFIX = ("服务业", "制造业")


def _clean_body(body: str) -> tuple[str, dict[str, str]]:
    """Split scale, count and tier words off the end of a chain body."""
    attrs: dict[str, str] = {}
    changed = True
    while changed and body:
        changed = False
        scale = SCALE.search(body)
        if scale and scale.end() == len(body):
            attrs["scale"] = scale.group()
            body = body[: scale.start()]
            changed = True
        count = _COUNT.search(body)
        if count:
            body = body[: count.start()]
            changed = True
        tier = _TIER_TAIL.search(body)
        if tier and tier.start() > 0:
            attrs.setdefault("tier", tier.group().rstrip("性"))
            body = body[: tier.start()]
            changed = True
    return body, attrs


def _after_leading_place(article: ArticleState, start: int, end: int) -> int:
    """Skip a place written before an industry (青禾县|新材料产业链): the place develops it, it is not its name."""
    for place in (*article.places, *(c for c in article.candidates if c.label == "Place")):
        if place.start == start and place.end < end:
            return place.end
    return start


@article_component("kg_chains")
def extract_chains(article: ArticleState) -> None:
    """Propose ``Chain`` candidates for one article."""
    text = article.text
    for match in _SUFFIX.finditer(text):
        suffix = match.group("suffix")
        start = _after_leading_place(article, left_boundary(text, match.start(), max_chars=16, allow_digits=True), match.start())
        body, attrs = _clean_body(text[start : match.start()])
        if suffix in _KEEP_SUFFIX:
            if body and not is_generic_body(body) or body in ("现代", "高端"):
                article.add(Candidate("Chain", start, match.end(), "chain_suffix", Priority.CHAIN_SUFFIX, {**attrs, "name": body + suffix}))
            continue
        if not chain_body_ok(body, article, start):
            continue
        body_end = start + len(body)
        article.add(Candidate("Chain", start, body_end, "chain_suffix", Priority.CHAIN_SUFFIX, {**attrs, "suffix": suffix}))
        if start > 0 and text[start - 1] in "、和":
            for item_start, item_end in enumeration(text, start - 1):
                item, item_attrs = _clean_body(text[item_start:item_end])
                if chain_body_ok(item, article, item_start):
                    article.add(Candidate("Chain", item_start, item_start + len(item), "chain_enumeration", Priority.BARE_ORGAN, {**attrs, **item_attrs}))

    for match in _IS_CHAIN.finditer(text):
        start, end = match.span("x")
        if industry_like(article, match.group("x")):
            article.add(Candidate("Chain", start, end, "chain_copula", Priority.SHORT_PATTERN, {"tier": match.group("tier")}))
    for match in _MAIN_LINE.finditer(text):
        start = left_boundary(text, match.end("x"), max_chars=16, allow_conjunction=True, verbs="trim")
        start = max(start, match.start("x"))
        if industry_like(article, text[start : match.end("x")]):
            attrs = {"main_line": True, **({"tier": match.group("tier")} if match.group("tier") else {})}
            article.add(Candidate("Chain", start, match.end("x"), "chain_main_line", Priority.SHORT_PATTERN, attrs))
