"""Benchmark: loading rows per second, batched against a per-row ``MERGE`` baseline measured in the same run.

Two stores, two builds:

* the embedded LadybugDB store: ``COPY`` from Parquet (``loaders.embedded.write_store``) against one
  ``MERGE`` statement per node and per relation;
* Bolt, through the official driver into a local FalkorDB server started here (the only Bolt server
  that installs on these machines): ``kg load``'s own code (column-oriented ``UNWIND`` batches capped
  at 3 500 bytes per request, since FalkorDB crashes on requests over ~4 KiB, sent one after another
  on one session) against one ``MERGE`` per row, each in a managed write transaction of its own
  (rows over the cap cut into pieces as the loader cuts them). The two run three times, interleaved,
  and the best of each counts (the machine is shared);
* the sample build (five pages) and a synthetic build (default 100 000 nodes, 200 000 relations).
  On the synthetic build the slow methods run on a prefix of it (``--baseline-rows``, and
  ``--bolt-rows`` for Bolt batches); rows per second are compared, which is what the ratio means.

As root with iproute2 the benchmark re-runs itself in a network namespace of its own, so the server
(whose Bolt port ignores ``--bind``) is unreachable from the network.

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
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ladybug
from common import ROOT, report, say

sys.path.insert(0, str(ROOT))  # tests.falkordb_server: the tests' server, in its own network namespace as root
from tests import falkordb_server  # noqa: E402

from kg.builder import build
from kg.schema import Schema, load_schema
from loaders.dialects import LadybugDialect, identifier
from loaders.batches import literal_size, request_size, split_row
from loaders.embedded import write_store
from loaders.neo4j import BoltSettings, BoltStore, edge_payload, ensure_schema, node_payload, plan, run_load
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
    """Seconds to load ``rows`` into the emptied Bolt graph with ``kg load``'s code (column-oriented
    ``UNWIND`` batches of at most ``batch_rows`` rows, capped at 3 500 bytes, on one session)."""
    from loaders.neo4j import LoadPlan

    store.write("MATCH (n) DETACH DELETE n", {})
    ensure_schema(store, schema)  # made once, outside the clock, as for the per-row baseline
    load = LoadPlan(rows, plan(rows, schema, batch_rows, CAP), schema)
    started = time.perf_counter()
    run_load(load, store)
    return time.perf_counter() - started


def _per_row_union(variable: str, name: str) -> str:
    stored = f"coalesce({variable}.{identifier(name)}, [])"
    return f"{variable}.{identifier(name)} = {stored} + [x IN row.lists.{identifier(name)} WHERE NOT x IN {stored}]"


def per_row_statements(schema: Schema) -> tuple[dict[str, str], dict[tuple[str, str, str], str]]:
    """The per-row ``MERGE`` of every label and relation end pair: one row map ``$rows = [row]``,
    ``SET += row.props`` and the list unions (the loader's statement before column batches)."""
    nodes, edges = {}, {}
    for label in schema.nodes:
        unions = ", ".join(_per_row_union("n", c) for c, t in node_columns(schema, label).items() if t == "string[]")
        nodes[label] = (f"UNWIND $rows AS row MERGE (n:{identifier(label)} {{id: row.id}}) SET n += row.props "
                        f"SET {unions} RETURN count(n) AS written")
    for rel_type, relation in schema.relations.items():
        unions = ", ".join(_per_row_union("r", c) for c, t in edge_columns(schema, rel_type).items() if t == "string[]")
        for head, tail in relation.endpoints:
            edges[(rel_type, head, tail)] = (
                f"UNWIND $rows AS row MATCH (a:{identifier(head)} {{id: row.source}}) MATCH (b:{identifier(tail)} "
                f"{{id: row.target}}) MERGE (a)-[r:{identifier(rel_type)} {{id: row.id}}]->(b) SET r += row.props "
                f"SET {unions} RETURN count(r) AS written")
    return nodes, edges


def bolt_per_row(store: BoltStore, rows: BuildRows, schema: Schema) -> float:
    """Seconds to load ``rows`` into the emptied Bolt graph with one ``MERGE`` per row, each in a
    managed write transaction of its own (what the loader did with ``--batch-size 1`` before)."""
    store.write("MATCH (n) DETACH DELETE n", {})
    ensure_schema(store, schema)
    nodes, edges = per_row_statements(schema)
    requests = [(nodes[label], node_payload(row)) for label, node_rows in rows.nodes.items() for row in node_rows]
    requests += [(edges[key], edge_payload(edge)) for key, edge_rows in rows.edges.items() for edge in edge_rows]
    started = time.perf_counter()
    for statement, payload in requests:
        for piece in row_map_pieces(statement, payload):
            store.write(statement, {"rows": [piece]})
    return time.perf_counter() - started


def row_map_pieces(statement: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """``payload`` cut (as the loader cuts rows) until each piece sent as ``$rows = [piece]`` fits the cap."""
    cap = CAP
    while True:
        pieces = split_row(payload, statement, cap) if request_size(statement, [payload]) > cap else [payload]
        if all(len(statement.encode()) + len("CYPHER rows= ") + literal_size([piece]) <= CAP for piece in pieces):
            return pieces
        cap -= 200


def measure_build(name: str, folder: Path, store: BoltStore, schema: Schema, work: Path, baseline_rows: int,
                  bolt_rows: int, repeats: int = 3) -> dict[str, Any]:
    """All four measurements on one build (the two Bolt ones ``repeats`` times, interleaved, best of
    each); returns rows per second and the ratios."""
    load_before = os.getloadavg()[0]
    rows = build_rows(folder, schema)
    total = rows.node_count + rows.edge_count
    copy_seconds = ladybug_copy(rows, schema, work)
    baseline = prefix(rows, baseline_rows)
    base_total = baseline.node_count + baseline.edge_count
    merge_seconds = ladybug_per_row(baseline, schema, Path(tempfile.mkdtemp(dir=work)))
    bolt_part = prefix(rows, bolt_rows)
    bolt_total = bolt_part.node_count + bolt_part.edge_count
    batched_runs, single_runs = [], []
    for _ in range(repeats):  # interleaved, best of each: the machine is shared
        batched_runs.append(bolt_load(store, bolt_part, schema, 10_000))
        single_runs.append(bolt_per_row(store, baseline, schema))
    batched_seconds, single_seconds = min(batched_runs), min(single_runs)
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
    figures["load_before"], figures["load_after"] = round(load_before, 2), round(os.getloadavg()[0], 2)
    figures["ladybug_copy_vs_per_row"] = round(figures["ladybug_copy_rows_per_s"] / figures["ladybug_per_row_merge_rows_per_s"], 1)
    figures["bolt_batched_vs_per_row"] = round(figures["bolt_batched_rows_per_s"] / figures["bolt_per_row_rows_per_s"], 1)
    say(f"{name}: {total} rows (load average {figures['load_before']} before, {figures['load_after']} after, on "
        f"{os.cpu_count()} cores)")
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
    if falkordb_server.namespaces_available() and not os.environ.get("KG_BENCH_NAMESPACE"):
        # the whole benchmark runs in a network namespace of its own, server and client side by side
        # on its loopback: nothing outside can reach the server, and no relay sits in the way
        namespace = falkordb_server.make_namespace()
        try:
            command = ["ip", "netns", "exec", namespace, "env", f"KG_BENCH_NAMESPACE={namespace}",
                       sys.executable, *sys.argv]
            sys.exit(subprocess.run(command, check=False).returncode)
        finally:
            subprocess.run(["ip", "netns", "delete", namespace], check=False, capture_output=True)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    server = falkordb_server.start(work, isolate=False)
    if os.environ.get("KG_BENCH_NAMESPACE"):
        say(f"(server and benchmark in the network namespace {os.environ['KG_BENCH_NAMESPACE']})")
    try:
        schema = load_schema()
        sample = work / "sample"
        build(ROOT / "samples" / "seeds", sample, store=False)
        synthetic = synthetic_build(work / "synthetic", args.nodes, args.edges)
        with BoltStore(BoltSettings(server.uri, dialect="falkordb")) as store:
            results = {
                "sample": measure_build("sample (5 pages)", sample, store, schema, work, args.baseline_rows, 10**9),
                "synthetic": measure_build(f"synthetic ({args.nodes} nodes, {args.edges} relations)", synthetic, store,
                                           schema, work, args.baseline_rows, args.bolt_rows),
            }
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    report("load", results)


if __name__ == "__main__":
    main()
