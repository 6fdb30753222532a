"""Projects: named construction and investment projects.

Reads the article text and the enterprise candidates. Emits ``Project``
candidates for names ending in 项目, 工程, 生产线, 车间 (a firm name right
before the project is not part of it: that firm OPERATES the project), for
the representative of "以X为代表的N个Y项目", and for the named items of
"投资27亿元的A、6.2亿元的B等项目". Category phrases (5个生物医药项目, 一批
主导产业项目, 民生基础设施项目5个) are not projects.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import Candidate, state
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import left_boundary, pos_tokens

_SUFFIX = re.compile(r"(?:项目|工程|生产线|车间)(?![部组办化师])")
_REPRESENTATIVE = re.compile(
    r"以(?P<item>[^，,。；;、以]{2,20}?)为代表的(?P<count>[0-9一二三四五六七八九十两几数]+)(?:个|家|项)(?P<chain>[^，,。；;、]{2,14}?)项目"
)
_QUANTITY_BEFORE = re.compile(r"(?:[0-9一二三四五六七八九十两几数]+(?:余|多)?(?:个|项|批|类)|一批|等|各类|这些|该|其他类?|其余)$")
_COUNT_AFTER = re.compile(r"^[0-9一二三四五六七八九十两几]+(?:余|多)?个")
_CATEGORY_WORDS = frozenset(
    """
    重点 重大 民生 基础设施 城市 开发 文旅 商贸 技改 储备 在建 新建 续建 配套 上下游 扩能 改造 招商 产业链 主导
    新兴 产业 创新 引领 高新技术 合作 小 大 省 市 区 县 省市 省市区级 市级 省级 区级 县级 国家级 投资 工业 建设
    惠民 民心 实事 春季 秋季 全市 全区 全县 全省 优秀 企业 系统 深加工 高技术 类 一批 这些 新增 签约 开工 竣工
    投产 达产 落地 谋划 实施 推进 招引 引进 各类 其他 示范 试点 理论 文化 民生实事 年度 今年 去年 明年
    """.split()
)
_SPECIFIC_TAGS = frozenset({"nz", "nr", "nrt", "nrfg", "ns", "nt", "j", "eng", "l", "n", "mq", "zg", "ng"})


def _is_category(body: str, industries: object) -> bool:
    """Whether ``body`` names a kind of project (5个生物医药项目, 重点项目) rather than one project."""
    if body in industries:  # type: ignore[operator]
        return True
    specific = [
        word for word, tag, _start in pos_tokens(body)
        if word not in _CATEGORY_WORDS and word not in industries and tag in _SPECIFIC_TAGS  # type: ignore[operator]
    ]
    return not specific or is_generic_body("".join(specific))


@Language.component("kg_projects")
def extract_projects(doc: Doc) -> Doc:
    """Propose ``Project`` candidates for one article."""
    article = state(doc)
    text = article.text
    industries = article.context.gazetteer.industries
    firm_ends = {c.end: c for c in article.candidates if c.label == "Enterprise"}
    # A project name starts after the firm that builds it and after the village or town it is in.
    floors = set(firm_ends) | {
        c.end for c in article.candidates
        if c.label == "Place" and c.attrs.get("kind") in ("village", "community", "town", "street", "county", "district")
    }
    for match in _SUFFIX.finditer(text):
        floor = max((end for end in floors if end <= match.start()), default=0)
        start = left_boundary(text, match.start(), max_chars=26, floor=floor, allow_digits=True, allow_conjunction=True)
        while start < match.start() and text[start] in "的之":
            start += 1
        body = text[start : match.start()]
        if len(body) < 2 or _QUANTITY_BEFORE.search(text[max(0, start - 6) : start]) or _COUNT_AFTER.match(text[match.end() :]):
            continue
        if _is_category(body, industries) or re.fullmatch(r"[0-9.]+", body):
            continue
        attrs = {"suffix": match.group(), "operator_end": start if start in firm_ends else None}
        capacity = re.match(r"[0-9.]+(?:万|千)?(?:吨|件|台|套|辆|平方米|千瓦|兆瓦|头|只|株)/?(?:年|日|天)?", body)
        if capacity:
            attrs["capacity"] = capacity.group()
        article.add(Candidate("Project", start, match.end(), "project_suffix", 50, attrs))

    for match in _REPRESENTATIVE.finditer(text):
        item_start, item_end = match.span("item")
        article.add(Candidate("Project", item_start, item_end, "representative", 62, {"chain": match.group("chain"), "representative": True}))
        chain_start, chain_end = match.span("chain")
        article.add(Candidate("Chain", chain_start, chain_end, "representative", 62, {}))
    return doc
