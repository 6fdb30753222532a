"""kg/queries.py and ``kg query``: the catalogue, parameters, the read-only rule, output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.queries import adhoc_params, bind, catalogue, check_read_only, format_result, named, parse_query_file
from loaders import QueryResult
from loaders.embedded import refresh_store
from loaders.neo4j import BoltStore, load_build

WEIRD = "镇'\"\\}\n名"


@pytest.fixture
def small(hand, empty_bolt: BoltStore) -> Path:
    """Two places, one inside the other, one of them with an awkward name: in both stores."""
    folder = hand.build([hand.node("a", "Place", "牡丹区", {"kind": "district"}, aliases=["牡丹"]),
                         hand.node("b", "Place", WEIRD, {"kind": "town"}),
                         hand.node("c", "Chain", "生物医药", {})],
                        [hand.edge("l", "b", "a", "LOCATED_IN"), hand.edge("d", "b", "c", "DEVELOPS", {"tier": "核心"})])
    refresh_store(folder)
    load_build(folder, empty_bolt, max_batch_bytes=3500)
    return folder


def test_every_query_file_has_a_full_header() -> None:
    for query in catalogue().values():
        assert query.answers and query.examples, query.name
        assert query.examples[0].startswith(f"kg query {query.name} ")
        assert not query.text.startswith("//")
        for param in query.params:
            assert param.help, (query.name, param.name)


def test_variants_are_picked_by_dialect() -> None:
    query = named("relation_evidence")
    assert "type(r)" in query.text_for("neo4j") and query.text_for("neo4j") == query.text_for("falkordb")
    assert "label(r)" in query.text_for("ladybug")
    assert named("place_chains").text_for("ladybug") == named("place_chains").text


def test_a_malformed_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.cypher"
    path.write_text("// name: broken\n// answers: x\n// param: n (integer) how many\nRETURN $n\n", encoding="utf-8")
    with pytest.raises(QueryError, match="cannot read `// param: n"):
        parse_query_file(path)
    path.write_text("// name: other\n// answers: x\nRETURN 1\n", encoding="utf-8")
    with pytest.raises(QueryError, match="must start with `// name: broken`"):
        parse_query_file(path)


def test_parameters_are_typed_defaulted_and_checked() -> None:
    query = named("project_investment")
    assert bind(query, {"min_yuan": "100"}) == {"chain": "", "place": "", "min_yuan": 100}
    with pytest.raises(QueryError, match="not a valid int"):
        bind(query, {"min_yuan": "1e9"})
    with pytest.raises(QueryError, match="has no parameter 'year'"):
        bind(query, {"year": "2024"})
    with pytest.raises(QueryError, match="needs --param enterprise="):
        bind(named("enterprise_neighbourhood"), {})
    assert adhoc_params({"a": "007", "b": "x=1", "c": "null", "d": "5"}) == {"a": "007", "b": "x=1", "c": "null", "d": 5}


@pytest.mark.parametrize("text", [
    "CREATE (n:Place {id: 'x'})", "MATCH (n) DETACH DELETE n", "MATCH (n) SET n.name = 'x'", "MERGE (n:Place {id: 'x'})",
    "MATCH (n) REMOVE n.name", "MATCH (n) WITH n LIMIT 1 FOREACH (x IN [1] | SET n.a = x)", "LOAD CSV FROM 'f' AS r RETURN r",
    "match (n) /* a comment */ delete n", "DROP INDEX x", "INSTALL json",
])
def test_writes_are_refused_before_they_are_sent(text: str) -> None:
    for dialect in ("neo4j", "falkordb", "ladybug"):
        with pytest.raises(QueryError, match="read-only"):
            check_read_only(text, dialect)


def test_reads_that_merely_mention_write_words_pass() -> None:
    check_read_only("MATCH (n:Place) WHERE n.name = 'CREATE; DELETE' RETURN n.set AS `merge`, {create: 1} // SET", "falkordb")
    check_read_only("CALL db.labels()", "neo4j")
    with pytest.raises(QueryError, match="CALL"):
        check_read_only("CALL db.idx.fulltext.createNodeIndex('Place', 'name')", "falkordb")


def test_formats() -> None:
    result = QueryResult(["name", "aliases", "n", "ok"], [["牡丹区", ["牡丹", "a,b"], 3, True], [WEIRD, [], None, False]])
    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["name", "aliases", "n", "ok"] and table[-1] == "(2 rows)"
    assert table[2] == "牡丹区     牡丹, a,b  3  true"  # CJK characters are two columns wide
    assert table[3] == "镇'\"\\} 名" + " " * 16 + "false"  # a newline inside a value is shown as a space
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows == [["name", "aliases", "n", "ok"], ["牡丹区", '["牡丹", "a,b"]', "3", "true"], [WEIRD, "[]", "", "false"]]
    assert json.loads(format_result(result, "json")) == [{"name": "牡丹区", "aliases": ["牡丹", "a,b"], "n": 3, "ok": True},
                                                         {"name": WEIRD, "aliases": [], "n": None, "ok": False}]


def test_kg_query_runs_a_named_query_on_the_embedded_store(small: Path) -> None:
    result = CliRunner().invoke(main, ["query", "place_contents", "--build", str(small), "--param", "place=牡丹",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["place"], r["within"], r["label"], r["name"]) for r in rows] == [("牡丹区", "牡丹区", "Place", WEIRD)]


def test_kg_query_runs_on_the_bolt_server_with_a_uri(small: Path, falkordb) -> None:
    args = ["query", "place_chains", "--uri", falkordb.uri, "--dialect", "falkordb", "--param", f"place={WEIRD}", "--format", "csv"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.output)))[1][:3] == [WEIRD, "生物医药", "核心"]


def test_kg_query_runs_an_adhoc_read_with_parameters(small: Path, falkordb) -> None:
    text = "MATCH (p:Place) WHERE p.name = $name RETURN p.kind AS kind"
    for where in (["--build", str(small)], ["--uri", falkordb.uri, "--dialect", "falkordb"]):
        result = CliRunner().invoke(main, ["query", "--cypher", text, "--param", f"name={WEIRD}", "--format", "json", *where])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == [{"kind": "town"}]


def test_kg_query_refuses_a_write_and_the_graph_is_unchanged(small: Path, falkordb, bolt: BoltStore) -> None:
    before = bolt.counts()
    for where in (["--build", str(small)], ["--uri", falkordb.uri, "--dialect", "falkordb"]):
        for text in ("CREATE (:Place {id: 'new', name: 'x'})", "MATCH (n) DETACH DELETE n"):
            result = CliRunner().invoke(main, ["query", "--cypher", text, *where])
            assert result.exit_code == QueryError.exit_code
            assert result.output == f"kg: error: kg query runs read-only queries; this one contains {text.split()[0].upper() if text.startswith('CREATE') else 'DETACH'}\n"
    assert bolt.counts() == before
    embedded_count = CliRunner().invoke(main, ["query", "--cypher", "MATCH (n) RETURN count(n) AS n", "--build", str(small),
                                              "--format", "json"])
    assert json.loads(embedded_count.output) == [{"n": 3}]


def test_kg_query_errors_are_one_line(small: Path) -> None:
    cases = [
        (["query", "nope", "--build", str(small)], "kg: error: no named query 'nope'"),
        (["query", "place_contents", "--build", str(small)], "kg: error: place_contents needs --param place="),
        (["query", "place_chains", "--build", str(small), "--param", "city=x"], "kg: error: place_chains has no parameter 'city'"),
        (["query", "--cypher", "MATCH (n RETURN n", "--build", str(small)], "kg: error: the embedded store rejected the query"),
        (["query", "--build", str(small), "--timeout", "0.3", "--cypher",
          "UNWIND range(1, 30000) AS a UNWIND range(1, 30000) AS b WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*)"],
         "kg: error: the query timed out after 0.3 s"),
        (["query", "--build", str(small), "--timeout", "0.000001", "--cypher",  # below the store's 1 ms grain
          "UNWIND range(1, 30000) AS a UNWIND range(1, 30000) AS b WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*)"],
         "kg: error: the query timed out after 1e-06 s"),
        (["query", "--cypher", "CALL db.labels()", "--build", str(small)], "kg: error: the embedded store rejected the query"),
    ]
    for args, start in cases:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == QueryError.exit_code, result.output
        assert result.output.startswith(start) and result.output.count("\n") == 1, result.output


def test_kg_query_without_a_name_lists_the_catalogue() -> None:
    result = CliRunner().invoke(main, ["query"])
    assert result.exit_code == 0
    for name, query in catalogue().items():
        assert f"{name}(" in result.output and query.answers in result.output


def test_result_ids_are_the_build_ids_a_query_returns(small: Path) -> None:
    from kg.queries import result_ids

    assert result_ids(small, "place_chains", {"place": WEIRD}) == (["b", "c"], [])
    assert result_ids(small, "relation_evidence", {"source": WEIRD, "relation": "LOCATED_IN"}) == (["b", "a"], ["l"])


def test_embedded_column_titles_hide_the_store_internals(small: Path) -> None:
    result = CliRunner().invoke(main, ["query", "--cypher", "MATCH (n) RETURN count(n), count(*)", "--build", str(small),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["COUNT(n),COUNT(*)", "3,3"]


def test_a_procedure_the_embedded_store_lacks_gets_a_hint(small: Path) -> None:
    result = CliRunner().invoke(main, ["query", "--cypher", "CALL db.labels()", "--build", str(small)])
    assert result.exit_code == QueryError.exit_code
    assert "CALL show_tables() RETURN *" in result.output
