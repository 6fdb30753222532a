"""The corpus in order: every document read once, hashed, looked up in the cache; duplicates and unreadable files skipped."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

from kg.builder.cache import ExtractionCache
from kg.builder.tasks import Entry, Task
from kg.errors import DocumentError
from kg.ingest import discover, relative_name
from kg.ingest.read import read_document_bytes

log = logging.getLogger("kg.builder")


def entries(corpus: Path, skipped: list[dict[str, str]], version: str, cache: ExtractionCache) -> Iterator[Entry]:
    """The corpus's documents in order, read one at a time, duplicates and unreadable files skipped (and listed in ``skipped``)."""
    seen: dict[str, str] = {}
    for path in discover(corpus):
        name = relative_name(path, corpus)
        try:
            data = read_document_bytes(path)
        except DocumentError as exc:
            skipped.append({"doc": name, "reason": exc.problem})
            log.warning("%s: %s", name, exc.problem)
            continue
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            skipped.append({"doc": name, "reason": f"same content as {seen[digest]}"})
            continue
        seen[digest] = name
        key = cache.key(digest, name, version)
        yield Entry(Task(path, name, data, key), cache.get(key))
