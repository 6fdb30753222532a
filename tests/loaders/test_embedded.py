"""The embedded LadybugDB store: built with COPY, swapped in atomically, opened read-only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import ContractError, QueryError, StoreError
from loaders.embedded import FINGERPRINT_FILE, STORE_FILE, read, refresh_store, store_path

COUNT_NODES = "MATCH (n) RETURN label(n) AS label, count(*) AS n ORDER BY label"
COUNT_EDGES = "MATCH ()-[r]->() RETURN label(r) AS type, count(*) AS n ORDER BY type"


def counted(build_dir: Path) -> tuple[list[list], list[list]]:
    return read(build_dir, COUNT_NODES).rows, read(build_dir, COUNT_EDGES).rows


def test_kg_build_makes_a_store_holding_the_whole_build(sample_dir: Path, build_counts) -> None:
    assert store_path(sample_dir).is_file()
    expected = build_counts(sample_dir)
    assert counted(sample_dir) == tuple([[k, v] for k, v in sorted(expected[part].items())] for part in ("nodes", "edges"))


def test_values_are_typed_and_provenance_is_kept(hand) -> None:
    folder = hand.build(
        [hand.node("j", "Project", "津药医疗", {"investment_yuan": 2_700_000_000, "investment_amount": 27.0,
                                               "investment_approx": False, "status": "started"},
                   aliases=["津药医疗项目"], mentions=[("004.txt", 384, 388), ("004.txt", 500, 504)]),
         hand.node("a", "Article", "开工", {"doc": "004.txt", "index": 3, "start": 300, "end": 900, "date": "2024-02-18"})],
        [hand.edge("m", "j", "a", "MENTIONED_IN", {"count": 2}, [("004.txt", 300, 320, "集中开工。")])])
    refresh_store(folder)
    row = read(folder, "MATCH (j:Project)-[m:MENTIONED_IN]->(a:Article) RETURN j.investment_yuan, j.investment_amount, "
                       "j.investment_approx, j.aliases, j.mentions, m.count, m.evidence, a.`index`, a.`end`, a.date").rows
    assert row == [[2_700_000_000, 27.0, False, ["津药医疗项目"],
                    ['{"doc":"004.txt","end":388,"start":384}', '{"doc":"004.txt","end":504,"start":500}'],
                    2, ['{"doc":"004.txt","end":320,"sentence":"集中开工。","start":300}'], 3, 900, "2024-02-18"]]


def test_a_failed_refresh_leaves_the_old_store(hand) -> None:
    folder = hand.build([hand.node("p", "Place", "菏泽市", {"kind": "city"})], [])
    refresh_store(folder)
    before = store_path(folder).read_bytes()
    with (folder / "edges.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "x", "source": "p", "target": "missing", "type": "LOCATED_IN", "props": {},
                                 "evidence": []}) + "\n")
    with pytest.raises(ContractError, match="missing"):
        refresh_store(folder)
    assert store_path(folder).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_a_refresh_killed_half_way_leaves_the_old_store_working(hand, tmp_path: Path) -> None:
    total = 8_000
    nodes = [hand.node(f"p{i}", "Place", f"地方{i}", {"kind": "town"}) for i in range(total)]
    edges = [hand.edge(f"l{i}", f"p{i}", f"p{i // 2}", "LOCATED_IN", {}) for i in range(1, total)]
    folder = hand.build(nodes, edges)
    old_nodes = hand.build([hand.node("p0", "Place", "旧", {})], [], name="old")
    refresh_store(old_nodes)
    for name in (STORE_FILE, FINGERPRINT_FILE):
        os.replace(old_nodes / name, folder / name)
    before = store_path(folder).read_bytes()
    script = "import sys; from loaders.embedded import refresh_store; refresh_store(sys.argv[1])"
    process = subprocess.Popen([sys.executable, "-c", script, str(folder)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.startswith(".store-staging-") for p in folder.iterdir()):
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert store_path(folder).read_bytes() == before
    refresh_store(folder)
    assert counted(folder) == ([["Place", total]], [["LOCATED_IN", total - 1]])
    assert not any(p.name.startswith(".store-staging-") for p in folder.iterdir())


def test_a_store_older_than_its_build_is_refused(hand) -> None:
    folder = hand.build([hand.node("p", "Place", "菏泽市", {})], [])
    refresh_store(folder)
    hand.build([hand.node("p", "Place", "菏泽市", {}), hand.node("q", "Place", "牡丹区", {})], [])
    assert store_path(folder).is_file()  # carried over by the new build
    with pytest.raises(StoreError, match="another version of this build"):
        read(folder, COUNT_NODES)
    refresh_store(folder)
    assert read(folder, COUNT_NODES).rows == [["Place", 2]]


def test_a_missing_store_says_how_to_make_it(hand) -> None:
    folder = hand.build([hand.node("p", "Place", "菏泽市", {})], [])
    with pytest.raises(StoreError, match="--embedded"):
        read(folder, COUNT_NODES)


def test_the_store_is_opened_read_only(sample_dir: Path) -> None:
    before = counted(sample_dir)
    with pytest.raises(QueryError, match="read-only"):
        read(sample_dir, "CREATE (:Place {id: 'new', name: 'x', aliases: [], mentions: []})")
    with pytest.raises(QueryError, match="read-only"):
        read(sample_dir, "MATCH (n:Place) SET n.name = 'x'")
    assert counted(sample_dir) == before


def test_a_slow_query_times_out(sample_dir: Path) -> None:
    slow = "UNWIND range(1, 30000) AS a UNWIND range(1, 30000) AS b WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*)"
    started = time.monotonic()
    with pytest.raises(QueryError, match="timed out after 0.5 s"):
        read(sample_dir, slow, timeout=0.5)
    assert time.monotonic() - started < 5


def test_kg_load_embedded_rebuilds_the_store(hand) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    folder = hand.build([hand.node("p", "Place", "菏泽市", {}), hand.node("q", "Place", "牡丹区", {})],
                        [hand.edge("l", "q", "p", "LOCATED_IN")])
    result = CliRunner().invoke(main, ["load", str(folder), "--embedded"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"embedded store {store_path(folder)}: 2 nodes, 1 relations in ")
    assert counted(folder) == ([["Place", 2]], [["LOCATED_IN", 1]])


def test_a_build_larger_than_one_write_batch_is_stored_whole(hand) -> None:
    # 4 501 firms and 4 500 relations: more than two of the store's Parquet batches (2 000 rows) in each table.
    firms = [hand.node(f"f{i}", "Enterprise", f"企业{i}", {"roles": ["supporting"]}) for i in range(4501)]
    supports = [hand.edge(f"s{i}", f"f{i}", "f4500", "SUPPORTS") for i in range(4500)]
    folder = hand.build(firms, supports)
    report = refresh_store(folder)
    assert (report.nodes, report.edges) == (4501, 4500)
    assert counted(folder) == ([["Enterprise", 4501]], [["SUPPORTS", 4500]])
    names = read(folder, "MATCH (f:Enterprise)-[:SUPPORTS]->(m:Enterprise) RETURN count(DISTINCT f.name), min(m.name)").rows
    assert names == [[4500, "企业4500"]]
