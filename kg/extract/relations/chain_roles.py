"""CHAIN_MASTER_OF and LEADS_CHAIN: chain-master and leading firms and their chains.

Reads enterprise mentions named as 链主 (a list headed "等链主企业", or 链主
in the same clause) or as 龙头/领航/骨干/领军 firms. The chain is the one
named in the same sentence; failing that, the chain the article builds its
industry around (以X为主), else the nearest chain named before, with
``inferred: true``. The firm's ``roles`` attribute records chain_master or
leading for the node.
"""

from __future__ import annotations

import re


from kg.nlp.spans import ArticleState, Candidate, article_component
from kg.nlp.lexicon import LEADING_WORDS

_CLAUSE_END = re.compile(r"[，,。；;！!？?]")


def _clause(article: ArticleState, mention: Candidate) -> str:
    text = article.text
    start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, mention.start)), default=0)
    end_match = _CLAUSE_END.search(text, mention.end)
    return text[start : end_match.start() if end_match else len(text)]


def role_of(article: ArticleState, mention: Candidate) -> tuple[str, str] | None:
    """("chain_master", word) or ("leading", word) when the text names the firm so."""
    modifiers = str(mention.attrs.get("list_modifiers", ""))
    clause = _clause(article, mention)
    if "链主" in modifiers or ("链主" in clause and mention.attrs.get("list_head") in (None, "企业")):
        return "chain_master", "链主"
    for word in LEADING_WORDS:
        if word in modifiers or (word + "企业") in clause:
            return "leading", word
    return None


def chain_for(article: ArticleState, mention: Candidate) -> tuple[int | None, bool]:
    """The chain a firm is master or leader of, and whether it is only inferred."""
    list_span = mention.attrs.get("list_span")
    if list_span:
        named = [i for i in article.mentions_in(*list_span, "Chain") if article.mentions[i].source == "list_modifier"]
        if named:
            return named[0], False  # 等光伏链主企业: the list names its chain
    sentence_start, sentence_end = article.sentence_of(mention.start)
    same = article.mentions_in(sentence_start, sentence_end, "Chain")
    if same:
        nearest = min(same, key=lambda i: abs(article.mentions[i].start - mention.start))
        return nearest, len(same) > 1  # several chains named: which one is the nearest guess
    chains = [i for i, m in enumerate(article.mentions) if m.label == "Chain"]
    main = [i for i in chains if article.mentions[i].attrs.get("main_line")]
    if main:
        return main[0], True
    before = [i for i in chains if article.mentions[i].start < mention.start]
    return (before[-1], True) if before else (None, True)


@article_component("kg_chain_roles")
def chain_roles(article: ArticleState) -> None:
    """Add CHAIN_MASTER_OF and LEADS_CHAIN relations."""
    for index, mention in enumerate(list(article.mentions)):
        if mention.label != "Enterprise":
            continue
        role = role_of(article, mention)
        if role is None:
            continue
        kind, word = role
        mention.attrs.setdefault("roles", [])
        if kind not in mention.attrs["roles"]:
            mention.attrs["roles"].append(kind)
        chain, inferred = chain_for(article, mention)
        if chain is None:
            continue
        if kind == "chain_master":
            article.relate("CHAIN_MASTER_OF", index, chain, mention.start, "kg_chain_roles", inferred=inferred or None)
        else:
            article.relate("LEADS_CHAIN", index, chain, mention.start, "kg_chain_roles", role=word, inferred=inferred or None)
