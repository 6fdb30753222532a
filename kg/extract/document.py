"""Per-document analysis: a :class:`Document` in, its context and the pipeline's article states out.

Makes one spaCy ``Doc`` of the document (character tokens, its sentences,
its articles as spans, the document context) and runs the configured
pipeline on it once (:mod:`kg.extract.pipeline`). Naming the mentions and
writing them as a :class:`~kg.model.DocumentExtraction` is the next stage's
work (:mod:`kg.resolve.document`); :func:`kg.builder.work.extract_document`
runs both.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Article, Document
from kg.nlp.context import DocContext, PlaceHit, build_context, set_subject
from kg.nlp.spans import ArticleState, DocumentState

def _local_hits(context: DocContext, start: int, end: int) -> list[PlaceHit]:
    return [
        PlaceHit(hit.start - start, hit.end - start, hit.surface, hit.code, hit.level, hit.candidates)
        for hit in context.hits_between(start, end)
    ]


def _one_text(document: Document) -> Document:
    """The document as one article: a report's numbered sections are parts of one text, not articles."""
    first, last = document.articles[0], document.articles[-1]
    whole = Article(
        0, first.start, last.end, first.title, first.date,
        bylines=[b for a in document.articles for b in a.bylines],
        byline_spans=[s for a in document.articles for s in a.byline_spans],
        sentences=[s for a in document.articles for s in a.sentences],
    )
    return replace(document, articles=[whole])


def _states(document: Document, context: DocContext) -> list[ArticleState]:
    text = document.clean.text
    states = []
    for article in document.articles:
        states.append(
            ArticleState(
                context=context,
                article=article,
                offset=article.start,
                text=text[article.start : article.end],
                places=_local_hits(context, article.start, article.end),
                bylines=[(s - article.start, e - article.start) for s, e in article.byline_spans],
                sentences=[(s.start - article.start, s.end - article.start) for s in article.sentences],
            )
        )
    return states


def document_doc(nlp: Language, document: Document, context: DocContext, states: list[ArticleState]) -> Doc:
    """One ``Doc`` of character tokens for the whole document, with its sentences and articles."""
    text = document.clean.text
    starts = [False] * len(text)
    for article in document.articles:
        for sentence in article.sentences:
            if sentence.start < len(text):
                starts[sentence.start] = True
    if starts:
        starts[0] = True
    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text), sent_starts=starts)
    doc.spans["articles"] = [doc[a.start : a.end] for a in document.articles if a.end > a.start]
    doc._.kg = DocumentState(context, states)
    return doc


def analyse(document: Document, nlp: Language) -> tuple[Document, DocContext, list[ArticleState]]:
    """Run the pipeline on one document: the document as read (a report as one text), its context, its article states.

    Training code (:mod:`kg.train.relations`) calls it to see the same mentions and rule relations a build does;
    :func:`kg.resolve.document.name_document` turns its result into a document's extraction.
    """
    year = int(document.date[:4]) if document.date else None
    bylines = [span for article in document.articles for span in article.byline_spans]
    context = build_context(document.clean.text, bylines, year)
    set_subject(context, document.clean.text, sum(1 for a in document.articles if a.bylines))
    if context.genre != "page" and len(document.articles) > 1:
        document = _one_text(document)
    states = _states(document, context)
    nlp(document_doc(nlp, document, context, states))
    return document, context, states
