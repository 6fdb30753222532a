"""The stored data model: typed values, canonical provenance, a build's rows."""

from __future__ import annotations

import json

import pytest

from kg.errors import ContractError
from kg.schema import load_schema
from loaders.records import build_rows, coerce, edge_columns, node_columns, provenance_text


def test_values_take_the_schema_type() -> None:
    assert coerce(2.7e9, "long") == 2_700_000_000 and isinstance(coerce(2.7e9, "long"), int)
    assert coerce("27", "double") == 27.0
    assert (coerce("false", "boolean"), coerce(0, "boolean"), coerce("true", "boolean")) == (False, False, True)
    assert coerce(("a", "b", "a"), "string[]") == ["a", "b"]
    assert coerce(None, "long") is None
    for value, type_name in (("maybe", "boolean"), ("abc", "long"), ("abc", "string[]"), (float("nan"), "long")):
        with pytest.raises(ValueError):
            coerce(value, type_name)


def test_provenance_is_one_canonical_json_string_per_item() -> None:
    item = {"sentence": "链主企业\"英搏尔\"。", "end": 9, "doc": "003.txt", "start": 1}
    text = provenance_text(item)
    assert text == '{"doc":"003.txt","end":9,"sentence":"链主企业\\"英搏尔\\"。","start":1}'
    assert json.loads(text) == item and provenance_text(dict(reversed(list(item.items())))) == text


def test_columns_follow_the_schema() -> None:
    schema = load_schema()
    assert node_columns(schema, "Project")["investment_yuan"] == "long"
    assert list(edge_columns(schema, "DEVELOPS")) == ["id", "tier", "scale", "evidence"]


def test_a_build_becomes_grouped_typed_rows(hand) -> None:
    folder = hand.raw(
        [hand.node("j", "Project", "津药医疗", {"investment_yuan": 5e8, "investment_approx": 1, "extra": "x"},
                   mentions=[("a.txt", 1, 3), ("a.txt", 1, 3)]),
         hand.node("p", "Place", "牟平区", {"kind": "district"})],
        [hand.edge("l", "j", "p", "LOCATED_IN", {"basis": "text"})])
    rows = build_rows(folder, load_schema())
    project = rows.nodes["Project"][0]
    assert project.scalars["investment_yuan"] == 500_000_000 and project.scalars["investment_approx"] is True
    assert project.scalars["status"] is None and project.lists["merged_by"] == []
    assert project.lists["mentions"] == ['{"doc":"a.txt","end":3,"start":1}']
    assert rows.ignored == {"extra"}
    edge = rows.edges[("LOCATED_IN", "Project", "Place")][0]
    assert (edge.source, edge.target, edge.scalars, edge.lists["evidence"][0].startswith('{"doc":"hand.txt"')) == \
        ("j", "p", {"basis": "text"}, True)


def test_a_bad_value_names_its_node(hand) -> None:
    folder = hand.raw([hand.node("j", "Project", "津药医疗", {"investment_yuan": "二十七亿"})], [])
    with pytest.raises(ContractError, match="node j: property 'investment_yuan'"):
        build_rows(folder, load_schema())
