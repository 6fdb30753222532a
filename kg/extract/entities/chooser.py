"""The chooser: from overlapping candidates to one mention per span of text.

Reads every candidate the entity components proposed. Keeps a set of
non-overlapping mentions, preferring higher priority (a legal firm name over
a gazetteer hit inside it, a gazetteer place over a pattern guess), then the
longer span. Places inside a kept firm, organisation or project name are not
mentions of their own (SPEC: the 赣州 inside 赣州禾润农业发展有限公司) but are
kept on the mention as ``inner_places`` for LOCATED_IN and canonical names.
"""

from __future__ import annotations


from spacy.tokens import Doc

from kg.extract.entities.inner import attach_inner_places, inner_place_index
from kg.nlp.spans import ArticleState, Candidate, DocumentState, Priority, article_component, document_component, mirror_spans



@article_component("kg_choose_entities")
def choose_entities(article: ArticleState) -> None:
    """Select the article's mentions from its candidates."""
    # Strong candidates (rules, gazetteers, lists) longest first: a firm or organ
    # name wins over the place inside it. Weak ones (references, the model,
    # propagated names) only fill what is left.
    ordered = sorted(article.candidates, key=lambda c: (c.priority < Priority.STRONG, -(c.end - c.start), -c.priority, c.start))
    chosen: list[Candidate] = []
    taken = bytearray(len(article.text) + 1)
    for candidate in ordered:
        if any(taken[candidate.start : candidate.end]):
            continue
        chosen.append(candidate)
        taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    chosen.sort(key=lambda c: c.start)
    listed = [c for c in article.candidates if c.source == "listed_company"]
    places = inner_place_index(article)
    for mention in chosen:
        if mention.label == "Enterprise" and mention.source != "listed_company":
            for company in listed:
                if company.within(mention.start, mention.end):
                    mention.attrs.update({k: v for k, v in company.attrs.items() if v})
        if mention.label in ("Enterprise", "Organization", "Project") or mention.source == "zone_pattern":
            attach_inner_places(mention, places)
    article.mentions = chosen


@document_component("kg_entity_spans")
def entity_spans(doc: Doc, document: DocumentState) -> None:
    """Write the candidates and chosen mentions of every article as typed spans (the components' public contract)."""
    mirror_spans(doc)
