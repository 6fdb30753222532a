"""Entities from a trained spaCy component, as candidates for the chooser.

A config may add any trained spaCy entity recogniser (``ner``, or a
``spancat`` writing to ``doc.spans``) before ``kg_choose_entities``; this
component, placed right after it, turns its spans into :class:`Candidate`
values of the article they fall in. Their ``priority`` (a setting) decides how
they compete with the rules: below ``Priority.STRONG`` they only fill text no rule
claimed, above it they win overlaps by length.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.spans import Candidate, Priority, document_state
from kg.schema import load_schema



class ModelCandidates:
    """Copies a trained component's spans into the articles' candidates."""

    def __init__(self, spans_key: str | None, priority: int, labels: dict[str, str]) -> None:
        self.spans_key = spans_key
        self.priority = priority
        self.labels = labels
        self.allowed = set(load_schema().entity_labels)

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans.get(self.spans_key, []) if self.spans_key else doc.ents
        articles = document_state(doc).articles
        for span in spans:
            label = self.labels.get(span.label_, span.label_)
            if label not in self.allowed:
                continue
            for article in articles:
                start, end = span.start_char - article.offset, span.end_char - article.offset
                if 0 <= start and end <= len(article.text):
                    article.add(Candidate(label, start, end, "model", self.priority, {}))
                    break
        return doc


@Language.factory(
    "kg_model_candidates",
    default_config={"spans_key": None, "priority": int(Priority.WEAK), "labels": {}},
)
def make_model_candidates(nlp: Language, name: str, spans_key: str | None, priority: int, labels: dict[str, str]) -> ModelCandidates:
    """Build the bridge; ``labels`` maps the model's labels to schema labels (``{"ORG": "Organization"}``)."""
    return ModelCandidates(spans_key, priority, labels)
