"""A document's mentions, named: from the pipeline's article states to a :class:`~kg.model.DocumentExtraction`.

Hands every mention of the analysed document to the canonicaliser, keeps the
relations between named mentions with their evidence in the original text,
fills people's organisations, harmonises names the page writes more or less
fully, drops places met only inside another name and article-context
locations the page contradicts, and adds the administrative hierarchy between
the places the page names (from their codes).
"""

from __future__ import annotations

from kg.model import ArticleInfo, Document, DocumentExtraction, Evidence, Mention, RelationMention
from kg.nlp.context import DocContext
from kg.nlp.spans import ArticleState, RelationCandidate
from kg.resolve.canonical import Canonicaliser, project_key

_INNER_SOURCES = frozenset({"inner_place", "organ_prefix"})


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


def name_document(document: Document, context: DocContext, states: list[ArticleState]) -> DocumentExtraction:
    """The named mentions and relations of one analysed document (see :func:`kg.extract.document.analyse`)."""

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
    """Places met only inside another name are not entities of the page (SPEC: 赣州 inside 赣州禾润…公司)."""
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
