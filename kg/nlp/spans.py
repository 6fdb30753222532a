"""The contract between extraction components: document state, typed spans, registration.

A document is one spaCy ``Doc`` of character tokens with its sentences set
and its articles in ``doc.spans["articles"]``. ``doc._.kg`` is a
:class:`DocumentState`: the document context (computed once, see
:mod:`kg.nlp.context`) and one :class:`ArticleState` per article. Entity
components add :class:`Candidate` values to an article, the chooser turns
them into non-overlapping mentions and mirrors them as typed spans into
``doc.spans["candidates"]`` and ``doc.spans["entities"]`` (label, and the
span extensions declared here), relation components add
:class:`RelationCandidate` values. Offsets inside an :class:`ArticleState`
are local to its article; spans are document offsets.

Components are registered with :func:`article_component` (a rule that reads
one article at a time) or :func:`document_component` (a step that needs the
whole page), and wired by the pipeline config (:mod:`kg.extract.pipeline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from kg.model import Article
from kg.nlp.context import DocContext, PlaceHit

#: Span extensions every component may read; nothing else travels between components on a span.
SPAN_ATTRIBUTES: dict[str, type] = {
    "source": str,  # which rule or model proposed the span (gazetteer, firm_suffix, tagger …)
    "kind": str,  # SPEC kind of a place, organisation or person (city, government, official …)
    "admin_code": str,  # administrative division code of a gazetteer place
    "priority": int,  # how strongly the proposer trusts it (see Candidate)
}
for _attribute in SPAN_ATTRIBUTES:
    if not Span.has_extension(_attribute):
        Span.set_extension(_attribute, default=None)
if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)


class Priority(IntEnum):
    """How much a proposer trusts its candidate: on an overlap the chooser keeps the higher (then the longer).

    From :attr:`STRONG` up, candidates compete longest first (a firm's legal
    name over the place inside it); below it they only fill what is left.
    """

    INNER = 0  # names inside names and synthetic organs: made after the chooser, never compete
    PROPAGATED = 10  # a name the page introduced elsewhere
    SELF_REFERENCE = 20  # 全省, 我市: the document's words for itself
    WEAK = 30  # a bare zone word (开发区), the tagger's and a trained component's spans
    PLACE_PATTERN = 35  # 村/社区/镇/街道/县 after a name the gazetteer lacks
    STRONG = 40  # a place's short form in the gazetteer; the threshold of the strong
    BARE_ORGAN = 44  # 组织部 with no place before it; an item of an industry enumeration
    SHORT_PATTERN = 45  # a listed firm's short name, roads, a list's chain, 是…产业, X为主
    CHAIN_SUFFIX = 46  # …产业链, …产业集群
    WEAK_FIRM = 48  # …公司, …集团 without a legal suffix
    NAME_SUFFIX = 50  # zones and projects by their suffix
    LIST_ITEM = 51  # an item of …等N家企业/个项目
    ORGAN = 52  # an organ with its place or level
    FULL_PLACE = 55  # a gazetteer place written in full
    LEGAL_FIRM = 58  # …有限公司
    NAMED = 60  # a listed firm's full name, a person introduced by a title
    REPRESENTATIVE = 62  # 以X为代表的…项目


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


@dataclass(slots=True)
class DocumentState:
    """The document context and the state of each of its articles."""

    context: DocContext
    articles: list[ArticleState]


def document_state(doc: Doc) -> DocumentState:
    """The document state attached to ``doc``."""
    value = doc._.kg
    if value is None:
        raise ValueError("this Doc was not prepared by kg.extract (doc._.kg is unset)")
    return value


def mirror_spans(doc: Doc) -> None:
    """Write every article's candidates and chosen mentions as typed spans of ``doc``."""
    groups: dict[str, list[Span]] = {"candidates": [], "entities": []}
    for article in document_state(doc).articles:
        for group, items in (("candidates", article.candidates), ("entities", article.mentions)):
            for item in items:
                span = doc.char_span(article.offset + item.start, article.offset + item.end, label=item.label)
                if span is None:
                    continue
                span._.source = item.source
                span._.priority = item.priority
                span._.kind = item.attrs.get("kind")
                span._.admin_code = item.attrs.get("admin_code")
                groups[group].append(span)
    for group, spans in groups.items():
        doc.spans[group] = SpanGroup(doc, name=group, spans=spans)


class ArticleComponent:
    """A pipeline component that applies a rule to each article of the document in turn."""

    def __init__(self, rule: Callable[[ArticleState], None]) -> None:
        self.rule = rule

    def __call__(self, doc: Doc) -> Doc:
        for article in document_state(doc).articles:
            self.rule(article)
        return doc


class DocumentComponent:
    """A pipeline component that needs every article of the document at once."""

    def __init__(self, step: Callable[[Doc, DocumentState], None]) -> None:
        self.step = step

    def __call__(self, doc: Doc) -> Doc:
        self.step(doc, document_state(doc))
        return doc


def article_component(name: str) -> Callable[[Callable[[ArticleState], None]], Callable[[ArticleState], None]]:
    """Register ``rule(article)`` as the settings-free factory ``name``."""

    def register(rule: Callable[[ArticleState], None]) -> Callable[[ArticleState], None]:
        Language.factory(name, func=lambda nlp, name: ArticleComponent(rule))
        return rule

    return register


def document_component(name: str) -> Callable[[Callable[[Doc, DocumentState], None]], Callable[[Doc, DocumentState], None]]:
    """Register ``step(doc, state)`` as the settings-free factory ``name``."""

    def register(step: Callable[[Doc, DocumentState], None]) -> Callable[[Doc, DocumentState], None]:
        Language.factory(name, func=lambda nlp, name: DocumentComponent(step))
        return step

    return register


def finditer(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """All matches as a list (components iterate more than once)."""
    return list(pattern.finditer(text))
