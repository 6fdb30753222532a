"""Per-document resolution state (``kg.resolve.state``): folding states gives the graph the per-mention fold gave.

``_fold_mentions`` below is the resolver's previous ``add``, kept here as the
oracle: it folds every mention and relation straight into the resolver. The
state path keys and folds each document first (as a worker does), then
merges; both must give byte-identical records, on the real sample pages and
on hand-made pages (invented names) built to hit the order-sensitive parts:
ties between names, property key order, an ``inferred`` flag set, cleared and
set again across documents, repeated article indexes, rejected relations.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from kg.builder.work import extract_bytes
from kg.model import ArticleInfo, DocumentExtraction, Evidence, Mention, RelationMention
from kg.resolve.merge import Resolver, _Article, _Link, _Node
from kg.resolve.state import document_state, mention_key, merge_props, project_places

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"


def _fold_mentions(resolver: Resolver, extraction: DocumentExtraction) -> None:
    """The per-mention fold of the resolver before document states (the oracle)."""
    doc = len(resolver._docs)
    resolver._docs.append(extraction.doc)
    article_numbers: dict[int, int] = {}
    for article in extraction.articles:
        article_numbers[article.index] = len(resolver._articles)
        resolver._articles.append(_Article(doc, article.index, article.title, article.date, article.start, article.end,
                                           tuple(article.bylines)))
    nodes = []
    places = project_places(extraction)
    for mention in extraction.mentions:
        key, reason = mention_key(mention, extraction.home_city, places)
        node = resolver._nodes.get((mention.label, key))
        if node is None:
            node = resolver._nodes[(mention.label, key)] = _Node(len(resolver._by_index), mention.label, key)
            resolver._by_index.append(node)
        elif node.mentions:
            node.merged_by.add(reason)
        node.names[mention.name] += 1
        node.aliases.update(alias for alias in mention.aliases if alias)
        if mention.surface:
            node.aliases.add(mention.surface)
        if mention.attrs:
            merge_props(node.props, mention.attrs)
        node.mentions.extend((doc, mention.start, mention.end))
        nodes.append(node)
        number = article_numbers.get(mention.article)
        if number is not None:
            resolver._mentioned_in[node.index << 32 | number] += 1
    for relation in extraction.relations:
        source, target = nodes[relation.head], nodes[relation.tail]
        if source is target:
            continue
        if not resolver.schema.allows(relation.type, source.label, target.label):
            resolver.rejected[f"{relation.type} {source.label}->{target.label}"] += 1
            continue
        discriminator = str(relation.props.get("title", "")) if relation.type == "HOLDS_POSITION" else ""
        link_key = (relation.type, source.index, target.index, discriminator)
        link = resolver._links.get(link_key)
        if link is None:
            link = resolver._links[link_key] = _Link(relation.type, source.index, target.index, discriminator)
        first = not link.evidence
        merge_props(link.props, relation.props)
        if not relation.props.get("inferred") or (not first and "inferred" not in link.props):
            link.props.pop("inferred", None)
        evidence = relation.evidence
        link.evidence.setdefault((doc, evidence.start, evidence.end, evidence.sentence), None)


def _records(resolver: Resolver) -> tuple[list[str], list[str], str]:
    nodes = [json.dumps([e.id, e.label, e.name, e.aliases, e.props, e.mentions], ensure_ascii=False) for e in resolver.entities()]
    edges = [json.dumps([e.id, e.source, e.target, e.type, e.props, e.evidence], ensure_ascii=False) for e in resolver.edges()]
    return nodes, edges, json.dumps(dict(resolver.rejected), ensure_ascii=False)


def _both(extractions: list[DocumentExtraction]) -> tuple[tuple, tuple]:
    oracle, folded = Resolver(), Resolver()
    for extraction in extractions:
        _fold_mentions(oracle, extraction)
        folded.add_state(pickle.loads(pickle.dumps(document_state(extraction))))  # as it crosses processes and the cache
    return _records(oracle), _records(folded)


def test_states_of_the_sample_pages_fold_into_the_graph_the_mentions_did() -> None:
    extractions = [extract_bytes(path.read_bytes(), path.name, ".txt") for path in sorted(SEEDS.glob("*.txt"))]
    assert sum(len(e.mentions) for e in extractions) > 100
    oracle, folded = _both(extractions)
    assert folded == oracle
    oracle_reversed, folded_reversed = _both(extractions[::-1])
    assert folded_reversed == oracle_reversed


def _person(name: str, start: int, article: int, org: str, **attrs: object) -> Mention:
    return Mention("Person", name, name, start, start + len(name), article, "test", {"org": org, **attrs})


def _org(name: str, start: int, article: int = 0) -> Mention:
    return Mention("Organization", name, name, start, start + len(name), article, "test", {"kind": "government"})


def _firm(start: int, article: int = 0) -> Mention:
    return Mention("Enterprise", "青禾华材新材料有限公司", "华材新材料", start, start + 5, article, "test", {"roles": ["chain_master"]})


def _chain(start: int, article: int = 0) -> Mention:
    return Mention("Chain", "碳纤维", "碳纤维产业链", start, start + 6, article, "test")


def _leads(head: int, tail: int, doc: str, start: int, **props: object) -> RelationMention:
    return RelationMention("LEADS_CHAIN", head, tail, Evidence(doc, start, start + 12, f"链主{start}。"), "test", props)


def _page(doc: str, mentions: list[Mention], relations: list[RelationMention], article_indexes: list[int]) -> DocumentExtraction:
    articles = [ArticleInfo(index, f"标题{number}", None, number * 100, number * 100 + 99, []) for number, index in enumerate(article_indexes)]
    return DocumentExtraction(doc, "0" * 40, "utf-8", None, articles, mentions, relations, chars=300, home_city="青禾市")


def _holds(head: int, tail: int, doc: str, start: int, **props: object) -> RelationMention:
    return RelationMention("HOLDS_POSITION", head, tail, Evidence(doc, start, start + 10, f"句子{start}。"), "test",
                           {"title": "县长", **props})


def test_order_sensitive_folds_agree_across_documents() -> None:
    chains = [
        # LEADS_CHAIN keeps ``inferred`` only while the last statement was inferred; ``role`` comes first or after it
        _page("d.txt", [_firm(0), _chain(10)], [_leads(0, 1, "d.txt", 0, inferred=True)], [0]),
        _page("e.txt", [_chain(0), _firm(10), _firm(40, 1)],
              [_leads(1, 0, "e.txt", 10, role="龙头"), _leads(2, 0, "e.txt", 40, inferred=True)], [0, 1]),
        _page("f.txt", [_firm(0), _chain(10)], [_leads(0, 1, "f.txt", 0, inferred=True), _leads(0, 1, "f.txt", 30, inferred=True)], [0]),
        _page("g.txt", [_firm(0), _chain(10)], [_leads(0, 1, "g.txt", 0, inferred=True), _leads(0, 1, "g.txt", 30)], [0]),
    ]
    pages = [*chains,
        # names tie (one each), titles as lists, the relation inferred
        _page("a.txt", [_person("林远舟", 0, 0, "青禾县人民政府", titles=["县长"]), _org("青禾县人民政府", 5),
                        _person("林远舟", 20, 1, "青禾县人民政府", titles=["副书记", "县长"], kind="official")],
              [_holds(0, 1, "a.txt", 0, inferred=True), _holds(2, 1, "a.txt", 20, inferred=True)], [0, 1]),
        # the same relation stated, not inferred, then inferred again; a repeated article index; an extra property first
        _page("b.txt", [_org("青禾县人民政府", 0), _person("林远舟", 10, 0, "青禾县人民政府", titles=["书记"]),
                        _person("林远舟", 40, 0, "青禾县人民政府")],
              [_holds(1, 0, "b.txt", 10, since="2月"), _holds(2, 0, "b.txt", 40, inferred=True),
               RelationMention("LOCATED_IN", 1, 0, Evidence("b.txt", 10, 20, "句子。"), "test")], [0, 0]),
        # only inferred statements after a document that cleared the flag; a self-relation (dropped)
        _page("c.txt", [_person("林远舟", 0, 0, "青禾县人民政府"), _org("青禾县人民政府", 10)],
              [_holds(0, 1, "c.txt", 0, inferred=True), _holds(0, 0, "c.txt", 0)], [3]),
    ]
    oracle, folded = _both(pages)
    assert folded == oracle
    assert "LOCATED_IN Person->Organization" in oracle[2]  # the schema rejects it, and both count it
    flags = {json.loads(record)[3]: json.loads(record)[4] for record in oracle[1]}
    assert flags["LEADS_CHAIN"] == {"role": "龙头"}  # the last statement (g.txt) was not inferred
    seen = set()
    for order in ([2, 0, 1, 3, 4, 5, 6], [0, 1, 2, 4, 5, 6, 3], [6, 5, 4, 3, 2, 1, 0], [0, 2, 1, 3, 4]):
        oracle, folded = _both([pages[i] for i in order])
        assert folded == oracle
        seen.add(json.dumps([json.loads(r)[4] for r in oracle[1] if json.loads(r)[3] == "LEADS_CHAIN"], ensure_ascii=False))
    assert len(seen) >= 2  # the orders give different properties, so the agreement is not a coincidence


def test_a_state_holds_one_node_per_entity_and_its_mentions_in_order() -> None:
    page = _page("a.txt", [_org("青禾县人民政府", 0), _person("林远舟", 10, 0, "青禾县人民政府"), _org("青禾县人民政府", 30, 1)],
                 [_holds(1, 0, "a.txt", 10)], [0, 1])
    state = document_state(page)
    organisation = state.nodes[0]
    assert (organisation.label, organisation.count, list(organisation.triples)) == ("Organization", 2, [0, 0, 7, 0, 30, 37])
    assert dict(organisation.articles) == {0: 1, 1: 1}
    assert [(link.type, link.source, link.target, len(link.relations)) for link in state.links] == [("HOLDS_POSITION", 1, 0, 1)]
