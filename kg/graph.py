"""Graph assembly, stable ids, schema validation and the build-directory contract.

A build directory holds ``nodes.jsonl``, ``edges.jsonl``, ``graph.graphml`` and
``summary.json``. Ids are derived from the label (or type) and a canonical key,
never from positions, so rebuilding the same corpus yields the same ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ContractError, SchemaError
from kg.model import Edge, Entity
from kg.schema import Schema, load_schema

NODES_FILE = "nodes.jsonl"
EDGES_FILE = "edges.jsonl"
GRAPHML_FILE = "graph.graphml"
SUMMARY_FILE = "summary.json"
CONTRACT_FILES = (NODES_FILE, EDGES_FILE, GRAPHML_FILE, SUMMARY_FILE)


def stable_id(*parts: str) -> str:
    """``sha1`` of the parts joined by a separator, first 16 hex digits.

    Examples
    --------
    >>> stable_id("Place", "371702") == stable_id("Place", "371702")
    True
    >>> len(stable_id("Chain", "生物医药"))
    16
    """
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def node_id(label: str, key: str) -> str:
    """Id of the node with ``label`` and canonical ``key``."""
    return stable_id(label, key)


def edge_id(rel_type: str, source: str, target: str, discriminator: str = "") -> str:
    """Id of a relation; ``discriminator`` separates parallel edges (two titles, say)."""
    return stable_id(rel_type, source, target, discriminator)


def assemble(entities: Iterable[Entity], edges: Iterable[Edge], schema: Schema | None = None) -> nx.MultiDiGraph:
    """Build the in-memory graph, rejecting anything the schema does not allow.

    Raises
    ------
    SchemaError
        For an unknown label, an unknown relation type, an edge between labels
        the schema does not pair, or an edge to a missing node.
    """
    schema = schema or load_schema()
    graph = nx.MultiDiGraph()
    for entity in entities:
        schema.check_node(entity.label)
        graph.add_node(
            entity.id,
            label=entity.label,
            name=entity.name,
            aliases=entity.aliases,
            props=entity.props,
            mentions=entity.mentions,
        )
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in graph:
                raise SchemaError(f"{edge.type} edge {edge.id} points to a missing node {end}")
        schema.check_edge(edge.type, graph.nodes[edge.source]["label"], graph.nodes[edge.target]["label"])
        graph.add_edge(edge.source, edge.target, key=edge.id, type=edge.type, props=edge.props, evidence=edge.evidence)
    return graph


def node_record(node: str, data: dict[str, Any]) -> dict[str, Any]:
    """The ``nodes.jsonl`` record of a graph node."""
    return {
        "id": node,
        "label": data["label"],
        "name": data["name"],
        "aliases": data["aliases"],
        "props": data["props"],
        "mentions": data["mentions"],
    }


def edge_record(source: str, target: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """The ``edges.jsonl`` record of a graph edge."""
    return {
        "id": key,
        "source": source,
        "target": target,
        "type": data["type"],
        "props": data["props"],
        "evidence": data["evidence"],
    }


_XML_SPECIAL = re.compile("[&<>\"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_TABLE = {**{code: None for code in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)},
              ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
_GRAPHML_TYPES = {"string": "string", "string[]": "string", "long": "long", "double": "double", "boolean": "boolean"}
_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _xml(value: str) -> str:
    """Text safe inside an XML element or attribute (characters XML 1.0 forbids are dropped).

    Examples
    --------
    >>> _xml('A&B <"链">\x01')
    'A&amp;B &lt;&quot;链&quot;&gt;'
    """
    return value if _XML_SPECIAL.search(value) is None else value.translate(_XML_TABLE)


def _graphml_keys(schema: Schema) -> tuple[dict[str, str], dict[str, str]]:
    """GraphML attribute types of nodes and edges, from the schema (a name typed two ways becomes a string)."""

    def merge(into: dict[str, str], properties: dict[str, str]) -> None:
        for name, type_name in properties.items():
            graphml = _GRAPHML_TYPES[type_name]
            into[name] = graphml if into.get(name, graphml) == graphml else "string"

    nodes = {"label": "string", "name": "string", "aliases": "string", "mention_count": "long"}
    for node_type in schema.nodes.values():
        merge(nodes, node_type.properties)
    edges = {"type": "string", "evidence_count": "long", "sentence": "string"}
    for relation in schema.relations.values():
        merge(edges, relation.properties)
    return nodes, edges


def _graphml_value(value: Any, type_name: str, where: str) -> str:
    """A property value as GraphML text of the declared type; lists become JSON text."""
    try:
        if type_name == "long":
            return str(int(value))
        if type_name == "double":
            return repr(float(value))
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"{where}: {value!r} is not a {type_name}") from exc
    if type_name == "boolean":
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return _JSON(value)
    return str(value)


class BuildWriter:
    """A build directory written from streams of nodes and edges, then swapped in atomically.

    Records go straight to ``nodes.jsonl``, ``edges.jsonl`` and ``graph.graphml``
    in a sibling staging folder, so memory does not grow with the graph. Every
    node must come before the edges; each is checked against the schema (only
    the id and label of a node are kept, for the endpoint checks). Nothing
    replaces ``out_dir`` until :meth:`commit`; leaving the ``with`` block
    without it (an error, an interrupt) removes the staging folder and keeps
    the previous build.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "build"
    >>> with BuildWriter(out) as writer:
    ...     writer.add_node(Entity("p1", "Place", "牟平区", [], {"kind": "district"}, []))
    ...     writer.add_node(Entity("p2", "Place", "烟台市", [], {"kind": "city"}, []))
    ...     writer.add_edge(Edge("e1", "p1", "p2", "LOCATED_IN", {"basis": "admin_code"}, []))
    ...     writer.commit({"documents": 0})
    >>> sorted(path.name for path in out.iterdir())
    ['edges.jsonl', 'graph.graphml', 'nodes.jsonl', 'summary.json']
    >>> writer.counts()["edges"]
    {'LOCATED_IN': 1}
    """

    def __init__(self, out_dir: Path, schema: Schema | None = None) -> None:
        self.out_dir = Path(out_dir).resolve()
        self.schema = schema or load_schema()
        self._node_types, self._edge_types = _graphml_keys(self.schema)
        self._labels: dict[str, str] = {}
        self._node_counts: Counter[str] = Counter()
        self._edge_counts: Counter[str] = Counter()
        self._staging: Path | None = None
        self._files: list[Any] = []
        self._committed = False
        self._allowed: set[tuple[str, str, str]] = set()
        self._open_tags = {scope: {name: f'      <data key="{scope}_{name}">' for name in types}
                           for scope, types in (("n", self._node_types), ("e", self._edge_types))}

    def __enter__(self) -> BuildWriter:
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.", dir=self.out_dir.parent))
        self._nodes, self._edges, self._graphml = self._files = [
            (self._staging / name).open("w", encoding="utf-8", buffering=1 << 20) for name in (NODES_FILE, EDGES_FILE, GRAPHML_FILE)
        ]
        self._graphml.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for scope, types in (("node", self._node_types), ("edge", self._edge_types)):
            for name, type_name in types.items():
                self._graphml.write(f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="{type_name}"/>\n')
        self._graphml.write('  <graph edgedefault="directed">\n')
        return self

    def __exit__(self, *exc_info: object) -> None:
        for handle in self._files:
            handle.close()
        if not self._committed and self._staging is not None and self._staging.exists():
            shutil.rmtree(self._staging, ignore_errors=True)

    def _data(self, scope: str, name: str, value: Any) -> str:
        type_name = (self._node_types if scope == "n" else self._edge_types).get(name)
        if type_name is None:
            raise SchemaError(f"property {name!r} is not in the schema")
        text = value if type_name == "string" and value.__class__ is str else _graphml_value(value, type_name, name)
        return f"{self._open_tags[scope][name]}{_xml(text)}</data>\n"

    def add_node(self, entity: Entity) -> None:
        """Write one node.

        Raises
        ------
        SchemaError
            For an unknown label, a repeated id or a property value of the wrong type.
        """
        self.schema.check_node(entity.label)
        if entity.id in self._labels:
            raise SchemaError(f"node id {entity.id} written twice")
        try:
            parts = [f'    <node id="{_xml(entity.id)}">\n', self._data("n", "label", entity.label), self._data("n", "name", entity.name),
                     self._data("n", "aliases", entity.aliases)]
            parts.extend(self._data("n", key, value) for key, value in entity.props.items() if value is not None)
        except SchemaError as exc:
            raise SchemaError(f"{entity.label} {entity.id}: {exc}") from exc
        parts.append(self._data("n", "mention_count", len(entity.mentions)))
        parts.append("    </node>\n")
        self._labels[entity.id] = entity.label
        self._node_counts[entity.label] += 1
        record = {"id": entity.id, "label": entity.label, "name": entity.name, "aliases": entity.aliases,
                  "props": entity.props, "mentions": entity.mentions}
        self._nodes.write(_JSON(record) + "\n")
        self._graphml.write("".join(parts))

    def add_edge(self, edge: Edge) -> None:
        """Write one edge (after every node).

        Raises
        ------
        SchemaError
            For an unknown type, a missing endpoint, endpoints the schema does
            not pair, or a property value of the wrong type.
        """
        labels = self._labels
        for end in (edge.source, edge.target):
            if end not in labels:
                raise SchemaError(f"{edge.type} edge {edge.id} points to a missing node {end}")
        pair = (edge.type, labels[edge.source], labels[edge.target])
        if pair not in self._allowed:
            self.schema.check_edge(*pair)
            self._allowed.add(pair)
        try:
            parts = [f'    <edge id="{_xml(edge.id)}" source="{_xml(edge.source)}" target="{_xml(edge.target)}">\n',
                     self._data("e", "type", edge.type), self._data("e", "evidence_count", len(edge.evidence))]
            parts.extend(self._data("e", key, value) for key, value in edge.props.items() if value is not None)
            if edge.evidence:
                parts.append(self._data("e", "sentence", edge.evidence[0]["sentence"]))
        except SchemaError as exc:
            raise SchemaError(f"{edge.type} {edge.id}: {exc}") from exc
        parts.append("    </edge>\n")
        self._edge_counts[edge.type] += 1
        record = {"id": edge.id, "source": edge.source, "target": edge.target, "type": edge.type, "props": edge.props,
                  "evidence": edge.evidence}
        self._edges.write(_JSON(record) + "\n")
        self._graphml.write("".join(parts))

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts per label and edge counts per type written so far."""
        return {"nodes": dict(sorted(self._node_counts.items())), "edges": dict(sorted(self._edge_counts.items()))}

    def commit(self, summary: dict[str, Any]) -> None:
        """Write ``summary.json`` and replace ``out_dir`` with the staged build."""
        assert self._staging is not None, "BuildWriter.commit outside its with block"
        self._graphml.write("  </graph>\n</graphml>\n")
        for handle in self._files:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        (self._staging / SUMMARY_FILE).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _swap_in(self._staging, self.out_dir)
        self._committed = True


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` in place of ``out_dir``, keeping what is not part of the contract.

    A build killed between the two renames leaves ``.<name>.old``; the next
    build puts it back first, so the previous output is never lost.
    """
    backup = out_dir.with_name(f".{out_dir.name}.old")
    if backup.exists():
        if out_dir.exists():
            shutil.rmtree(backup)
        else:
            os.replace(backup, out_dir)
    if out_dir.exists():
        _keep_extra_entries(out_dir, staging)
        os.replace(out_dir, backup)
        os.replace(staging, out_dir)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(staging, out_dir)


def write_build(graph: nx.MultiDiGraph, out_dir: Path, summary: dict[str, Any]) -> None:
    """Write the contract files of an in-memory graph into ``out_dir`` atomically (see :class:`BuildWriter`)."""
    with BuildWriter(out_dir) as writer:
        for node, data in sorted(graph.nodes(data=True)):
            writer.add_node(Entity(node, data["label"], data["name"], data["aliases"], data["props"], data["mentions"]))
        for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
            writer.add_edge(Edge(key, source, target, data["type"], data["props"], data["evidence"]))
        writer.commit(summary)


def _keep_extra_entries(old: Path, new: Path) -> None:
    """Carry over what is not part of the contract (the embedded store, the cache)."""
    for entry in old.iterdir():
        if entry.name not in CONTRACT_FILES and not (new / entry.name).exists():
            os.replace(entry, new / entry.name)


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines file, with the line number in any error."""
    if not path.is_file():
        raise ContractError(f"{path}: missing (is this a build directory made by `kg build`?)")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ContractError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise ContractError(f"{path}:{number}: expected a JSON object")
            yield record


_NODE_KEYS = frozenset({"id", "label", "name", "aliases", "props", "mentions"})
_EDGE_KEYS = frozenset({"id", "source", "target", "type", "props", "evidence"})


def read_nodes(build_dir: Path) -> Iterator[dict[str, Any]]:
    """The node records of a build, checked for the contract's keys."""
    path = Path(build_dir) / NODES_FILE
    for record in iter_jsonl(path):
        if not _NODE_KEYS <= record.keys():
            raise ContractError(f"{path}: node {record.get('id')!r} lacks {sorted(_NODE_KEYS - record.keys())}")
        yield record


def read_edges(build_dir: Path) -> Iterator[dict[str, Any]]:
    """The edge records of a build, checked for the contract's keys."""
    path = Path(build_dir) / EDGES_FILE
    for record in iter_jsonl(path):
        if not _EDGE_KEYS <= record.keys():
            raise ContractError(f"{path}: edge {record.get('id')!r} lacks {sorted(_EDGE_KEYS - record.keys())}")
        yield record


def read_graph(build_dir: Path) -> nx.MultiDiGraph:
    """Load a build directory back into a ``MultiDiGraph`` (validated against the schema)."""
    entities = [Entity(r["id"], r["label"], r["name"], r["aliases"], r["props"], r["mentions"]) for r in read_nodes(build_dir)]
    edges = [Edge(r["id"], r["source"], r["target"], r["type"], r["props"], r["evidence"]) for r in read_edges(build_dir)]
    try:
        return assemble(entities, edges)
    except SchemaError as exc:
        raise ContractError(f"{build_dir}: {exc}") from exc


def counts(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Node counts per label and edge counts per type."""
    return {
        "nodes": dict(sorted(Counter(d["label"] for _, d in graph.nodes(data=True)).items())),
        "edges": dict(sorted(Counter(d["type"] for _, _, d in graph.edges(data=True)).items())),
    }
