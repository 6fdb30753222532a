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
>>> is_short_name_of("澄岳新材料", "江西澄岳新材料有限责任公司")
True
>>> is_short_name_of("新材料", "江西澄岳新材料有限责任公司")
False
>>> is_short_name_of("澄岳新材料公司", "江西澄岳新材料有限责任公司")
True
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kg.ids import edge_id, node_id
from kg.model import DocumentExtraction, Edge, Entity
from kg.nlp.gazetteer import load_gazetteer
from kg.resolve.state import DocumentState, document_state, merge_props
from kg.schema import Schema, load_schema

_TRADE_TAIL = re.compile(r"(?:公司|集团)$")
_LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司)$")
_GENERIC_FIRM_WORDS = re.compile(r"(?:发展|科技|实业|投资|控股|技术|有限|股份|集团|开发|工程|服务|管理|贸易)")


def is_short_name_of(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates the legal name ``full``: a run of its distinctive core.

    The short form (公司 or 集团 after it aside) must be at least three
    characters, begin the full name once its place prefix is set aside, and
    not be generic industry words alone.
    """
    short = _TRADE_TAIL.sub("", short)  # 鑫瑞光电公司 is written for 鑫瑞光电
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


def _short_name_prefixes(full: str) -> Iterator[str]:
    """Every string ``is_short_name_of`` could accept as a short name of ``full``: the prefixes of its core.

    Resolution looks short names up among these instead of testing every
    (short, full) pair, which is quadratic in the number of firms; so this must
    stay a superset of what ``is_short_name_of`` accepts.
    """
    core = _strip_place_prefix(_LEGAL_SUFFIX.sub("", full))
    for length in range(3, len(core) + 1):
        yield core[:length]


@dataclass(slots=True)
class _Node:
    """One entity being accumulated; ``mentions`` packs (doc number, start, end) triples."""

    index: int
    label: str
    key: str
    names: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    props: dict[str, Any] = field(default_factory=dict)
    mentions: array = field(default_factory=lambda: array("q"))
    merged_by: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Link:
    """One relation being accumulated; ``evidence`` is an ordered set of (doc number, start, end, sentence)."""

    type: str
    source: int
    target: int
    discriminator: str
    props: dict[str, Any] = field(default_factory=dict)
    evidence: dict[tuple[int, int, int, str], None] = field(default_factory=dict)


@dataclass(slots=True)
class _Article:
    doc: int
    index: int
    title: str
    date: str | None
    start: int
    end: int
    bylines: tuple[str, ...]


class Resolver:
    """Accumulates document extractions into nodes and edges, streaming.

    Memory grows with the entities and relations, not with the text: document
    names are stored once, mentions as packed integers, evidence as tuples, and
    the per-article mention counts as one integer key each. The result is
    produced lazily, in id order (:meth:`entities`, :meth:`edges`), so a
    writer can stream it.
    """

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema or load_schema()
        self._docs: list[str] = []
        self._nodes: dict[tuple[str, str], _Node] = {}
        self._by_index: list[_Node] = []
        self._links: dict[tuple[str, int, int, str], _Link] = {}
        self._articles: list[_Article] = []
        self._mentioned_in: Counter[int] = Counter()
        self._representative: list[int] | None = None
        self._ids: list[str] = []
        self._article_ids: list[str] = []
        self.rejected: Counter[str] = Counter()

    def add(self, extraction: DocumentExtraction) -> None:
        """Fold one document's mentions and relations in."""
        self.add_state(document_state(extraction))

    def add_state(self, state: DocumentState) -> None:
        """Fold one document's resolution state in (:func:`kg.resolve.state.document_state`), as :meth:`add` would its extraction."""
        if self._representative is not None:
            raise RuntimeError("Resolver.add after the result was taken")
        doc = len(self._docs)
        self._docs.append(state.doc)
        first_article = len(self._articles)
        self._articles.extend(_Article(doc, index, title, date, start, end, bylines)
                              for index, title, date, start, end, bylines in state.articles)
        known, by_index, mentioned_in = self._nodes, self._by_index, self._mentioned_in
        stamp = array("q", (doc,))
        nodes: list[_Node] = []
        for local in state.nodes:
            node = known.get((local.label, local.key))
            if node is None:
                node = known[(local.label, local.key)] = _Node(len(by_index), local.label, local.key)
                by_index.append(node)
                if local.count > 1:
                    node.merged_by.add(local.reason)
            else:
                node.merged_by.add(local.reason)
            node.names.update(local.names)
            node.aliases.update(local.aliases)
            if local.props:
                merge_props(node.props, local.props)
            triples = array("q", local.triples)
            triples[0::3] = stamp * (len(triples) // 3)
            node.mentions.extend(triples)
            base = node.index << 32 | first_article
            for article, count in local.articles.items():
                mentioned_in[base + article] += count
            nodes.append(node)
        for local_link in state.links:
            source, target = nodes[local_link.source], nodes[local_link.target]
            if not self.schema.allows(local_link.type, source.label, target.label):
                self.rejected[f"{local_link.type} {source.label}->{target.label}"] += len(local_link.relations)
                continue
            link_key = (local_link.type, source.index, target.index, local_link.discriminator)
            link = self._links.get(link_key)
            if link is None:
                link = self._links[link_key] = _Link(local_link.type, source.index, target.index, local_link.discriminator)
            for props, start, end, sentence in local_link.relations:
                first = not link.evidence
                merge_props(link.props, props)
                if not props.get("inferred") or (not first and "inferred" not in link.props):
                    link.props.pop("inferred", None)
                link.evidence.setdefault((doc, start, end, sentence), None)

    def _merge_short_names(self) -> dict[int, int]:
        """Map each short-named firm to the one legal-named firm it abbreviates (node numbers)."""
        candidates: dict[str, list[_Node]] = defaultdict(list)
        for node in self._by_index:
            if node.label == "Enterprise" and _LEGAL_SUFFIX.search(node.key):
                for prefix in _short_name_prefixes(node.key):
                    candidates[prefix].append(node)
        redirect: dict[int, int] = {}
        for node in self._by_index:
            if node.label != "Enterprise" or _LEGAL_SUFFIX.search(node.key):
                continue
            lookup = _TRADE_TAIL.sub("", node.key)
            matches = [other for other in candidates.get(lookup, ()) if is_short_name_of(node.key, other.key)]
            if len(matches) == 1:
                target = matches[0]
                redirect[node.index] = target.index
                target.aliases.update(node.aliases)
                target.mentions.extend(node.mentions)
                merge_props(target.props, node.props)
                target.merged_by.add(f"short name {node.key} of {target.key}")
        return redirect

    def _finish(self) -> list[int]:
        """Merge short names once; the node number each node resolves to."""
        if self._representative is None:
            redirect = self._merge_short_names()
            self._representative = [redirect.get(index, index) for index in range(len(self._by_index))]
            self._ids = [node_id(node.label, node.key) for node in self._by_index]
            self._article_ids = [node_id("Article", f"{self._docs[a.doc]}#{a.index}") for a in self._articles]
        return self._representative

    def _entity(self, node: _Node) -> Entity:
        name = node.names.most_common(1)[0][0] if node.names else node.key
        if node.label == "Enterprise":
            legal = [n for n in node.names if _LEGAL_SUFFIX.search(n)]
            name = max(legal, key=len) if legal else name
        props = dict(node.props)
        if node.merged_by:
            props["merged_by"] = sorted(node.merged_by)
        props = {k: v for k, v in props.items() if k in self.schema.nodes[node.label].properties}
        aliases = sorted(alias for alias in node.aliases | set(node.names) if alias != name)
        triples = node.mentions
        mentions = [{"doc": self._docs[triples[i]], "start": triples[i + 1], "end": triples[i + 2]} for i in range(0, len(triples), 3)]
        return Entity(self._ids[node.index], node.label, name, aliases, props, mentions)

    def _article_entity(self, number: int) -> Entity:
        article = self._articles[number]
        doc = self._docs[article.doc]
        return Entity(
            self._article_ids[number], "Article", article.title or f"{doc} #{article.index}", [],
            {"doc": doc, "index": article.index, "title": article.title, "date": article.date,
             "start": article.start, "end": article.end, "bylines": list(article.bylines)},
            [{"doc": doc, "start": article.start, "end": article.end}],
        )

    def entities(self) -> Iterator[Entity]:
        """The resolved nodes (entities and articles), in id order, built one at a time."""
        representative = self._finish()
        order = [(self._ids[i], i) for i in range(len(self._by_index)) if representative[i] == i]
        order.extend((identifier, ~number) for number, identifier in enumerate(self._article_ids))
        order.sort()
        for _identifier, index in order:
            yield self._entity(self._by_index[index]) if index >= 0 else self._article_entity(~index)

    def _relation_edges(self) -> Iterator[Edge]:
        representative = self._finish()
        grouped: dict[str, list[_Link]] = defaultdict(list)
        for link in self._links.values():
            source, target = representative[link.source], representative[link.target]
            if source != target:
                grouped[edge_id(link.type, self._ids[source], self._ids[target], link.discriminator)].append(link)
        for identifier in sorted(grouped):
            links = grouped[identifier]
            first = links[0]
            evidence: dict[tuple[int, int, int, str], None] = {}
            for link in links:
                evidence.update(link.evidence)
            props = {k: v for k, v in first.props.items() if k in self.schema.relations[first.type].properties}
            yield Edge(
                identifier, self._ids[representative[first.source]], self._ids[representative[first.target]], first.type, props,
                [{"doc": self._docs[d], "start": s, "end": e, "sentence": sentence} for d, s, e, sentence in evidence],
            )

    def _mention_edges(self) -> Iterator[Edge]:
        representative = np.asarray(self._finish(), dtype=np.int64)
        keys = np.fromiter(self._mentioned_in.keys(), dtype=np.int64, count=len(self._mentioned_in))
        counts = np.fromiter(self._mentioned_in.values(), dtype=np.int64, count=len(self._mentioned_in))
        keys = (representative[keys >> 32] << 32) | (keys & 0xFFFFFFFF)
        keys, inverse = np.unique(keys, return_inverse=True)
        counts = np.bincount(inverse, weights=counts).astype(np.int64)
        del inverse
        ids = np.fromiter(
            (int(edge_id("MENTIONED_IN", self._ids[key >> 32], self._article_ids[key & 0xFFFFFFFF]), 16) for key in keys.tolist()),
            dtype=np.uint64, count=len(keys),
        )
        for position in np.argsort(ids, kind="stable").tolist():
            key = int(keys[position])
            source, number = self._ids[key >> 32], key & 0xFFFFFFFF
            article = self._articles[number]
            doc = self._docs[article.doc]
            evidence = [{"doc": doc, "start": article.start, "end": article.end, "sentence": article.title or f"{doc} #{article.index}"}]
            yield Edge(f"{int(ids[position]):016x}", source, self._article_ids[number], "MENTIONED_IN", {"count": int(counts[position])}, evidence)

    def edges(self) -> Iterator[Edge]:
        """The resolved edges (relations and MENTIONED_IN), in id order, built one at a time."""
        return heapq.merge(self._relation_edges(), self._mention_edges(), key=lambda edge: edge.id)

    def result(self) -> tuple[list[Entity], list[Edge]]:
        """The resolved nodes (entities and articles) and edges, in id order."""
        return list(self.entities()), list(self.edges())


def resolve(extractions: Iterable[DocumentExtraction], schema: Schema | None = None) -> tuple[list[Entity], list[Edge], Counter[str]]:
    """Resolve all extractions; returns nodes, edges and the rejected-edge counts."""
    resolver = Resolver(schema)
    for extraction in extractions:
        resolver.add(extraction)
    entities, edges = resolver.result()
    return entities, edges, resolver.rejected
