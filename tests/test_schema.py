"""The graph schema (``kg.schema``, ``schema/graph.yaml``) and validation in ``kg.graph.inmemory.assemble``.

The expected endpoint table is copied by hand from ``/work/shared/gold/SPEC.md``
(relation types, head -> tail) plus ``MENTIONED_IN`` (every entity -> Article,
issue 2), and every relation type is checked against every label pair.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import yaml

from kg.errors import SchemaError
from kg.graph import assemble
from kg.model import Edge, Entity
from kg.resources import resource_dir
from kg.schema import load_schema, parse_schema

LABELS = ("Place", "Enterprise", "Person", "Chain", "Project", "Organization", "Article")
ENTITIES = LABELS[:-1]
SPEC_ENDPOINTS: dict[str, set[tuple[str, str]]] = {
    "LOCATED_IN": {(head, "Place") for head in ("Enterprise", "Project", "Organization", "Place")},
    "HOLDS_POSITION": {("Person", tail) for tail in ("Organization", "Place", "Enterprise")},
    "INSPECTED": {("Person", tail) for tail in ("Enterprise", "Project", "Place", "Organization")},
    "DEVELOPS": {(head, "Chain") for head in ("Place", "Organization")},
    "CHAIN_MASTER_OF": {("Enterprise", "Chain")},
    "LEADS_CHAIN": {("Enterprise", "Chain")},
    "SUPPORTS": {(head, "Enterprise") for head in ("Project", "Enterprise")},
    "IN_CHAIN": {(head, "Chain") for head in ("Project", "Enterprise")},
    "OPERATES": {("Enterprise", "Project")},
    "MENTIONED_IN": {(head, "Article") for head in ENTITIES},
}


def test_schema_loads_with_the_labels_and_relation_types_of_the_spec() -> None:
    schema = load_schema()
    assert schema.version == 1
    assert set(schema.nodes) == set(LABELS)
    assert set(schema.relations) == set(SPEC_ENDPOINTS)
    assert set(schema.entity_labels) == set(ENTITIES)
    assert schema.unique == ("id",) and schema.indexes == ("name",)


def test_load_schema_reads_the_shipped_file() -> None:
    raw = yaml.safe_load((resource_dir("schema") / "graph.yaml").read_text(encoding="utf-8"))
    assert parse_schema(raw) == load_schema()


@pytest.mark.parametrize("rel_type", sorted(SPEC_ENDPOINTS))
def test_allows_exactly_the_spec_endpoint_pairs(rel_type: str) -> None:
    schema = load_schema()
    for head, tail in itertools.product(LABELS, LABELS):
        assert schema.allows(rel_type, head, tail) == ((head, tail) in SPEC_ENDPOINTS[rel_type]), (rel_type, head, tail)


def test_allows_unknown_type_is_false() -> None:
    assert not load_schema().allows("FOUNDED", "Person", "Enterprise")


def test_properties_common_ones_first() -> None:
    schema = load_schema()
    project = schema.node_properties("Project")
    assert list(project)[:3] == ["id", "name", "aliases"]
    # Typed as the YAML says (read by hand from schema/graph.yaml).
    assert project["investment_yuan"] == "long" and project["investment_amount"] == "double"
    assert project["investment_approx"] == "boolean" and project["status"] == "string"
    assert schema.node_properties("Person")["titles"] == "string[]"
    assert schema.edge_properties("INSPECTED") == {"id": "string", "date": "string", "date_text": "string", "verb": "string"}
    assert schema.edge_properties("SUPPORTS") == {"id": "string"}
    assert schema.edge_properties("MENTIONED_IN") == {"id": "string", "count": "long"}


def test_check_edge_and_check_node_messages() -> None:
    schema = load_schema()
    schema.check_edge("LOCATED_IN", "Enterprise", "Place")
    with pytest.raises(SchemaError, match="LOCATED_IN may not run from Chain to Place"):
        schema.check_edge("LOCATED_IN", "Chain", "Place")
    with pytest.raises(SchemaError, match="unknown relation type 'FOUNDED'"):
        schema.check_edge("FOUNDED", "Person", "Enterprise")
    with pytest.raises(SchemaError, match="unknown node label 'Company'"):
        schema.check_node("Company")


def _node(node_id: str, label: str, name: str) -> Entity:
    return Entity(node_id, label, name, [], {}, [{"doc": "p.txt", "start": 0, "end": len(name)}])


def _edge(edge_id: str, source: str, target: str, rel_type: str) -> Edge:
    return Edge(edge_id, source, target, rel_type, {}, [{"doc": "p.txt", "start": 0, "end": 9, "sentence": "青禾县新材料产业链。"}])


NODES = [
    _node("p1", "Place", "青禾县"),
    _node("c1", "Chain", "碳纤维"),
    _node("e1", "Enterprise", "青禾华材新材料有限公司"),
    _node("h1", "Person", "方志诚"),
]


def test_assemble_accepts_allowed_edges() -> None:
    graph = assemble(NODES, [_edge("r1", "p1", "c1", "DEVELOPS"), _edge("r2", "e1", "p1", "LOCATED_IN"),
                             _edge("r3", "e1", "c1", "CHAIN_MASTER_OF"), _edge("r4", "h1", "e1", "INSPECTED")])
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 4
    assert graph.nodes["e1"]["label"] == "Enterprise"
    assert graph.edges["p1", "c1", "r1"]["type"] == "DEVELOPS"


@pytest.mark.parametrize(
    ("edge", "message"),
    [
        (_edge("r1", "c1", "p1", "DEVELOPS"), "DEVELOPS may not run from Chain to Place"),  # reversed
        (_edge("r1", "p1", "c1", "LOCATED_IN"), "LOCATED_IN may not run from Place to Chain"),
        (_edge("r1", "h1", "c1", "CHAIN_MASTER_OF"), "CHAIN_MASTER_OF may not run from Person to Chain"),
        (_edge("r1", "e1", "c1", "MAKES"), "unknown relation type 'MAKES'"),
        (_edge("r1", "e1", "x9", "LOCATED_IN"), "LOCATED_IN edge r1 points to a missing node x9"),
        (_edge("r1", "x9", "p1", "LOCATED_IN"), "LOCATED_IN edge r1 points to a missing node x9"),
    ],
)
def test_assemble_rejects_what_the_schema_does_not_allow(edge: Edge, message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        assemble(NODES, [edge])
    assert str(caught.value) == message


def test_assemble_rejects_an_unknown_label() -> None:
    with pytest.raises(SchemaError, match="unknown node label 'Company'"):
        assemble([*NODES, _node("x1", "Company", "青禾华材")], [])


def _schema(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "version": 1,
        "nodes": {"Place": {"key": "name", "properties": {"kind": "string"}}, "Chain": {"properties": {}}},
        "relations": {"DEVELOPS": {"endpoints": [["Place", "Chain"]], "properties": {"tier": "string"}}},
    }
    raw.update(changes)
    return raw


def test_parse_schema_accepts_a_small_valid_schema() -> None:
    schema = parse_schema(_schema())
    assert schema.allows("DEVELOPS", "Place", "Chain")
    assert not schema.allows("DEVELOPS", "Chain", "Place")
    assert schema.nodes["Place"].key == "name"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "malformed schema"),  # an empty YAML file
        ({"version": 1, "relations": {}}, "malformed schema"),  # no nodes
        (_schema(relations=None), "malformed schema"),
        (_schema(version="one"), "malformed schema"),
        (_schema(nodes=["Place", "Chain"]), "malformed schema"),  # a list where a mapping belongs
        (_schema(nodes={"Place": None, "Chain": {}}), "malformed schema"),  # a label with nothing under it
        (_schema(nodes={"Place": {"properties": {"kind": "text"}}, "Chain": {}}), "Place.kind: unknown property type 'text'"),
        (_schema(relations={"DEVELOPS": {"endpoints": [["Place", "Industry"]]}}),
         "DEVELOPS: endpoint (Place, Industry) names an unknown label"),
        (_schema(relations={"DEVELOPS": {"endpoints": [["Place"]]}}), "malformed schema"),  # not a pair
        (_schema(relations={"DEVELOPS": {}}), "malformed schema"),  # no endpoints
        (_schema(relations={"DEVELOPS": {"endpoints": [["Place", "Chain"]], "properties": {"tier": "enum"}}}),
         "DEVELOPS.tier: unknown property type 'enum'"),
    ],
    ids=["empty", "no-nodes", "null-relations", "bad-version", "nodes-list", "null-label", "bad-node-type",
         "unknown-endpoint", "not-a-pair", "no-endpoints", "bad-edge-type"],
)
def test_parse_schema_rejects_a_malformed_schema(raw: Any, message: str) -> None:
    with pytest.raises(SchemaError) as caught:
        parse_schema(raw)
    assert message in str(caught.value)
