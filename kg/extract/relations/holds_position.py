"""HOLDS_POSITION: a person's titles and the organisation, place or firm each belongs to.

Reads the ``titles`` that :mod:`kg.extract.entities.people` attached to each
person: one edge per (title, owner). A title that names a government by
itself (副市长, 县长) with no organ written before it gets a government
mention of its own, spanning the title, which the canonicaliser names after
the page's city or county (副市长张鹏 on a 赣州 page -> 赣州市人民政府). A title
without an owner in a list after one with an owner shares it (某公司董事长甲、
总经理乙: both serve the firm).
"""

from __future__ import annotations


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.nlp.lexicon import GOVERNMENT_HEAD_TITLES


_LIST_GAP = 8


def _listed_after(text: str, earlier: Candidate, person: Candidate) -> bool:
    """Whether ``person`` follows ``earlier`` in one title list (甲、总经理乙), with no clause break between."""
    gap = text[earlier.end : person.start]
    return len(gap) <= _LIST_GAP and gap.startswith(("、", "和", "及")) and not any(c in gap for c in "，,。；;：:")


@article_component("kg_holds_position")
def holds_position(article: ArticleState) -> None:
    """Add HOLDS_POSITION relations for every titled person of the article."""
    text = article.text
    previous: tuple[Candidate, Candidate] | None = None  # the last person with an owner, and that owner
    position = {id(mention): index for index, mention in enumerate(article.mentions)}
    for person in sorted((m for m in article.mentions if m.label == "Person"), key=lambda m: m.start):
        for title, owner in person.attrs.get("titles", []):
            if owner is None and previous is not None and title not in GOVERNMENT_HEAD_TITLES and _listed_after(text, previous[0], person):
                owner = previous[1]  # 某公司董事长甲、总经理乙: the list shares its firm
            if owner is None and title in GOVERNMENT_HEAD_TITLES:
                title_start = text.rfind(title, 0, person.start)
                if title_start < 0:
                    continue
                owner = Candidate(
                    "Organization", title_start, title_start + len(title), "government_title", Priority.INNER,
                    {"kind": "government", "government_of": GOVERNMENT_HEAD_TITLES[title], "synthetic": True},
                )
                position[id(owner)] = len(article.mentions)
                article.mentions.append(owner)
            if owner is None or owner.label == "Chain":
                continue  # a chain's 链长 stays a title of the person: SPEC gives no person-to-chain relation
            if id(owner) not in position:
                continue  # the organ named in the title is no mention (the tagger drew that text otherwise)
            head, tail = position[id(person)], position[id(owner)]
            article.relate("HOLDS_POSITION", head, tail, person.start, "kg_holds_position", title=title)
            previous = (person, owner)
