"""Cross-document resolution: one node per real entity, one edge per relation.

Mentions are keyed by label and canonical key: places by admin code (so two
城关镇 in two provinces stay apart, and 牟平 and 牟平区 meet), other places,
organisations and projects by name within the page's city, firms by legal
name, chains by industry name, people by name and the organisation they
serve. A firm's short name joins the one full name it abbreviates. Each node
records why its mentions were merged (``merged_by``). Relations whose
endpoints the schema does not allow are dropped and counted, never written.

Examples
--------
>>> is_short_name_of("慕迪新材料", "山东慕迪新材料有限责任公司")
True
>>> is_short_name_of("新材料", "山东慕迪新材料有限责任公司")
False
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.graph import edge_id, node_id
from kg.model import DocumentExtraction, Edge, Entity, Mention
from kg.nlp.gazetteer import load_gazetteer
from kg.resolve.canonical import project_key
from kg.schema import Schema, load_schema

_LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司)$")
_GENERIC_FIRM_WORDS = re.compile(r"(?:发展|科技|实业|投资|控股|技术|有限|股份|集团|开发|工程|服务|管理|贸易)")


def is_short_name_of(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates the legal name ``full``: a run of its distinctive core.

    The short form must be at least three characters, begin the full name once
    its place prefix is set aside, and not be generic industry words alone.
    """
    if len(short) < 3 or short == full or not _LEGAL_SUFFIX.search(full):
        return False
    core = _strip_place_prefix(_LEGAL_SUFFIX.sub("", full))
    distinctive = _GENERIC_FIRM_WORDS.sub("", short)
    return len(distinctive) >= 2 and core.startswith(short)


def _strip_place_prefix(core: str) -> str:
    """The firm name without the province, city or county it is registered in."""
    automaton = load_gazetteer().place_names
    for length in range(min(len(core) - 2, 7), 1, -1):
        prefix = core[:length]
        if prefix in automaton:
            _surface, payloads = automaton.get(prefix)
            if any(load_gazetteer().places[code].level in ("province", "city", "county", "district") for _f, code in payloads):
                return core[length:]
    return core


@dataclass(slots=True)
class _Node:
    label: str
    key: str
    names: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    props: dict[str, Any] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    merged_by: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Link:
    type: str
    source: str
    target: str
    discriminator: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _key(mention: Mention, home_city: str | None) -> tuple[str, str]:
    attrs = mention.attrs
    if mention.label == "Place":
        if attrs.get("admin_code"):
            return f"code:{attrs['admin_code']}", "same administrative code"
        return f"{attrs.get('kind')}:{mention.name}:{attrs.get('parent') or home_city or ''}", "same name and kind within the city"
    if mention.label == "Organization":
        return f"{mention.name}@{home_city or ''}", "same canonical name within the city"
    if mention.label == "Project":
        return f"{project_key(mention.name)}@{home_city or ''}", "same project name (项目 suffix ignored) within the city"
    if mention.label == "Person":
        return f"{mention.name}@{attrs.get('org') or home_city or ''}", "same name serving the same organisation"
    if mention.label == "Enterprise":
        return mention.name, "same legal or trade name"
    return mention.name, "same industry name"


def _merge_props(target: dict[str, Any], source: dict[str, Any]) -> None:
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


class Resolver:
    """Accumulates document extractions into nodes and edges, streaming."""

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()
        self._nodes: dict[tuple[str, str], _Node] = {}
        self._links: dict[tuple[str, str, str, str], _Link] = {}
        self._articles: dict[str, Entity] = {}
        self._mentioned_in: Counter[tuple[tuple[str, str], str]] = Counter()
        self.rejected: Counter[str] = Counter()

    def add(self, extraction: DocumentExtraction) -> None:
        """Fold one document's mentions and relations in."""
        article_ids = {}
        for article in extraction.articles:
            key = f"{extraction.doc}#{article.index}"
            article_id = node_id("Article", key)
            article_ids[article.index] = article_id
            self._articles[article_id] = Entity(
                article_id, "Article", article.title or f"{extraction.doc} #{article.index}", [],
                {"doc": extraction.doc, "index": article.index, "title": article.title, "date": article.date,
                 "start": article.start, "end": article.end, "bylines": article.bylines},
                [{"doc": extraction.doc, "start": article.start, "end": article.end}],
            )
        keys: list[tuple[str, str]] = []
        for mention in extraction.mentions:
            key, reason = _key(mention, extraction.home_city)
            node_key = (mention.label, key)
            node = self._nodes.get(node_key)
            if node is None:
                node = self._nodes[node_key] = _Node(mention.label, key)
            elif len(node.mentions):
                node.merged_by.add(reason)
            node.names[mention.name] += 1
            node.aliases.update(alias for alias in (*mention.aliases, mention.surface) if alias)
            _merge_props(node.props, mention.attrs)
            node.mentions.append({"doc": extraction.doc, "start": mention.start, "end": mention.end})
            keys.append(node_key)
            if mention.article in article_ids:
                self._mentioned_in[(node_key, article_ids[mention.article])] += 1
        for relation in extraction.relations:
            source, target = keys[relation.head], keys[relation.tail]
            if source == target:
                continue
            if not self.schema.allows(relation.type, source[0], target[0]):
                self.rejected[f"{relation.type} {source[0]}->{target[0]}"] += 1
                continue
            discriminator = str(relation.props.get("title", "")) if relation.type == "HOLDS_POSITION" else ""
            link_key = (relation.type, "|".join(source), "|".join(target), discriminator)
            link = self._links.get(link_key)
            if link is None:
                link = self._links[link_key] = _Link(relation.type, "|".join(source), "|".join(target), discriminator)
            first = not link.evidence
            _merge_props(link.props, relation.props)
            if not relation.props.get("inferred") or (not first and "inferred" not in link.props):
                link.props.pop("inferred", None)
            evidence = {"doc": relation.evidence.doc, "start": relation.evidence.start, "end": relation.evidence.end, "sentence": relation.evidence.sentence}
            if evidence not in link.evidence:
                link.evidence.append(evidence)

    def _merge_short_names(self) -> dict[tuple[str, str], tuple[str, str]]:
        """Map each short-named firm to the one legal-named firm it abbreviates."""
        full = [key for key in self._nodes if key[0] == "Enterprise" and _LEGAL_SUFFIX.search(key[1])]
        redirect: dict[tuple[str, str], tuple[str, str]] = {}
        for key, node in self._nodes.items():
            if key[0] != "Enterprise" or _LEGAL_SUFFIX.search(key[1]):
                continue
            matches = [other for other in full if is_short_name_of(key[1], other[1])]
            if len(matches) == 1:
                redirect[key] = matches[0]
                target = self._nodes[matches[0]]
                target.aliases.update(node.aliases)
                target.mentions.extend(node.mentions)
                _merge_props(target.props, node.props)
                target.merged_by.add(f"short name {key[1]} of {matches[0][1]}")
        return redirect

    def result(self) -> tuple[list[Entity], list[Edge]]:
        """The resolved nodes (entities and articles) and edges."""
        redirect = self._merge_short_names()
        ids: dict[tuple[str, str], str] = {}
        entities: list[Entity] = []
        for key, node in self._nodes.items():
            if key in redirect:
                continue
            identifier = node_id(node.label, node.key)
            ids[key] = identifier
            name = node.names.most_common(1)[0][0] if node.names else node.key
            if node.label == "Enterprise":
                legal = [n for n in node.names if _LEGAL_SUFFIX.search(n)]
                name = max(legal, key=len) if legal else name
            props = dict(node.props)
            if node.merged_by:
                props["merged_by"] = sorted(node.merged_by)
            props = {k: v for k, v in props.items() if k in self.schema.nodes[node.label].properties}
            aliases = sorted(alias for alias in node.aliases | set(node.names) if alias != name)
            entities.append(Entity(identifier, node.label, name, aliases, props, node.mentions))
        for key, target in redirect.items():
            ids[key] = ids[target]
        edges: list[Edge] = []
        merged_links: dict[str, Edge] = {}
        for link in self._links.values():
            source = ids[tuple(link.source.split("|", 1))]  # type: ignore[index]
            target = ids[tuple(link.target.split("|", 1))]  # type: ignore[index]
            if source == target:
                continue
            identifier = edge_id(link.type, source, target, link.discriminator)
            props = {k: v for k, v in link.props.items() if k in self.schema.relations[link.type].properties}
            if identifier in merged_links:
                existing = merged_links[identifier]
                existing.evidence.extend(e for e in link.evidence if e not in existing.evidence)
                continue
            merged_links[identifier] = Edge(identifier, source, target, link.type, props, list(link.evidence))
        edges.extend(merged_links.values())
        entities.extend(self._articles.values())
        mentioned: dict[tuple[str, str], int] = defaultdict(int)
        for (node_key, article_id), count in self._mentioned_in.items():
            mentioned[(ids[node_key], article_id)] += count
        for (source, article_id), count in mentioned.items():
            article = self._articles[article_id]
            evidence = [{"doc": article.props["doc"], "start": article.props["start"], "end": article.props["end"], "sentence": article.name}]
            edges.append(Edge(edge_id("MENTIONED_IN", source, article_id), source, article_id, "MENTIONED_IN", {"count": count}, evidence))
        return entities, edges


def resolve(extractions: Iterable[DocumentExtraction], schema: Schema | None = None) -> tuple[list[Entity], list[Edge], Counter[str]]:
    """Resolve all extractions; returns nodes, edges and the rejected-edge counts."""
    resolver = Resolver(schema)
    for extraction in extractions:
        resolver.add(extraction)
    entities, edges = resolver.result()
    return entities, edges, resolver.rejected
