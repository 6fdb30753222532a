"""Statistical NER: the character-level CLUENER model shipped in ``kg/models/cluener_ner``.

The rule components find entities by suffix and gazetteer; this model adds
names that no rule or list knows, learnt from CLUENER 2020 news sentences
(research use only, see the model card). It was trained on sentences of at
most 50 characters, so :func:`predict_spans` cuts text into sentences (and
long sentences at commas) before tagging. CLUENER writes full-width
punctuation (about 16 000 ``，`` to 250 ``,``), so ASCII punctuation next
to Chinese text is widened first, which keeps every offset. The model is
loaded from the installed package once per process and never downloaded.

The ``kg_ner`` component is registered here but not wired into
:mod:`kg.nlp.pipeline`; add it to ``ENTITY_COMPONENTS`` to use it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import KGError
from kg.extract.base import Candidate, state
from kg.resources import resource_dir

MODEL_NAME = "cluener_ner"
# Model label -> project label; TITLE (a position such as 董事长) is not an entity.
PROJECT_LABELS: dict[str, str] = {
    "ENTERPRISE": "Enterprise",
    "PERSON": "Person",
    "ORGANIZATION": "Organization",
    "PLACE": "Place",
}
SOURCE = "ner"
PRIORITY = 30
MAX_CHUNK = 120
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# ASCII punctuation unless it sits between two ASCII letters or digits (1,000  10:30  a:b).
_NARROW = re.compile(r"(?<![0-9A-Za-z])[,;:?!()]|[,;:?!()](?![0-9A-Za-z])")


@lru_cache(maxsize=1)
def load_ner() -> Language:
    """Load the packaged NER pipeline once per process.

    Raises
    ------
    KGError
        If the model folder is missing from the installation.

    Examples
    --------
    >>> load_ner().pipe_names
    ['ner']
    """
    path = resource_dir("models") / MODEL_NAME
    if not (path / "meta.json").is_file():
        raise KGError(f"the NER model is missing from the installation (expected {path})")
    return spacy.load(path)


def _widen(text: str) -> str:
    """``text`` with ASCII punctuation in Chinese context made full-width, as in the training data."""
    return _NARROW.sub(lambda match: _FULL_WIDTH[match.group()], text)


def _chunks(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, long ones cut after a comma, none longer than ``MAX_CHUNK``."""
    chunks: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.end() if match else len(text)
        while end - start > MAX_CHUNK:
            cut = start + MAX_CHUNK
            clauses = [m.end() for m in _CLAUSE_END.finditer(text, start + MAX_CHUNK // 4, cut)]
            cut = clauses[-1] if clauses else cut
            chunks.append((start, cut))
            start = cut
        if text[start:end].strip():
            chunks.append((start, end))
        start = end
    return chunks


def predict_spans(text: str, nlp: Language | None = None) -> list[tuple[int, int, str]]:
    """All entity spans the model predicts in ``text``, TITLE included.

    Parameters
    ----------
    text
        Any length of Chinese text; it is tagged sentence by sentence.
    nlp
        The NER pipeline; :func:`load_ner` by default.

    Returns
    -------
    list of tuple
        ``(start, end, label)`` with character offsets into ``text`` (end
        exclusive) and a model label (ENTERPRISE, PERSON, ORGANIZATION,
        PLACE, TITLE), in text order.

    Examples
    --------
    >>> text = "公司董事长张伟表示"
    >>> [(text[s:e], label) for s, e, label in predict_spans(text)]  # doctest: +SKIP
    [('董事长', 'TITLE'), ('张伟', 'PERSON')]
    """
    model = nlp if nlp is not None else load_ner()
    text = _widen(text)
    chunks = _chunks(text)
    spans: list[tuple[int, int, str]] = []
    for (offset, end), doc in zip(chunks, model.pipe((text[s:e] for s, e in chunks), batch_size=64)):
        spans.extend((offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in doc.ents)
    return spans


@Language.component("kg_ner")
def extract_ner(doc: Doc) -> Doc:
    """Propose one candidate per predicted entity of the article (TITLE spans are skipped)."""
    article = state(doc)
    for start, end, label in predict_spans(article.text):
        project_label = PROJECT_LABELS.get(label)
        if project_label is not None:
            article.add(Candidate(project_label, start, end, SOURCE, PRIORITY, {"ner_label": label}))
    return doc
