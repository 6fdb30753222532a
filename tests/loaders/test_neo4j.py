"""Loading over Bolt, through the official driver, into a real FalkorDB server.

FalkorDB crashes on requests over ~4 KiB, so every load here caps requests at 3 500 bytes —
exactly what ``--max-batch-bytes`` is for.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.builder import build
from kg.cli import main
from kg.errors import StoreError
from kg.graph import read_nodes
from loaders.batches import request_size
from loaders.dialects import clear_stalled_handshakes
from loaders.neo4j import BoltSettings, BoltStore, load_build, prepare_load

CAP = 3500
ROOT = Path(__file__).resolve().parents[2]
WEIRD = "O'Neil \"工业\" \\ {园} }\n第二行"


def nonzero(counted: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {kind: {k: v for k, v in values.items() if v} for kind, values in counted.items()}


def test_every_request_of_the_sample_fits_the_cap(sample_dir: Path) -> None:
    plan = prepare_load(sample_dir, 10_000, CAP)
    sizes = [request_size(batch.statement, batch.rows, batch.columns) for batch in plan.batches]
    assert max(sizes) <= CAP
    pieces = sum(len(batch.rows) for batch in plan.batches)
    assert pieces >= plan.rows.node_count + plan.rows.edge_count  # big rows were cut, nothing dropped


def test_sample_loads_with_the_counts_of_the_build(empty_bolt: BoltStore, sample_dir: Path, build_counts) -> None:
    report = load_build(sample_dir, empty_bolt, max_batch_bytes=CAP)
    expected = build_counts(sample_dir)
    assert nonzero(empty_bolt.counts()) == expected
    assert (report.nodes, report.edges) == (sum(expected["nodes"].values()), sum(expected["edges"].values()))


def test_loading_three_times_changes_nothing(empty_bolt: BoltStore, sample_dir: Path, graph_state) -> None:
    load_build(sample_dir, empty_bolt, max_batch_bytes=CAP)
    once = graph_state(empty_bolt)
    for _ in range(2):
        load_build(sample_dir, empty_bolt, max_batch_bytes=CAP)
    assert graph_state(empty_bolt) == once
    biggest = max(read_nodes(sample_dir), key=lambda r: len(r["mentions"]))
    stored = empty_bolt.read("MATCH (n {id: $id}) RETURN n.mentions AS m", {"id": biggest["id"]}).rows[0][0]
    assert len(stored) == len(set(stored)) == len({json.dumps(m, sort_keys=True) for m in biggest["mentions"]})


def test_a_long_row_is_split_and_arrives_whole(empty_bolt: BoltStore, hand) -> None:
    mentions = [("长文档.txt", i * 10, i * 10 + 3) for i in range(120)]
    folder = hand.build([hand.node("p", "Place", "菏泽市", {"kind": "city"}, aliases=[f"别名{i}" for i in range(40)],
                                   mentions=mentions)], [])
    report = load_build(folder, empty_bolt, max_batch_bytes=CAP)
    assert report.batches > 1
    stored = empty_bolt.read("MATCH (n:Place {id: 'p'}) RETURN n.aliases AS a, n.mentions AS m, n.kind AS k").rows[0]
    assert stored[0] == [f"别名{i}" for i in range(40)]
    assert stored[1] == [json.dumps({"doc": d, "end": e, "start": s}, ensure_ascii=False, separators=(",", ":"))
                         for d, s, e in mentions]
    assert stored[2] == "city"


def test_a_later_build_merges_into_the_graph(empty_bolt: BoltStore, hand) -> None:
    first = hand.build(
        [hand.node("e", "Enterprise", "英搏尔电气", {"roles": ["chain_master"]}, aliases=["英搏尔"], mentions=[("p1.txt", 5, 10)]),
         hand.node("c", "Chain", "新能源汽车", {})],
        [hand.edge("r", "e", "c", "CHAIN_MASTER_OF", {"inferred": True}, [("p1.txt", 0, 20, "英搏尔电气为链主。")])],
        name="first")
    later = hand.build(
        [hand.node("e", "Enterprise", "珠海英搏尔电气股份有限公司", {"roles": ["chain_master", "leading"], "stock_code": "300681"},
                   aliases=["英搏尔电气", "英搏尔"], mentions=[("p4.txt", 1, 4), ("p1.txt", 5, 10)]),
         hand.node("c", "Chain", "新能源汽车", {})],
        [hand.edge("r", "e", "c", "CHAIN_MASTER_OF", {}, [("p4.txt", 0, 8, "链主企业英搏尔。"), ("p1.txt", 0, 20, "英搏尔电气为链主。")])],
        name="later")
    load_build(first, empty_bolt, max_batch_bytes=CAP)
    load_build(later, empty_bolt, max_batch_bytes=CAP)
    row = empty_bolt.read("MATCH (e:Enterprise {id: 'e'})-[r:CHAIN_MASTER_OF]->(:Chain) "
                          "RETURN e.name, e.aliases, e.roles, e.stock_code, e.mentions, r.inferred, r.evidence").rows[0]
    assert row[0] == "珠海英搏尔电气股份有限公司"
    assert row[1] == ["英搏尔", "英搏尔电气"]
    assert row[2] == ["chain_master", "leading"]
    assert row[3] == "300681"
    assert row[4] == ['{"doc":"p1.txt","end":10,"start":5}', '{"doc":"p4.txt","end":4,"start":1}']
    assert row[5] is True  # the later build says nothing about it, so it stays
    assert [json.loads(item)["sentence"] for item in row[6]] == ["英搏尔电气为链主。", "链主企业英搏尔。"]
    assert empty_bolt.counts()["edges"]["CHAIN_MASTER_OF"] == 1


def test_a_row_without_a_value_its_batch_sends_keeps_the_stored_one(empty_bolt: BoltStore, hand) -> None:
    """Columns travel per batch: where one row of a batch has a property and another has not, the other's null
    keeps what the graph holds."""
    first = hand.build([hand.node("a", "Place", "甲镇", {"kind": "town"}), hand.node("b", "Place", "乙镇", {"kind": "town"})],
                       [], name="first")
    later = hand.build([hand.node("a", "Place", "甲街道", {"kind": "street"}), hand.node("b", "Place", "乙镇", {})], [], name="later")
    load_build(first, empty_bolt, max_batch_bytes=CAP)
    load_build(later, empty_bolt, max_batch_bytes=CAP)
    assert empty_bolt.read("MATCH (p:Place) RETURN p.id, p.name, p.kind ORDER BY p.id").rows == [
        ["a", "甲街道", "street"], ["b", "乙镇", "town"]]


def test_names_with_quotes_braces_backslashes_and_newlines_round_trip(empty_bolt: BoltStore, hand) -> None:
    folder = hand.build(
        [hand.node("w", "Organization", WEIRD, {"kind": "other"}, aliases=[WEIRD + "'", "\\n is not a newline"]),
         hand.node("p", "Place", "菏泽市", {"kind": "city"})],
        [hand.edge("l", "w", "p", "LOCATED_IN", {"basis": "text"}, [("a'b\".txt", 0, 3, WEIRD)])])
    load_build(folder, empty_bolt, max_batch_bytes=CAP)
    load_build(folder, empty_bolt, max_batch_bytes=CAP)
    row = empty_bolt.read("MATCH (o:Organization)-[r:LOCATED_IN]->(p) WHERE o.name = $name OR $name IN o.aliases "
                          "RETURN o.name, o.aliases, r.evidence", {"name": WEIRD}).rows
    assert row == [[WEIRD, [WEIRD + "'", "\\n is not a newline"],
                    [json.dumps({"doc": "a'b\".txt", "end": 3, "sentence": WEIRD, "start": 0},
                                ensure_ascii=False, separators=(",", ":"), sort_keys=True)]]]


def test_replace_clears_the_graph_first(empty_bolt: BoltStore, hand) -> None:
    old = hand.build([hand.node("x", "Place", "旧地方", {})], [], name="old")
    new = hand.build([hand.node("y", "Place", "新地方", {})], [], name="new")
    load_build(old, empty_bolt, max_batch_bytes=CAP)
    report = load_build(new, empty_bolt, max_batch_bytes=CAP, replace=True)
    assert report.deleted == 1
    assert empty_bolt.read("MATCH (n:Place) RETURN n.name").rows == [["新地方"]]


PROVENANCE_VIEW = {
    "nodes": "MATCH (n) RETURN labels(n)[0], n.id, n.name, n.aliases, n.mentions",
    "edges": "MATCH (a)-[r]->(b) RETURN type(r), r.id, a.id, b.id, r.evidence",
}


def provenance_view(store: BoltStore) -> dict[str, list[tuple]]:
    """Every node and relation with its id, ends, name, aliases and provenance (lists as sets)."""
    return {kind: sorted(tuple(sorted(v) if isinstance(v, list) else v for v in row) for row in store.read(query).rows)
            for kind, query in PROVENANCE_VIEW.items()}


def test_pages_one_to_three_then_four_and_five_equal_all_five(empty_bolt: BoltStore, sample_dir: Path,
                                                               tmp_path: Path) -> None:
    """Same nodes, relations, names, aliases, mentions and evidence. Other properties are left out on
    purpose: resolution across pages may add to them (a title read on another page), which is the
    extraction's business, not the loader's."""
    pages = sorted((ROOT / "samples" / "seeds").glob("*.txt"))
    assert len(pages) == 5
    for name, chosen in (("first", pages[:3]), ("rest", pages[3:])):
        corpus = tmp_path / f"{name}-pages"
        corpus.mkdir()
        for page in chosen:
            (corpus / page.name).write_bytes(page.read_bytes())
        build(corpus, tmp_path / name, store=False)
    load_build(tmp_path / "first", empty_bolt, max_batch_bytes=CAP)
    load_build(tmp_path / "rest", empty_bolt, max_batch_bytes=CAP)
    in_two = provenance_view(empty_bolt)
    empty_bolt.write("MATCH (n) DETACH DELETE n", {})
    load_build(sample_dir, empty_bolt, max_batch_bytes=CAP)
    at_once = provenance_view(empty_bolt)
    assert [n[:2] for n in in_two["nodes"]] == [n[:2] for n in at_once["nodes"]]
    assert [e[:4] for e in in_two["edges"]] == [e[:4] for e in at_once["edges"]]
    assert in_two == at_once


def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_server_down_is_one_clear_error(sample_dir: Path) -> None:
    uri = f"bolt://127.0.0.1:{unused_port()}"
    with pytest.raises(StoreError, match="not reachable"):
        BoltStore(BoltSettings(uri, dialect="falkordb"))
    result = CliRunner().invoke(main, ["load", str(sample_dir), "--uri", uri, "--dialect", "falkordb"])
    assert result.exit_code == StoreError.exit_code
    assert result.output.count("\n") == 1 and result.output.startswith("kg: error: cannot connect to")
    assert "loaded" not in result.output


def test_refused_credentials_never_show_the_password(falkordb, sample_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    password = "Pw-7f3c'9\"}"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as raised:
        BoltStore(falkordb.settings(user="analyst", password=password))
    assert "check the address, user and password" in str(raised.value)
    env = {"NEO4J_URI": falkordb.uri, "NEO4J_USERNAME": "analyst", "NEO4J_PASSWORD": password, "KG_BOLT_DIALECT": "falkordb"}
    result = CliRunner().invoke(main, ["-v", "load", str(sample_dir)], env=env)
    assert result.exit_code == StoreError.exit_code
    assert result.output.startswith("kg: error: cannot open a session on")
    assert password not in result.output and password not in str(raised.value)
    assert password not in caplog.text
    assert "connecting to" in caplog.text  # the log was captured, and it holds no password


def test_cli_load_takes_the_server_from_the_environment(falkordb, empty_bolt: BoltStore, sample_dir: Path, build_counts) -> None:
    """No --max-batch-bytes: the FalkorDB dialect's own cap keeps the server alive (the sample has a row over 3.5 kB)."""
    env = {"NEO4J_URI": falkordb.uri, "KG_BOLT_DIALECT": "falkordb"}
    result = CliRunner().invoke(main, ["load", str(sample_dir), "--batch-size", "50"], env=env)
    assert result.exit_code == 0, result.output
    expected = build_counts(sample_dir)
    assert result.output.startswith(f"loaded {sample_dir} into {falkordb.uri}: {sum(expected['nodes'].values())} nodes")
    assert nonzero(empty_bolt.counts()) == expected


def test_a_load_killed_half_way_then_run_again_converges(falkordb, empty_bolt: BoltStore, hand, graph_state) -> None:
    total = 2000
    places = [hand.node(f"p{i:05d}", "Place", f"地方{i}", {"kind": "town"}) for i in range(total)]
    parents = [hand.edge(f"l{i:05d}", f"p{i:05d}", f"p{i // 10:05d}", "LOCATED_IN", {"basis": "text"}) for i in range(10, total)]
    folder = hand.build(places, parents)
    command = [sys.executable, "-c", "from kg.cli import main; main()", "load", str(folder), "--uri", falkordb.uri,
               "--dialect", "falkordb", "--batch-size", "25", "--max-batch-bytes", str(CAP), "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    written = 0
    while time.monotonic() < deadline and process.poll() is None:
        written = empty_bolt.read("MATCH (n:Place) RETURN count(n)").rows[0][0]
        if written >= total // 3:
            os.kill(process.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stdout.read() if process.stdout else ""
    half = empty_bolt.counts()
    assert 0 < half["nodes"]["Place"] + half["edges"]["LOCATED_IN"] < total + len(parents)
    rerun = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    converged = graph_state(empty_bolt)
    empty_bolt.write("MATCH (n) DETACH DELETE n", {})
    load_build(folder, empty_bolt, max_batch_bytes=CAP)
    uninterrupted = graph_state(empty_bolt)
    assert len(converged["nodes"]) == total and len(converged["edges"]) == len(parents)
    assert converged == uninterrupted


def test_a_closed_store_leaves_the_next_handshake_answered(falkordb) -> None:
    """FalkorDB swallows the handshake of the next client after one that said GOODBYE (the cause of the
    flaky "Failed to read four byte Bolt handshake response"); the store closes without it."""
    host, port = "127.0.0.1", int(falkordb.uri.rsplit(":", 1)[1])
    for _ in range(3):
        with BoltStore(falkordb.settings()) as store:
            assert store.read("RETURN 1 AS one").rows == [[1]]
        assert clear_stalled_handshakes(host, port, 1.0) == 0


def test_connects_stay_fast_however_clients_come_and_go(falkordb) -> None:
    worst = 0.0
    for _ in range(12):
        started = time.perf_counter()
        with BoltStore(falkordb.settings()) as outer:
            with BoltStore(falkordb.settings()) as inner:
                inner.read("RETURN 2")
            outer.read("RETURN 3")
        worst = max(worst, time.perf_counter() - started)
    assert worst < 3.0  # a swallowed handshake costs the 5 s connection timeout


def test_the_neo4j_dialect_pointed_at_falkordb_fails_at_once_naming_the_flag(falkordb, sample_dir: Path) -> None:
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["load", str(sample_dir), "--uri", falkordb.uri], env={"KG_BOLT_DIALECT": None})
    assert result.exit_code == StoreError.exit_code, result.output
    assert result.output == (f"kg: error: {falkordb.uri} is a FalkorDB server, not Neo4j: add --dialect falkordb "
                             "(or set KG_BOLT_DIALECT=falkordb)\n")
    assert time.perf_counter() - started < 10


def _addresses() -> list[str]:
    listed = subprocess.run(["ip", "-o", "-4", "addr", "show"], check=True, capture_output=True, text=True).stdout
    return [line.split()[3].split("/")[0] for line in listed.splitlines() if " lo " not in line]


def test_the_test_server_is_unreachable_from_the_network(falkordb) -> None:
    server = falkordb.server
    if not server.isolated:
        pytest.skip("the server runs without a network namespace (needs root and iproute2's ip)")
    assert os.readlink(f"/proc/{server.pid}/ns/net") != os.readlink("/proc/self/ns/net")
    links = subprocess.run(["ip", "-n", server.namespace, "-o", "link", "show"], check=True, capture_output=True, text=True).stdout
    assert [line.split(":")[1].strip() for line in links.splitlines()] == ["lo"]
    assert server.relay is not None and server.relay.listener.getsockname()[0] == "127.0.0.1"
    for address in _addresses():
        for port in (server.bolt_port, server.server_bolt_port, server.redis_port):
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=1).close()
