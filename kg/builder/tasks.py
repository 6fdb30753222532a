"""The values that flow between the corpus reader, the engines and the build: tasks, entries, outcomes."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from kg.resolve.state import DocumentState


@dataclass(slots=True)
class Task:
    """One document to extract: its path, its name in provenance, its bytes and its cache key."""

    path: Path
    name: str
    data: bytes
    key: str

    @property
    def suffix(self) -> str:
        """The file's suffix, lower-cased (it says whether to read the text as HTML)."""
        return self.path.suffix.lower()


@dataclass(slots=True)
class Outcome:
    """The result of one task: the document's resolution state (pickled, as cached, when it crossed processes) or why it failed."""

    name: str
    payload: bytes | None = None
    error: str | None = None
    state: DocumentState | None = None


@dataclass(slots=True)
class Entry:
    """A document in corpus order, with its resolution state when the cache had it."""

    task: Task
    cached: DocumentState | None


Engine = Generator[tuple[Entry, Outcome | None], None, None]
"""What an engine yields: every entry in corpus order, with its outcome (None when it came from the cache)."""
