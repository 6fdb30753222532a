"""The unit of work of every engine: one document's bytes in, its extraction out."""

from __future__ import annotations

import pickle
from typing import Any

from kg.builder.tasks import Outcome, Task
from kg.errors import DocumentError
from kg.ingest import document_from_bytes
from kg.model import DocumentExtraction

def pipeline() -> Any:
    """The extraction pipeline of this process (the selected config's; loaded on first use, then cached)."""
    from kg.extract.pipeline import load_pipeline

    return load_pipeline()


def extract_bytes(data: bytes, name: str, suffix: str) -> DocumentExtraction:
    """Decode, clean and extract one document (the unit of work of every engine)."""
    from kg.extract.document import extract_document

    return extract_document(document_from_bytes(data, name, suffix), pipeline())


def work(task: Task) -> Outcome:
    """Extract one task and pickle the result, in whichever process or worker runs it.

    Pickling here, once, serves both the trip back to the building process
    and the cache file, which stores these bytes as they are.
    """
    try:
        extraction = extract_bytes(task.data, task.name, task.suffix)
    except DocumentError as exc:
        return Outcome(task.name, error=exc.problem)
    return Outcome(task.name, pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))
