"""The small typed values that cross module boundaries.

The flow is ``ingest -> nlp/extract -> resolve -> graph``. Ingest yields a
:class:`Document`; per-document extraction yields a :class:`DocumentExtraction`
(a pure function of the file's bytes and the pipeline version, so it can be
cached and run in parallel); resolution turns all extractions into
:class:`Entity` and :class:`Edge` values; the graph module writes those.

All offsets that leave a module are offsets into the document's *original*
decoded text. Clean-text offsets live only inside ingest and extraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(slots=True)
class TextMap:
    """A cleaned text and, for each of its characters, where it came from.

    ``starts[i]``/``ends[i]`` are the original offsets of clean character ``i``.
    Clean-up only deletes or replaces characters, so the map is monotone.

    Examples
    --------
    >>> tm = TextMap("ab", np.array([0, 2]), np.array([1, 3]))
    >>> tm.original_span(0, 2)
    (0, 3)
    """

    text: str
    starts: np.ndarray
    ends: np.ndarray

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the clean span ``[start, end)``."""
        if end <= start:
            if start < len(self.starts):
                return int(self.starts[start]), int(self.starts[start])
            last = int(self.ends[-1]) if len(self.ends) else 0
            return last, last
        return int(self.starts[start]), int(self.ends[end - 1])


@dataclass(slots=True)
class Sentence:
    """A sentence as clean-text offsets."""

    start: int
    end: int


@dataclass(slots=True)
class Article:
    """One article of a page: headline, body, bylines, sentences (clean offsets)."""

    index: int
    start: int
    end: int
    title: str
    date: str | None
    bylines: list[str] = field(default_factory=list)
    byline_spans: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    """A decoded, cleaned and segmented input file."""

    path: str
    original: str
    encoding: str
    sha1: str
    clean: TextMap
    date: str | None
    articles: list[Article]
    dropped_paragraphs: int = 0


@dataclass(slots=True)
class Evidence:
    """Where a relation is stated: original offsets and the sentence text."""

    doc: str
    start: int
    end: int
    sentence: str


@dataclass(slots=True)
class Mention:
    """One entity mention in one document.

    ``name`` is the document-level canonical name (a bare 市委组织部 already
    qualified with the page's city); ``attrs`` holds typed properties such as
    ``kind``, ``admin_code``, ``parent``, ``titles`` or ``investment_yuan``.
    """

    label: str
    name: str
    surface: str
    start: int
    end: int
    article: int
    source: str
    attrs: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RelationMention:
    """A relation stated in one document between two of its mentions (indices)."""

    type: str
    head: int
    tail: int
    evidence: Evidence
    component: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ArticleInfo:
    """What the graph keeps of an article: the provenance node's properties."""

    index: int
    title: str
    date: str | None
    start: int
    end: int
    bylines: list[str]


@dataclass(slots=True)
class DocumentExtraction:
    """Everything extracted from one document; the unit of caching and parallelism."""

    doc: str
    sha1: str
    encoding: str
    date: str | None
    articles: list[ArticleInfo]
    mentions: list[Mention]
    relations: list[RelationMention]
    chars: int = 0
    dropped_paragraphs: int = 0
    home_city: str | None = None


@dataclass(slots=True)
class Entity:
    """A resolved node of the graph."""

    id: str
    label: str
    name: str
    aliases: list[str]
    props: dict[str, Any]
    mentions: list[dict[str, Any]]


@dataclass(slots=True)
class Edge:
    """A resolved, evidenced relation of the graph."""

    id: str
    source: str
    target: str
    type: str
    props: dict[str, Any]
    evidence: list[dict[str, Any]]
