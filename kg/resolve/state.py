"""Per-document resolution state: what one document adds to the graph, keyed and folded, before cross-document merging.

Keying a mention (its label and canonical key: an admin code, a legal name, a
name within the page's city ...) and folding a document's mentions of one
entity together depend on that document alone, so they are done once per
document, where it is extracted (in a worker), and kept in the cache beside
the build. A rebuild then merges the states of unchanged documents without
looking at their mentions again; :class:`kg.resolve.merge.Resolver` folds
states in corpus order into exactly the graph it would build from the
extractions (names counted in first-seen order, properties first-wins and
lists concatenated, every relation's properties replayed in order).

Examples
--------
>>> from kg.model import ArticleInfo, DocumentExtraction, Evidence, Mention, RelationMention
>>> firm = Mention("Enterprise", "青禾华材有限公司", "青禾华材有限公司", 0, 8, 0, "rule")
>>> town = Mention("Place", "青禾县", "青禾县", 10, 13, 0, "rule", {"kind": "county"})
>>> relation = RelationMention("LOCATED_IN", 0, 1, Evidence("a.txt", 0, 13, "青禾华材有限公司位于青禾县。"), "rule")
>>> state = document_state(DocumentExtraction("a.txt", "0", "utf-8", None, [ArticleInfo(0, "", None, 0, 13, [])],
...                                           [firm, town, firm], [relation], chars=13))
>>> [(node.label, node.key, node.count) for node in state.nodes]
[('Enterprise', '青禾华材有限公司', 2), ('Place', 'county:青禾县:', 1)]
>>> state.links[0].relations[0][1:3]
(0, 13)
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.model import DocumentExtraction, Mention
from kg.resolve.canonical import project_key


def merge_props(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Fold ``source`` into ``target``: the first non-empty value of a scalar wins, lists are concatenated without repeats.

    The fold is associative, so a document's mentions can be folded first and
    the result folded into the graph's node: the same properties, in the same key order.

    Examples
    --------
    >>> props = {"kind": "county"}
    >>> merge_props(props, {"kind": "city", "titles": ["县长", "副书记"], "parent": ""})
    >>> merge_props(props, {"titles": ["副书记", "书记"]})
    >>> props
    {'kind': 'county', 'titles': ['县长', '副书记', '书记']}
    """
    for name, value in source.items():
        if value is None or value == [] or value == "":
            continue
        current = target.get(name)
        if isinstance(value, list):
            merged = list(current or [])
            merged.extend(item for item in value if item not in merged)
            target[name] = merged
        elif current is None:
            target[name] = value


@dataclass(slots=True)
class LocalNode:
    """One entity as one document mentions it.

    ``triples`` packs (0, start, end) per mention, in mention order (the
    resolver writes the document's number over the zeros); ``articles`` counts
    mentions per article (positions in :attr:`DocumentState.articles`).
    """

    label: str
    key: str
    reason: str
    count: int = 0
    names: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    props: dict[str, Any] = field(default_factory=dict)
    triples: array = field(default_factory=lambda: array("q"))
    articles: Counter = field(default_factory=Counter)


@dataclass(slots=True)
class LocalLink:
    """One relation between two local nodes; ``relations`` holds (props, start, end, sentence) of each statement, in order."""

    type: str
    source: int
    target: int
    discriminator: str
    relations: list[tuple[dict[str, Any], int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class DocumentState:
    """A document's contribution to the graph (see the module docstring); the unit the cache keeps."""

    doc: str
    chars: int
    articles: list[tuple[int, str, str | None, int, int, tuple[str, ...]]]
    nodes: list[LocalNode]
    links: list[LocalLink]


def project_places(extraction: DocumentExtraction) -> dict[str, str]:
    """Where a document puts each project name: the county (code[:6]) or place of its LOCATED_IN, stated before inferred.

    Two counties of one city often carry projects of the same generic name
    (污水处理厂项目); the place keeps them apart.
    """
    mentions = extraction.mentions
    found: dict[str, tuple[bool, str]] = {}
    for relation in extraction.relations:
        head, tail = mentions[relation.head], mentions[relation.tail]
        if relation.type != "LOCATED_IN" or head.label != "Project":
            continue
        code = tail.attrs.get("admin_code")
        place = str(code)[:6] if code else tail.name
        inferred = relation.props.get("basis") == "article"
        name = project_key(head.name)
        if name not in found or (found[name][0] and not inferred):
            found[name] = (inferred, place)
    return {name: place for name, (_inferred, place) in found.items()}


def mention_key(mention: Mention, home_city: str | None, places: dict[str, str]) -> tuple[str, str]:
    """The canonical key of a mention within its label, and why two mentions with that key are one entity."""
    attrs = mention.attrs
    if mention.label == "Place":
        if attrs.get("admin_code"):
            return f"code:{attrs['admin_code']}", "same administrative code"
        return f"{attrs.get('kind')}:{mention.name}:{attrs.get('parent') or home_city or ''}", "same name and kind within the city"
    if mention.label == "Organization":
        return f"{mention.name}@{home_city or ''}", "same canonical name within the city"
    if mention.label == "Project":
        name = project_key(mention.name)
        return f"{name}@{places.get(name) or home_city or ''}", "same project name (项目 suffix ignored) in the same place"
    if mention.label == "Person":
        return f"{mention.name}@{attrs.get('org') or home_city or ''}", "same name serving the same organisation"
    if mention.label == "Enterprise":
        return mention.name, "same legal or trade name"
    return mention.name, "same industry name"


def document_state(extraction: DocumentExtraction) -> DocumentState:
    """Key and fold one document's mentions and relations (see the module docstring)."""
    articles = [(a.index, a.title, a.date, a.start, a.end, tuple(a.bylines)) for a in extraction.articles]
    article_numbers = {article.index: number for number, article in enumerate(extraction.articles)}
    places = project_places(extraction)
    home_city = extraction.home_city
    known: dict[tuple[str, str], int] = {}
    nodes: list[LocalNode] = []
    of_mention: list[int] = []
    for mention in extraction.mentions:
        key, reason = mention_key(mention, home_city, places)
        number = known.get((mention.label, key))
        if number is None:
            number = known[(mention.label, key)] = len(nodes)
            nodes.append(LocalNode(mention.label, key, reason))
        node = nodes[number]
        node.count += 1
        node.names[mention.name] += 1
        node.aliases.update(alias for alias in mention.aliases if alias)
        if mention.surface:
            node.aliases.add(mention.surface)
        if mention.attrs:
            merge_props(node.props, mention.attrs)
        node.triples.extend((0, mention.start, mention.end))
        article = article_numbers.get(mention.article)
        if article is not None:
            node.articles[article] += 1
        of_mention.append(number)
    links: dict[tuple[str, int, int, str], LocalLink] = {}
    for relation in extraction.relations:
        source, target = of_mention[relation.head], of_mention[relation.tail]
        if source == target:
            continue
        discriminator = str(relation.props.get("title", "")) if relation.type == "HOLDS_POSITION" else ""
        key = (relation.type, source, target, discriminator)
        link = links.get(key)
        if link is None:
            link = links[key] = LocalLink(relation.type, source, target, discriminator)
        evidence = relation.evidence
        link.relations.append((relation.props, evidence.start, evidence.end, evidence.sentence))
    return DocumentState(extraction.doc, extraction.chars, articles, nodes, list(links.values()))
