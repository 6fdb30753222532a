"""Per-document extraction: a :class:`Document` in, a :class:`DocumentExtraction` out.

A pure function of the document and the pipeline, which is what makes the
extraction cache, ``--jobs`` and the Dask engine straightforward. It makes
one spaCy ``Doc`` of the document (character tokens, its sentences, its
articles as spans, the document context), runs the configured pipeline on it
once (:mod:`kg.extract.pipeline`), adds the administrative hierarchy between
the places the page names, and hands every mention to the canonicaliser.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Article, ArticleInfo, Document, DocumentExtraction, Evidence, Mention, RelationMention
from kg.nlp.context import DocContext, PlaceHit, build_context, set_subject
from kg.nlp.spans import ArticleState, DocumentState, RelationCandidate
from kg.resolve.canonical import Canonicaliser, project_key

_INNER_SOURCES = frozenset({"inner_place", "organ_prefix"})


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


def _evidence(document: Document, article: ArticleState, sentence: tuple[int, int]) -> Evidence:
    start, end = sentence
    clean_start, clean_end = article.offset + start, article.offset + end
    original_start, original_end = document.clean.original_span(clean_start, clean_end)
    return Evidence(document.path, original_start, original_end, document.clean.text[clean_start:clean_end])


def _drop_weak_locations(mentions: list[Mention], relations: list[RelationMention]) -> list[RelationMention]:
    """Drop article-context locations of anything the page locates from its own words elsewhere."""
    def key(index: int) -> tuple[str, str]:
        mention = mentions[index]
        return mention.label, project_key(mention.name) if mention.label == "Project" else mention.name

    stated = {key(r.head) for r in relations if r.type == "LOCATED_IN" and r.props.get("basis") != "article"}
    return [r for r in relations if not (r.type == "LOCATED_IN" and r.props.get("basis") == "article" and key(r.head) in stated)]


def _hierarchy(
    document: Document, context: DocContext, mentions: list[Mention], sentences: list[tuple[int, int, str]], relations: list[RelationMention]
) -> list[RelationMention]:
    """LOCATED_IN between the administrative places a page names on their own (from their codes).

    A place links to its nearest named ancestor; a province only when the same
    article names it, since a page about several cities names its province in
    passing.
    """
    placed = {r.head for r in relations if r.type == "LOCATED_IN"}
    by_code: dict[str, int] = {}
    articles_of: dict[str, set[int]] = {}
    # On a page a bare 全市 says little; a report's 全省 names its subject as surely as its name does.
    excluded = _INNER_SOURCES if context.genre != "page" else _INNER_SOURCES | {"self_reference"}
    for index, mention in enumerate(mentions):
        code = mention.attrs.get("admin_code")
        if mention.label == "Place" and code and mention.source not in excluded:
            by_code.setdefault(str(code), index)
            articles_of.setdefault(str(code), set()).add(mention.article)
    hierarchy = []
    for code, index in by_code.items():
        if any(mentions[i].attrs.get("admin_code") == code for i in placed):
            continue  # the text already says where it is (沙石镇 in 赣南新区)
        for ancestor in context.gazetteer.ancestors(code):
            if ancestor.code in by_code:
                if ancestor.level == "province" and not articles_of[code] & articles_of[ancestor.code]:
                    break
                mention = mentions[index]
                start, end, text = next(
                    (s for s in sentences if s[0] <= mention.start < s[1]), (mention.start, mention.end, mention.surface)
                )
                hierarchy.append(
                    RelationMention(
                        "LOCATED_IN", index, by_code[ancestor.code], Evidence(document.path, start, end, text),
                        "admin_hierarchy", {"basis": "admin_code"},
                    )
                )
                break
    return hierarchy


def analyse(document: Document, nlp: Language) -> tuple[Document, DocContext, list[ArticleState]]:
    """Run the pipeline on one document: the document as read (a report as one text), its context, its article states.

    The first half of :func:`extract_document`, apart so that training code
    (:mod:`kg.train.relations`) sees the same mentions and rule relations a build does.
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


def extract_document(document: Document, nlp: Language) -> DocumentExtraction:
    """Extract the mentions and relations of one document."""
    document, context, states = analyse(document, nlp)

    canonicaliser = Canonicaliser(context, states)
    mentions: list[Mention] = []
    relations: list[RelationMention] = []
    original_sentences: list[tuple[int, int, str]] = []
    for number, article in enumerate(states):
        index_of: dict[int, int] = {}
        for local, candidate in enumerate(article.mentions):
            named = canonicaliser.name(candidate, article)
            if named is None:
                continue
            start, end = document.clean.original_span(article.offset + candidate.start, article.offset + candidate.end)
            attrs = {**named.attrs}
            if candidate.label == "Person":
                attrs["kind"] = candidate.attrs.get("kind") or "other"
                attrs["titles"] = [title for title, _owner in candidate.attrs.get("titles", [])]
            index_of[local] = len(mentions)
            mentions.append(
                Mention(candidate.label, named.name, article.surface(candidate), start, end, number, candidate.source, attrs, named.aliases)
            )
        for relation in article.relations:
            if relation.head in index_of and relation.tail in index_of:
                relations.append(_relation(document, article, relation, index_of))
        for sentence in article.sentences:
            evidence = _evidence(document, article, sentence)
            original_sentences.append((evidence.start, evidence.end, evidence.sentence))
    _fill_person_orgs(mentions, relations)
    _harmonise_names(mentions)
    mentions, relations = _drop_inner_only_places(mentions, relations)
    relations = _drop_weak_locations(mentions, relations)
    relations.extend(_hierarchy(document, context, mentions, original_sentences, relations))
    return DocumentExtraction(
        doc=document.path,
        sha1=document.sha1,
        encoding=document.encoding,
        date=document.date,
        articles=[
            ArticleInfo(a.index, a.title, a.date, *document.clean.original_span(a.start, a.end), bylines=a.bylines)
            for a in document.articles
        ],
        mentions=mentions,
        relations=relations,
        chars=len(document.original),
        dropped_paragraphs=document.dropped_paragraphs,
        home_city=context.home_city,
    )


def _relation(document: Document, article: ArticleState, relation: RelationCandidate, index_of: dict[int, int]) -> RelationMention:
    return RelationMention(
        relation.type,
        index_of[relation.head],
        index_of[relation.tail],
        _evidence(document, article, relation.sentence),
        relation.component,
        dict(relation.props),
    )


def _fill_person_orgs(mentions: list[Mention], relations: list[RelationMention]) -> None:
    """A person's ``org`` (the organisation of their last title), shared by every mention of the name on the page."""
    org_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    for relation in relations:
        if relation.type == "HOLDS_POSITION":
            org_of[mentions[relation.head].name] = mentions[relation.tail].name
    for mention in mentions:
        if mention.label == "Person" and mention.attrs.get("kind") and mention.attrs.get("titles"):
            kind_of.setdefault(mention.name, mention.attrs["kind"])
    for mention in mentions:
        if mention.label == "Person":
            if mention.name in org_of:
                mention.attrs["org"] = org_of[mention.name]
            if mention.name in kind_of:
                mention.attrs["kind"] = kind_of[mention.name]


def _harmonise_names(mentions: list[Mention]) -> None:
    """Page-level coreference of names written more or less fully.

    An organisation named by the tail of one longer organisation name on the
    same page is that organisation (文化服务基地 -> 水东街道文化服务基地); a name
    the page also calls a project (X and X项目) is that project.
    """
    organisations = {m.name for m in mentions if m.label == "Organization"}
    projects = {project_key(m.name) for m in mentions if m.label == "Project"}
    for mention in mentions:
        if mention.label != "Organization":
            continue
        if project_key(mention.name) in projects or mention.name in projects:
            mention.label = "Project"
            mention.attrs = {}
            continue
        longer = sorted((name for name in organisations if name != mention.name and name.endswith(mention.name)), key=len)
        if len(mention.name) >= 4 and longer and all(longer[-1].endswith(name) for name in longer):
            mention.aliases = sorted({*mention.aliases, mention.name})
            mention.name = longer[-1]


def _place_key(mention: Mention) -> str:
    return str(mention.attrs.get("admin_code") or mention.name)


def _drop_inner_only_places(
    mentions: list[Mention], relations: list[RelationMention]
) -> tuple[list[Mention], list[RelationMention]]:
    """Places met only inside another name are not entities of the page (SPEC: 赣州 inside 赣州多禾…公司)."""
    standalone = {_place_key(m) for m in mentions if m.label == "Place" and m.source not in _INNER_SOURCES}
    keep = [
        index for index, m in enumerate(mentions)
        if not (m.label == "Place" and m.source in _INNER_SOURCES and _place_key(m) not in standalone)
    ]
    new_index = {old: new for new, old in enumerate(keep)}
    kept_relations = [
        RelationMention(r.type, new_index[r.head], new_index[r.tail], r.evidence, r.component, r.props)
        for r in relations
        if r.head in new_index and r.tail in new_index
    ]
    return [mentions[i] for i in keep], kept_relations
