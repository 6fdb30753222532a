"""Helpers for extraction tests: run the real pipeline on text written for the test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.builder.work import extract_bytes
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


@pytest.fixture(scope="session")
def extract() -> Callable[[str], Extracted]:
    """Extract a page written for a test (the pipeline is built once per session)."""

    def run(text: str) -> Extracted:
        return Extracted(extract_bytes(text.encode("utf-8"), "test.txt", ".txt"))

    return run
