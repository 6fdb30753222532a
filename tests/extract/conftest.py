"""Helpers for extraction tests: run the real pipeline on text written for the test.

``extract`` runs the rule components alone (``rules.cfg``): the tests of
:mod:`kg.extract.entities` and :mod:`kg.extract.relations` are tests of what
each rule proposes, which reaches the default pipeline as the tagger's hints.
``extract_default`` runs the shipped pipeline, trained tagger included.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.builder.work import extract_document
from kg.extract.pipeline import DEFAULT_CONFIG, RULES_CONFIG, load_pipeline
from kg.ingest import document_from_bytes
from kg.model import DocumentExtraction


class Extracted:
    """One document's extraction, with lookups by label and relation type."""

    def __init__(self, extraction: DocumentExtraction) -> None:
        self.extraction = extraction

    def names(self, label: str) -> set[str]:
        """Canonical names of the mentions with ``label``."""
        return {m.name for m in self.extraction.mentions if m.label == label}

    def surfaces(self, label: str) -> set[str]:
        """Surfaces (as written) of the mentions with ``label``."""
        return {m.surface for m in self.extraction.mentions if m.label == label}

    def mention(self, label: str, name: str):  # type: ignore[no-untyped-def]
        """The first mention with ``label`` and canonical ``name``."""
        return next(m for m in self.extraction.mentions if m.label == label and m.name == name)

    def relations(self, rel_type: str) -> set[tuple[str, str]]:
        """(head name, tail name) of the relations of ``rel_type``."""
        mentions = self.extraction.mentions
        return {(mentions[r.head].name, mentions[r.tail].name) for r in self.extraction.relations if r.type == rel_type}

    def relation_props(self, rel_type: str, head: str, tail: str) -> list[dict]:
        """Properties of every ``rel_type`` relation from ``head`` to ``tail``."""
        mentions = self.extraction.mentions
        return [
            r.props for r in self.extraction.relations
            if r.type == rel_type and mentions[r.head].name == head and mentions[r.tail].name == tail
        ]


def _extractor(config: object) -> Callable[[str], Extracted]:
    nlp = load_pipeline(config)

    def run(text: str) -> Extracted:
        return Extracted(extract_document(document_from_bytes(text.encode("utf-8"), "test.txt", ".txt"), nlp))

    return run


@pytest.fixture(scope="session")
def extract() -> Callable[[str], Extracted]:
    """Extract a page written for a test with the rule components alone (built once per session)."""
    return _extractor(RULES_CONFIG)


@pytest.fixture(scope="session")
def extract_default() -> Callable[[str], Extracted]:
    """Extract a page written for a test with the shipped pipeline, trained tagger included."""
    return _extractor(DEFAULT_CONFIG)
