"""OPERATES: a firm and the project it builds.

Reads a firm written right before a project ("江西澄岳新材料有限责任公司
3000吨/年己二胺联产项目"), optionally joined by 的, and the firms
that :func:`kg.extract.entities.enterprises.extract_inner_firms` found heading
a project's name (澜峰智能装备数字车间 -> 澜峰智能装备).
"""

from __future__ import annotations


from kg.nlp.spans import ArticleState, article_component


@article_component("kg_operates")
def operates(article: ArticleState) -> None:
    """Add OPERATES relations."""
    text = article.text
    mentions = article.mentions
    for index, firm in enumerate(list(mentions)):
        target = firm.attrs.get("operates")
        if firm.label == "Enterprise" and target is not None and target in mentions:
            article.relate("OPERATES", index, mentions.index(target), firm.start, "kg_operates")
    for index, project in enumerate(list(mentions)):
        if project.label != "Project":
            continue
        for firm_index, firm in enumerate(list(mentions)):
            if firm.label != "Enterprise":
                continue
            gap = text[firm.end : project.start] if firm.end <= project.start else None
            if gap in ("", "的"):
                article.relate("OPERATES", firm_index, index, firm.start, "kg_operates")
