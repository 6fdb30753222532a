"""What differs between Neo4j 5, FalkorDB over Bolt and LadybugDB."""

from __future__ import annotations

from kg.schema import load_schema
from loaders.dialects import dialect, falkordb_escape


def test_neo4j_gets_constraints_and_name_indexes_for_every_label() -> None:
    schema = load_schema()
    statements = dialect("neo4j").schema_statements(schema)
    texts = [s.text for s in statements]
    assert "CREATE CONSTRAINT `kg_Place_id` IF NOT EXISTS FOR (n:`Place`) REQUIRE n.`id` IS UNIQUE" in texts
    assert "CREATE INDEX `kg_Place_name` IF NOT EXISTS FOR (n:`Place`) ON (n.`name`)" in texts
    assert sum(t.startswith("CREATE CONSTRAINT") for t in texts) == len(schema.nodes) + len(schema.relations)
    assert all(s.optional == ("]-()" in s.text) for s in statements)


def test_falkordb_gets_plain_indexes_only_where_missing() -> None:
    schema = load_schema()
    texts = [s.text for s in dialect("falkordb").schema_statements(schema, {("Place", "id")})]
    assert "CREATE INDEX FOR (n:`Place`) ON (n.`name`)" in texts
    assert "CREATE INDEX FOR (n:`Place`) ON (n.`id`)" not in texts
    assert len(texts) == 2 * len(schema.nodes) - 1


def test_falkordb_parameters_are_escaped_for_its_literal_splicing() -> None:
    assert falkordb_escape({"rows": [{"name": "a'b\\c", "n": 1}]}) == {"rows": [{"name": "a\\'b\\\\c", "n": 1}]}


def test_ladybug_tables_hold_every_endpoint_pair() -> None:
    texts = [s.text for s in dialect("ladybug").schema_statements(load_schema())]
    located = next(t for t in texts if t.startswith("CREATE REL TABLE `LOCATED_IN`"))
    assert "FROM `Enterprise` TO `Place`" in located and "FROM `Place` TO `Place`" in located
    assert "`evidence` STRING[]" in located
    assert "CREATE NODE TABLE `Article`(`id` STRING, `name` STRING, `aliases` STRING[]," in "\n".join(texts)


def test_results_look_the_same_from_every_store() -> None:
    ladybug_node = {"_ID": {"offset": 0, "table": 1}, "_LABEL": "Place", "id": "p", "name": "菏泽市", "kind": None}
    assert dialect("ladybug").plain(ladybug_node) == {"_labels": ["Place"], "id": "p", "name": "菏泽市"}
    ladybug_rel = {"_ID": {}, "_SRC": {}, "_DST": {}, "_LABEL": "LOCATED_IN", "id": "r"}
    assert dialect("ladybug").plain(ladybug_rel) == {"_type": "LOCATED_IN", "id": "r"}
