"""HOLDS_POSITION: a person's titles and the organisation, place or firm each belongs to.

Reads the ``titles`` that :mod:`kg.extract.entities.people` attached to each
person: one edge per (title, owner). A title that names a government by
itself (副市长, 县长) with no organ written before it gets a government
mention of its own, spanning the title, which the canonicaliser names after
the page's city or county (副市长张鹏 on a 赣州 page -> 赣州市人民政府).
"""

from __future__ import annotations


from kg.nlp.spans import ArticleState, Candidate, article_component
from kg.nlp.lexicon import GOVERNMENT_HEAD_TITLES


@article_component("kg_holds_position")
def holds_position(article: ArticleState) -> None:
    """Add HOLDS_POSITION relations for every titled person of the article."""
    text = article.text
    for person in [m for m in article.mentions if m.label == "Person"]:
        for title, owner in person.attrs.get("titles", []):
            if owner is None and title in GOVERNMENT_HEAD_TITLES:
                title_start = text.rfind(title, 0, person.start)
                if title_start < 0:
                    continue
                owner = Candidate(
                    "Organization", title_start, title_start + len(title), "government_title", 0,
                    {"kind": "government", "government_of": GOVERNMENT_HEAD_TITLES[title], "synthetic": True},
                )
                article.mentions.append(owner)
            if owner is None or owner.label == "Chain":
                continue  # a chain's 链长 stays a title of the person: SPEC gives no person-to-chain relation
            head = article.mentions.index(person)
            tail = article.mentions.index(owner)
            article.relate("HOLDS_POSITION", head, tail, person.start, "kg_holds_position", title=title)
