"""Checks shared by the entity families: is a name body specific enough to be a name?"""

from __future__ import annotations

import re
from functools import lru_cache

from typing import TYPE_CHECKING

import jieba.posseg

from kg.nlp.boundary import word_spans, pos_tokens
from kg.nlp.gazetteer import scan
from kg.nlp.lexicon import GENERIC_ENTITY_BODIES, LEFT_STOP_TOKENS, NAME_VERBS, TIERS, TITLES

if TYPE_CHECKING:
    from kg.nlp.spans import ArticleState

_NUMERIC = re.compile(r"^[0-9０-９.一二三四五六七八九十百千万亿两几数余多个条家项大类批]+$")
_GENERIC = GENERIC_ENTITY_BODIES | frozenset(TIERS)


@lru_cache(maxsize=65536)
def is_generic_body(body: str) -> bool:
    """Whether ``body`` is only generic words (重点, 新兴, 一批 …), so no name.

    Examples
    --------
    >>> is_generic_body("重点"), is_generic_body("两大主导"), is_generic_body("金山湾新材料")
    (True, True, False)
    """
    if not body or _NUMERIC.match(body):
        return True
    words = [word for word, _s, _e in word_spans(body)]
    return all(word in _GENERIC or _NUMERIC.match(word) for word in words)


_CATEGORY_WORDS = frozenset(
    """
    重点 重大 民生 基础设施 城市 开发 文旅 商贸 技改 储备 在建 新建 续建 配套 上下游 扩能 改造 招商 产业链 主导
    新兴 产业 创新 引领 高新技术 合作 小 大 省 市 区 县 省市 省市区级 市级 省级 区级 县级 国家级 投资 工业 建设
    惠民 民心 实事 春季 秋季 全市 全区 全县 全省 优秀 企业 系统 深加工 高技术 类 一批 这些 新增 签约 开工 竣工
    投产 达产 落地 谋划 实施 推进 招引 引进 各类 其他 示范 试点 理论 文化 民生实事 年度 今年 去年 明年 高新技术
    """.split()
)
_SPECIFIC_TAGS = frozenset({"nz", "nr", "nrt", "nrfg", "ns", "nt", "j", "eng", "l", "n", "mq", "zg", "ng"})


def is_project_category(body: str, industries: object) -> bool:
    """Whether ``body`` names a kind of project (5个生物医药项目, 重点项目) rather than one project."""
    rest = "".join(word for word, _tag, _start in pos_tokens(body) if word not in _CATEGORY_WORDS)
    if not rest or rest in industries or is_generic_body(rest):  # type: ignore[operator]
        return True  # only category words, or one industry: 民生基础设施项目, 生物医药项目
    return not any(tag in _SPECIFIC_TAGS or tag == "a" for _word, tag, _start in pos_tokens(rest))


_FIRM_NAME_TAGS = frozenset({"nz", "nt", "nr", "nrt", "nrfg", "ns", "j", None})
_FIRM_ENDINGS = ("公司", "集团", "股份", "控股", "药业", "科技", "实业")


def firm_name_ok(name: str) -> bool:
    """Whether a name listed as a firm reads as a name, not as a common noun (独角兽, 瞪羚)."""
    words = pos_tokens(name)
    if len(words) == 1 and not name.endswith(_FIRM_ENDINGS):
        return jieba.posseg.dt.word_tag_tab.get(name) in _FIRM_NAME_TAGS
    return True


_NOMINAL_TAGS = frozenset({"n", "nz", "ns", "nr", "nt", "j", "b", "a", "an", "ng", "t", "f", "l"})
_NEVER_IN_CHAIN = frozenset({"d", "ad", "i", "p", "u", "uj", "r", "q", "m"})


def industry_like(article: ArticleState, text: str) -> bool:
    """Whether ``text`` contains an industry word of the vocabulary."""
    return any(end - start >= 2 for start, end, _s, _p in scan(article.context.gazetteer.industry_names, text))


def chain_body_ok(body: str, article: ArticleState, start: int) -> bool:
    """Whether ``body`` (at ``start`` in the article) names an industry.

    An industry of the vocabulary passes unless function words or adverbs
    sit in it; anything else must be a short run of nouns (花卉, 牡丹). Places
    (赣州产业升级), slogans and policy verbs (市级领导挂帅) do not.
    """
    if len(body) < 2 or is_generic_body(body) or re.search(r"[0-9“”\"+]", body) or body in LEFT_STOP_TOKENS:
        return False
    if body[-1] in "新大小" or body.endswith(("的", "性", *TITLES)):
        return False  # 市委书记、新能源汽车产业链链长: an official's title, not an industry
    end = start + len(body)
    if any(hit.start < end and start < hit.end for hit in article.places):
        return False
    if any(c.label == "Place" and c.start < end and start < c.end and c.source != "self_reference" for c in article.candidates):
        return False
    words = pos_tokens(body)
    if any(tag in _NEVER_IN_CHAIN and word not in ("与", "及") for word, tag, _s in words):
        return False
    if industry_like(article, body):
        return True
    if not all(tag in _NOMINAL_TAGS or word in NAME_VERBS for word, tag, _s in words):
        return False
    last = words[-1][0]
    return len(body) <= 4 or (len(body) <= 10 and (last in NAME_VERBS or last in article.context.gazetteer.industries))
