"""Enterprises: listed companies from the gazetteer and firms by their legal suffix.

Reads the article text. Emits ``Enterprise`` candidates: listed companies by
full or exchange short name; any name ending in a legal or trade suffix
(有限公司, 股份有限公司, 集团, 厂, 合作社 …) with a sound left boundary (never
the verb, list mark or quantity before it, and only the last of several place
prefixes: 章贡区沙河镇赣州中鼎…公司 is 赣州中鼎…公司); and the trade names
that end in 药业 or 股份. Members of a list headed by 企业 are found by
:mod:`kg.extract.entities.lists`.
"""

from __future__ import annotations

import re

import jieba.posseg


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import word_spans, left_boundary, pos_tokens
from kg.nlp.context import word_tags
from kg.nlp.gazetteer import scan
from kg.nlp.lexicon import ENTERPRISE_SUFFIXES, TRADE_WORDS, WEAK_ENTERPRISE_SUFFIXES

_SUFFIX = re.compile("(?:" + "|".join(map(re.escape, sorted(ENTERPRISE_SUFFIXES, key=len, reverse=True))) + ")(?![房区长商家矿部内外])")
_NAME_TAGS = frozenset({"nz", "nt", "nr", "nrt", "nrfg", "ns", "j", None})
_NOT_FIRM_BODIES = frozenset("子 分 总 母 本 该 上市 控股 参股 国有 民营 外资 合资 私营 新 老 大 小 其 各 这 那 贸易 投资 科技".split())
_RANKED = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国|全省|全市|各级)")
_COMMON_TAGS = frozenset({"n", "v", "vn", "a", "ad", "d", "s", "f", "t", "l", "i", "m", "b"})


def _listed_short_name_ok(short_name: str) -> bool:
    """An exchange short name that is also ordinary words (线上线下, 新产业) is not taken as a firm in text."""
    words = pos_tokens(short_name)
    known = jieba.posseg.dt.word_tag_tab
    if len(words) == 1:
        return words[0][1] not in _COMMON_TAGS or len(short_name) >= 4
    return not all(known.get(word) in _COMMON_TAGS - {"m"} or word in ("新", "大") for word, _tag, _start in words)


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
    words = [word for word, _s, _e in word_spans(body)]
    if len(words) == 1 and (word_tags().get(words[0], None) not in _NAME_TAGS or (len(body) <= 2 and word_tags().get(words[0]) == "j")):
        return False
    return True


@article_component("kg_enterprises")
def extract_enterprises(article: ArticleState) -> None:
    """Propose ``Enterprise`` candidates for one article."""
    text = article.text
    gazetteer = article.context.gazetteer
    for start, end, surface, payloads in scan(gazetteer.company_names, text):
        form, index = payloads[0]
        company = gazetteer.companies[index]
        if form == "short" and not _listed_short_name_ok(surface):
            continue
        attrs = {"listed": company.code, "full_name": company.full_name or None, "short_name": company.short_name,
                 "province": company.province or None}
        article.add(Candidate("Enterprise", start, end, "listed_company", Priority.NAMED if form == "full" else Priority.SHORT_PATTERN, attrs))

    for match in _SUFFIX.finditer(text):
        suffix = match.group()
        start = left_boundary(text, match.start(), max_chars=30)
        start = _strip_place_prefixes(article, start, match.start())
        body = text[start : match.start()]
        if suffix in WEAK_ENTERPRISE_SUFFIXES and not _distinctive(body):
            continue
        if not body or is_generic_body(body) or _RANKED.match(body):
            continue
        priority = Priority.LEGAL_FIRM if suffix.endswith(("有限公司", "有限责任公司")) else Priority.WEAK_FIRM
        article.add(Candidate("Enterprise", start, match.end(), "firm_suffix", priority, {"suffix": suffix}))


_MAX_BRAND = 4
_ZONE_WORDS = re.compile(r"区|园|港|城|镇|乡|村|县|市|省")
_PROPER_TAGS = frozenset({"nz", "nt", "nr", "nrt", "nrfg", "ns", "j", "ng", "zg"})


def proper_start(text: str) -> bool:
    """Whether ``text`` begins with a brand-like word (a name, an abbreviation, a bound morpheme or an unknown word)."""
    words = pos_tokens(text)
    if not words:
        return False
    word, tag, _start = words[0]
    known = jieba.posseg.dt.word_tag_tab.get(word)
    return tag in _PROPER_TAGS or known is None or known in _PROPER_TAGS or any(t in ("ng", "zg") for _w, t, _s in words)


def firm_prefix(text: str) -> int | None:
    """Length of a firm name that opens ``text`` (澜峰智能装备|数字车间), or None.

    The firm is a brand-like word followed by a run of trade words; a name made
    of trade words alone (智能装备) is no firm.
    """
    words = pos_tokens(text)
    position = 0
    seen_brand = False
    end = None
    for word, _tag, start in words:
        if word in TRADE_WORDS:
            if not seen_brand:
                return None
            end = start + len(word)
            continue
        if end is not None:
            break
        seen_brand = True
        position = start + len(word)
    if end is None or position > _MAX_BRAND or not proper_start(text[:position]) or _ZONE_WORDS.search(text[:position]):
        return None
    return end
