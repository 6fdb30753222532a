"""Per-document extraction: a :class:`Document` in, a :class:`DocumentExtraction` out.

A pure function of the document and the pipeline, which is what makes the
extraction cache, ``--jobs`` and the Dask engine straightforward. It runs the
entity components on every article, spreads what one article established to
the others (a person introduced with a title is the same person when named
alone later; a firm's short name), runs the relation components, adds the
administrative hierarchy between the places the page names, and hands every
mention to the canonicaliser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import ArticleState, Candidate, RelationCandidate
from kg.model import ArticleInfo, Document, DocumentExtraction, Evidence, Mention, RelationMention
from kg.nlp.context import DocContext, PlaceHit, build_context
from kg.nlp.pipeline import ENTITY_COMPONENTS, RELATION_COMPONENTS
from kg.resolve.canonical import Canonicaliser, project_key

_FIRM_LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司)$")
_FIRM_GENERIC_TAIL = re.compile(r"(?:发展|科技|实业|投资|控股|技术|有限|股份|集团|开发|工程|服务|管理|贸易|国际|中国)+$")
_MIN_SHORT_NAME = 4
_INNER_SOURCES = frozenset({"inner_place", "organ_prefix"})


def _local_hits(context: DocContext, start: int, end: int) -> list[PlaceHit]:
    return [
        PlaceHit(hit.start - start, hit.end - start, hit.surface, hit.code, hit.level, hit.candidates)
        for hit in context.hits_between(start, end)
    ]


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


def _free(article: ArticleState, start: int, end: int) -> bool:
    if any(start < e and s < end for s, e in article.bylines):
        return False
    return not any(start < m.end and m.start < end for m in article.mentions)


def _firm_short_names(full: str, inner: list[dict]) -> list[str]:
    """Short names a page uses for a firm it also names in full (山东慕迪新材料有限责任公司 -> 慕迪新材料)."""
    core = _FIRM_LEGAL_SUFFIX.sub("", full)
    for place in inner:
        if place["start"] == 0:
            core = core[place["end"] - place["start"] :]
    core = re.sub(r"[（(][^）)]*[）)]", "", core)
    forms = {core, _FIRM_GENERIC_TAIL.sub("", core)}
    return [form for form in forms if len(form) >= _MIN_SHORT_NAME]


def _propagate(states: list[ArticleState]) -> None:
    """Spread people and firm short names found in one article to every article of the page."""
    people: dict[str, Candidate] = {}
    firms: dict[str, str] = {}
    for article in states:
        for mention in article.mentions:
            surface = article.surface(mention)
            if mention.label == "Person" and mention.attrs.get("titles"):
                people.setdefault(surface, mention)
            elif mention.label == "Enterprise" and _FIRM_LEGAL_SUFFIX.search(surface):
                relative = [
                    {"start": p["start"] - mention.start, "end": p["end"] - mention.start}
                    for p in mention.attrs.get("inner_places") or []
                ]
                for short in _firm_short_names(surface, relative):
                    firms.setdefault(short, surface)
    for article in states:
        added: list[Candidate] = []
        for name, original in people.items():
            for match in re.finditer(re.escape(name), article.text):
                if _free(article, match.start(), match.end()) and not any(match.start() < c.end and c.start < match.end() for c in added):
                    added.append(Candidate("Person", match.start(), match.end(), "propagated", 10, {"kind": original.attrs.get("kind"), "titles": []}))
        for short, full in firms.items():
            for match in re.finditer(re.escape(short), article.text):
                if _free(article, match.start(), match.end()) and not any(match.start() < c.end and c.start < match.end() for c in added):
                    added.append(Candidate("Enterprise", match.start(), match.end(), "propagated", 10, {"alias_of": full}))
        article.mentions.extend(added)
        article.mentions.sort(key=lambda m: m.start)


def _docs(nlp: Language, states: list[ArticleState]) -> list[Doc]:
    """One ``Doc`` per article, carrying its state. The components read the state, never the tokens, so the
    article is one token: character tokenisation cost a third of the extraction time."""
    docs = []
    for article in states:
        doc = Doc(nlp.vocab, words=[article.text] if article.text else [], spaces=[False] if article.text else [])
        doc._.kg = article
        docs.append(doc)
    return docs


def _run(nlp: Language, names: Iterable[str], docs: list[Doc]) -> None:
    for doc in docs:
        for name in names:
            doc = nlp.get_pipe(name)(doc)


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
    for index, mention in enumerate(mentions):
        code = mention.attrs.get("admin_code")
        if mention.label == "Place" and code and mention.source not in _INNER_SOURCES | {"self_reference"}:
            by_code.setdefault(str(code), index)
            articles_of.setdefault(str(code), set()).add(mention.article)
    hierarchy = []
    for code, index in by_code.items():
        if any(mentions[i].attrs.get("admin_code") == code for i in placed):
            continue  # the text already says where it is (陈集镇 in 鲁西南新区)
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


def extract_document(document: Document, nlp: Language) -> DocumentExtraction:
    """Extract the mentions and relations of one document."""
    year = int(document.date[:4]) if document.date else None
    bylines = [span for article in document.articles for span in article.byline_spans]
    context = build_context(document.clean.text, bylines, year)
    states = _states(document, context)
    docs = _docs(nlp, states)
    _run(nlp, ENTITY_COMPONENTS, docs)
    _propagate(states)
    _run(nlp, RELATION_COMPONENTS, docs)

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
    same page is that organisation (理论宣教基地 -> 岳程街道理论宣教基地); a name
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
    """Places met only inside another name are not entities of the page (SPEC: 菏泽 inside 菏泽多禾…公司)."""
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
