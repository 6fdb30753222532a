"""Enterprises: listed companies from the gazetteer and firms by their legal suffix.

Reads the article text. Emits ``Enterprise`` candidates: listed companies by
full or exchange short name; any name ending in a legal or trade suffix
(有限公司, 股份有限公司, 集团, 厂, 合作社 …) with a sound left boundary (never
the verb, list mark or quantity before it, and only the last of several place
prefixes: 牡丹区王浩屯镇菏泽中鼎…公司 is 菏泽中鼎…公司); and the trade names
that end in 药业 or 股份. Members of a list headed by 企业 are found by
:mod:`kg.extract.entities.lists`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import ArticleState, Candidate, state
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import _tokens, left_boundary, pos_tokens
from kg.nlp.context import _word_tags
from kg.nlp.gazetteer import scan
from kg.nlp.lexicon import ENTERPRISE_SUFFIXES, WEAK_ENTERPRISE_SUFFIXES

_SUFFIX = re.compile("(?:" + "|".join(map(re.escape, sorted(ENTERPRISE_SUFFIXES, key=len, reverse=True))) + ")(?![房区长商家矿部内外])")
_TRADE_NAME = re.compile(r"(?:药业|股份)(?![有制份])")
_NAME_TAGS = frozenset({"nz", "nt", "nr", "nrt", "nrfg", "ns", "j", None})
_NOT_FIRM_BODIES = frozenset("子 分 总 母 本 该 上市 控股 参股 国有 民营 外资 合资 私营 新 老 大 小 其 各 这 那 贸易 投资 科技".split())
_RANKED = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国|全省|全市|各级)")
_COMMON_TAGS = frozenset({"n", "v", "vn", "a", "ad", "d", "s", "f", "t", "l", "i", "m", "b"})


def _listed_short_name_ok(short_name: str) -> bool:
    """An exchange short name that is also ordinary words (线上线下, 新产业) is not taken as a firm in text."""
    words = pos_tokens(short_name)
    if len(words) == 1:
        return words[0][1] not in _COMMON_TAGS or len(short_name) >= 4
    return not all(tag in _COMMON_TAGS or word in ("新", "大") for word, tag, _start in words)


def _strip_place_prefixes(article: ArticleState, start: int, end: int) -> int:
    """Keep only the last of several leading place names, and no town-level one."""
    hits = sorted((hit for hit in article.places if start <= hit.start and hit.end <= end), key=lambda h: h.start)
    position = start
    for index, hit in enumerate(hits):
        if hit.start != position:
            break
        following = hits[index + 1] if index + 1 < len(hits) else None
        if (following is not None and following.start == hit.end) or hit.level in ("town", "street"):
            position = hit.end
        else:
            break
    return position


def _distinctive(body: str) -> bool:
    """Whether a firm body is a name rather than a common noun (石化公司 is no firm)."""
    if len(body) < 2 or body in _NOT_FIRM_BODIES or is_generic_body(body) or _RANKED.match(body):
        return False
    if body.endswith("上市"):
        return False
    words = [word for word, _s, _e in _tokens(body)]
    if len(words) == 1 and (_word_tags().get(words[0], None) not in _NAME_TAGS or (len(body) <= 2 and _word_tags().get(words[0]) == "j")):
        return False
    return True


@Language.component("kg_enterprises")
def extract_enterprises(doc: Doc) -> Doc:
    """Propose ``Enterprise`` candidates for one article."""
    article = state(doc)
    text = article.text
    gazetteer = article.context.gazetteer
    for start, end, surface, payloads in scan(gazetteer.company_names, text):
        form, index = payloads[0]
        company = gazetteer.companies[index]
        if form == "short" and not _listed_short_name_ok(surface):
            continue
        attrs = {"listed": company.code, "full_name": company.full_name or None, "short_name": company.short_name}
        article.add(Candidate("Enterprise", start, end, "listed_company", 60 if form == "full" else 45, attrs))

    for match in _SUFFIX.finditer(text):
        suffix = match.group()
        start = left_boundary(text, match.start(), max_chars=30)
        start = _strip_place_prefixes(article, start, match.start())
        body = text[start : match.start()]
        if suffix in WEAK_ENTERPRISE_SUFFIXES and not _distinctive(body):
            continue
        if not body or is_generic_body(body) or _RANKED.match(body):
            continue
        priority = 58 if suffix.endswith(("有限公司", "有限责任公司")) else 48
        article.add(Candidate("Enterprise", start, match.end(), "firm_suffix", priority, {"suffix": suffix}))

    for match in _TRADE_NAME.finditer(text):
        start = left_boundary(text, match.start(), max_chars=8)
        body = text[start : match.start()]
        if _distinctive(body):
            article.add(Candidate("Enterprise", start, match.end(), "trade_name", 42, {"suffix": match.group()}))
    return doc
