"""Shared state of the extraction components that run on one article.

Every component of the spaCy pipeline reads and writes ``doc._.kg``, an
:class:`ArticleState`: entity components add :class:`Candidate` spans, the
chooser turns them into non-overlapping mentions, the people component adds
people, and relation components add :class:`RelationCandidate` values. All
offsets here are local to the article text (the spaCy ``Doc`` text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from kg.model import Article
from kg.nlp.context import DocContext, PlaceHit

if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)


@dataclass(slots=True)
class Candidate:
    """A proposed entity span; ``priority`` decides overlaps (higher wins, then longer)."""

    label: str
    start: int
    end: int
    source: str
    priority: int
    attrs: dict[str, Any] = field(default_factory=dict)

    def overlaps(self, other: Candidate) -> bool:
        """Whether the two spans share a character."""
        return self.start < other.end and other.start < self.end

    def within(self, start: int, end: int) -> bool:
        """Whether the span lies inside ``[start, end)``."""
        return start <= self.start and self.end <= end


@dataclass(slots=True)
class RelationCandidate:
    """A relation between two chosen mentions (indices into ``ArticleState.mentions``)."""

    type: str
    head: int
    tail: int
    sentence: tuple[int, int]
    component: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ArticleState:
    """Everything the components know and produce for one article."""

    context: DocContext
    article: Article
    offset: int
    text: str
    places: list[PlaceHit]
    bylines: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    candidates: list[Candidate] = field(default_factory=list)
    mentions: list[Candidate] = field(default_factory=list)
    relations: list[RelationCandidate] = field(default_factory=list)

    def add(self, candidate: Candidate) -> None:
        """Propose a candidate unless it sits in a byline or is empty."""
        if candidate.end <= candidate.start:
            return
        if any(candidate.start < end and start < candidate.end for start, end in self.bylines):
            return
        self.candidates.append(candidate)

    def sentence_of(self, position: int) -> tuple[int, int]:
        """The sentence that contains ``position``."""
        for start, end in self.sentences:
            if start <= position < end:
                return start, end
        return 0, len(self.text)

    def mentions_in(self, start: int, end: int, label: str | None = None) -> list[int]:
        """Indices of chosen mentions inside ``[start, end)``, in text order."""
        return [
            index
            for index, mention in enumerate(self.mentions)
            if mention.within(start, end) and (label is None or mention.label == label)
        ]

    def mention_at(self, start: int, end: int) -> int | None:
        """Index of the chosen mention with exactly this span."""
        for index, mention in enumerate(self.mentions):
            if mention.start == start and mention.end == end:
                return index
        return None

    def relate(self, rel_type: str, head: int, tail: int, position: int, component: str, **props: Any) -> None:
        """Record a relation stated in the sentence around ``position``."""
        if head == tail and self.mentions[head].label == self.mentions[tail].label:
            return
        self.relations.append(
            RelationCandidate(rel_type, head, tail, self.sentence_of(position), component, {k: v for k, v in props.items() if v is not None})
        )

    def in_title(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside a 《document title》 (policy documents are not entities)."""
        opening = self.text.rfind("《", 0, start)
        return opening >= 0 and self.text.find("》", opening) >= end and "》" not in self.text[opening:start]

    def in_quotes(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside a short “quotation” (slogans, categories)."""
        opening = max(self.text.rfind("“", 0, start), self.text.rfind('"', 0, start))
        if opening < 0 or start - opening > 20:
            return False
        closing = min((i for i in (self.text.find("”", end), self.text.find('"', end)) if i >= 0), default=-1)
        return closing >= 0 and closing - end <= 20 and not any(q in self.text[opening + 1 : start] for q in "”\"")

    def surface(self, candidate: Candidate) -> str:
        """The text of a candidate."""
        return self.text[candidate.start : candidate.end]


def state(doc: Doc) -> ArticleState:
    """The article state attached to ``doc``."""
    value = doc._.kg
    if value is None:
        raise ValueError("this Doc was not prepared by kg.extract (doc._.kg is unset)")
    return value


def finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """All matches as a list (components iterate more than once)."""
    return list(pattern.finditer(text))
