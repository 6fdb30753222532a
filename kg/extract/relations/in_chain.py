"""IN_CHAIN: projects and firms the text places in an industry or chain.

Reads "以X为代表的N个Y项目" (X is in chain Y) and firms named as leaders or
members of a chain's enterprise list ("医药健康产业…以A、B等龙头企业为引领"
puts A and B in 医药健康 as well as leading it).
"""

from __future__ import annotations


from kg.nlp.spans import ArticleState, article_component


@article_component("kg_in_chain")
def in_chain(article: ArticleState) -> None:
    """Add IN_CHAIN relations."""
    twins = {m.start: m for m in article.mentions if m.label == "Project" and m.attrs.get("representative")}
    for index, mention in enumerate(list(article.mentions)):
        twin_of = twins.get(mention.start) if mention.label == "Enterprise" and mention.source == "inner_firm" else None
        if twin_of is not None and twin_of.end == mention.end:
            mention.attrs["representative"] = True
        if not mention.attrs.get("representative") or mention.label not in ("Project", "Enterprise"):
            continue
        sentence_start, sentence_end = article.sentence_of(mention.start)
        chains = [
            i for i in article.mentions_in(mention.end, sentence_end, "Chain")
            if article.mentions[i].source == "representative"
        ]
        if chains:
            article.relate("IN_CHAIN", index, chains[0], mention.start, "kg_in_chain")
