"""SUPPORTS: supporting (配套) projects and firms and the chain masters they serve.

Reads projects and firms named as 配套 (a list headed "等上下游配套项目", or
配套 in the same clause) and links each to every chain-master firm of the same
paragraph, as SPEC asks: every supporting item to every chain master of the
passage.
"""

from __future__ import annotations


from kg.nlp.spans import ArticleState, Candidate, article_component
from kg.extract.relations.chain_roles import role_of


def _paragraph(article: ArticleState, mention: Candidate) -> tuple[int, int]:
    text = article.text
    start = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    return start, len(text) if end < 0 else end


def _supporting(mention: Candidate) -> bool:
    return "配套" in str(mention.attrs.get("list_modifiers", ""))


@article_component("kg_supports")
def supports(article: ArticleState) -> None:
    """Add SUPPORTS relations from supporting items to chain masters."""
    for index, mention in enumerate(list(article.mentions)):
        if mention.label not in ("Project", "Enterprise") or not _supporting(mention):
            continue
        if mention.label == "Enterprise":
            mention.attrs.setdefault("roles", [])
            if "supporting" not in mention.attrs["roles"]:
                mention.attrs["roles"].append("supporting")
        start, end = _paragraph(article, mention)
        for master in article.mentions_in(start, end, "Enterprise"):
            candidate = article.mentions[master]
            if master != index and (role := role_of(article, candidate)) and role[0] == "chain_master":
                article.relate("SUPPORTS", index, master, mention.start, "kg_supports")
