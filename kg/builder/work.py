"""The unit of work of every engine: one document's bytes in, its extraction and resolution state out."""

from __future__ import annotations

import pickle
from typing import Any

from kg.builder.tasks import Outcome, Task
from kg.errors import DocumentError
from kg.ingest import document_from_bytes
from kg.model import Document, DocumentExtraction
from kg.resolve.state import DocumentState, document_state


def pipeline() -> Any:
    """The extraction pipeline of this process (the selected config's; loaded on first use, then cached)."""
    from kg.extract.pipeline import load_pipeline

    return load_pipeline()


def extract_document(document: Document, nlp: Any) -> DocumentExtraction:
    """Analyse one document with the pipeline ``nlp``, then name its mentions (extraction, then resolution)."""
    from kg.extract.document import analyse
    from kg.resolve.document import name_document

    return name_document(*analyse(document, nlp))


def extract_bytes(data: bytes, name: str, suffix: str) -> DocumentExtraction:
    """Decode, clean and extract one document (the unit of work of every engine)."""
    return extract_document(document_from_bytes(data, name, suffix), pipeline())


def state_of_bytes(data: bytes, name: str, suffix: str) -> DocumentState:
    """Extract one document and key its mentions: what the building process folds into the graph, and the cache keeps."""
    return document_state(extract_bytes(data, name, suffix))


def work(task: Task) -> Outcome:
    """Extract one task and pickle its resolution state, in whichever process or worker runs it.

    Pickling here, once, serves both the trip back to the building process
    and the cache file, which stores these bytes as they are. Keying the
    mentions here too takes that work off the building process, which every
    worker waits on.
    """
    try:
        state = state_of_bytes(task.data, task.name, task.suffix)
    except DocumentError as exc:
        return Outcome(task.name, error=exc.problem)
    return Outcome(task.name, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
