"""Projects: named construction and investment projects.

Reads the article text and the enterprise candidates. Emits ``Project``
candidates for names ending in 项目, 工程, 生产线, 车间 (a firm name right
before the project is not part of it: that firm OPERATES the project; when
what follows the firm is only a kind of project, 某公司新材料项目, the firm's
name is kept in the project's), and the representative of "以X为代表的N个Y
项目" (an ``Enterprise`` for "…N家Y企业"). Category phrases (5个生物医药项目,
一批主导产业项目, 民生基础设施项目5个) are not projects. Items of "投资27亿元
的A、6.2亿元的B等项目" come from :mod:`kg.extract.entities.lists`.
"""

from __future__ import annotations

import re


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.entities.common import is_project_category
from kg.nlp.boundary import left_boundary

_SUFFIX = re.compile(r"(?:项目|工程|生产线|车间)(?![部组办化师])")
_REPRESENTATIVE = re.compile(
    r"以(?P<item>[^，,。；;、以]{2,20}?)为代表的(?P<count>[0-9一二三四五六七八九十两几数]+(?:余|多)?)(?:个|家|项)"
    r"(?P<chain>[^，,。；;、]{2,14}?)(?P<head>项目|企业)"
)
_QUANTITY_BEFORE = re.compile(r"(?:[0-9一二三四五六七八九十两几数]+(?:余|多)?(?:个|项|批|类)|一批|等|各类|这些|该|其他类?|其余)$")
_COUNT_AFTER = re.compile(r"^[0-9一二三四五六七八九十两几]+(?:余|多)?个")
_AMOUNT = re.compile(r"[0-9.０-９一二三四五六七八九十百千万两]+(?:万|亿)?(?:美)?元")
# Verbs that open the clause a project is the object of (新建|智能装备产业园项目), not its name.
_OPENING_VERBS = re.compile(r"^(?:开工建设|开工|新建|扩建|续建|改建|在建|建设|实施|投资|签约|落地|推进|引进|谋划)+(?![路街巷])")


def _name_start(text: str, start: int, end: int) -> int:
    """Move a project's start past an investment amount and the verbs of its clause (总投资5亿元建设|年产…项目)."""
    amounts = list(_AMOUNT.finditer(text, start, end))
    if amounts:
        start = amounts[-1].end()
    opening = _OPENING_VERBS.match(text[start:end])
    if opening and end - opening.end() >= 2:
        start += opening.end()
    return start


@article_component("kg_projects")
def extract_projects(article: ArticleState) -> None:
    """Propose ``Project`` candidates for one article."""
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
        start = left_boundary(text, match.start(), max_chars=26, floor=floor, allow_digits=True, allow_conjunction=True, verbs="trim")
        start = _name_start(text, start, match.start())
        while start < match.start() and text[start] in "的之":
            start += 1
        body = text[start : match.start()]
        if len(body) < 2 or _QUANTITY_BEFORE.search(text[max(0, start - 6) : start]) or _COUNT_AFTER.match(text[match.end() :]):
            continue
        if _COUNT_AFTER.match(body):
            continue  # 5个生物医药项目: a count of projects, not a name
        firm = firm_ends.get(start)
        if is_project_category(body, industries) or re.fullmatch(r"[0-9.]+", body):
            if firm is None or match.group() != "项目":
                continue
            start = firm.start  # 黄河旋风新材料项目: the firm's new-materials project
        attrs = {"suffix": match.group(), "operator": firm}
        capacity = re.match(r"[0-9.]+(?:万|千)?(?:吨|件|台|套|辆|平方米|千瓦|兆瓦|头|只|株)/?(?:年|日|天)?", body)
        if capacity:
            attrs["capacity"] = capacity.group()
        article.add(Candidate("Project", start, match.end(), "project_suffix", Priority.NAME_SUFFIX, attrs))

    for match in _REPRESENTATIVE.finditer(text):
        item_start, item_end = match.span("item")
        label = "Project" if match.group("head") == "项目" else "Enterprise"
        article.add(Candidate(label, item_start, item_end, "representative", Priority.REPRESENTATIVE, {"chain": match.group("chain"), "representative": True}))
        chain_start, chain_end = match.span("chain")
        article.add(Candidate("Chain", chain_start, chain_end, "representative", Priority.REPRESENTATIVE, {}))
