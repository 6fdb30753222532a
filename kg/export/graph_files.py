"""GraphML and GEXF exports, for Gephi, yEd, Cytoscape desktop and networkx.

Both formats hold flat, typed attributes only, so the graph is flattened the
same way for both (:func:`node_attributes`, :func:`edge_attributes`):

* types come from ``schema/graph.yaml``: ``long`` becomes an integer
  attribute, ``double`` a floating-point one, ``boolean`` a boolean one;
* lists and the evidence records become JSON text (``["甲", "乙"]``), which
  every tool shows as is and ``json.loads`` reads back;
* ``label`` is what Gephi shows on a node, the node's name (on an edge, its
  relation type); the graph label itself is the attribute ``kg_label`` and
  the relation type the attribute ``kg_type``.

GEXF also carries Gephi's visual attributes (colour by label, size by degree,
the shared layout), so the file opens in Gephi looking like the HTML page.

Examples
--------
>>> node_attributes({"label": "Project", "name": "澄岳医疗", "aliases": [],
...                  "props": {"investment_yuan": 5e8, "investment_approx": 1}, "mentions": []}, degree=2)["investment_yuan"]
500000000
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export import register
from kg.export.output import atomic_path, written
from kg.export.select import Selected, load_selected
from kg.export.style import label_colour, layout, node_size, rgb
from kg.schema import Schema, load_schema


def _typed(value: Any, type_name: str | None) -> Any:
    """``value`` as the schema type says, lists as JSON text; ``None`` stays ``None``."""
    if value is None:
        return None
    if type_name == "long":
        return int(value)
    if type_name == "double":
        return float(value)
    if type_name == "boolean":
        return bool(value)
    if type_name == "string":
        return str(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def node_attributes(data: dict[str, Any], degree: int, schema: Schema | None = None) -> dict[str, Any]:
    """The flat, typed attributes of a node (``None`` properties left out)."""
    schema = schema or load_schema()
    types = schema.node_properties(data["label"]) if data["label"] in schema.nodes else {}
    attributes: dict[str, Any] = {
        "label": data["name"],
        "kg_label": data["label"],
        "name": data["name"],
        "aliases": json.dumps(list(data.get("aliases") or []), ensure_ascii=False),
    }
    for key, value in sorted((data.get("props") or {}).items()):
        typed = _typed(value, types.get(key))
        if typed is not None and key not in attributes:
            attributes[key] = typed
    mentions = data.get("mentions") or []
    attributes["mention_count"] = len(mentions)
    attributes["docs"] = json.dumps(sorted({m["doc"] for m in mentions}), ensure_ascii=False)
    attributes["degree"] = degree
    return attributes


def edge_attributes(data: dict[str, Any], schema: Schema | None = None) -> dict[str, Any]:
    """The flat, typed attributes of an edge; ``sentence`` is the first evidence sentence."""
    schema = schema or load_schema()
    types = schema.edge_properties(data["type"]) if data["type"] in schema.relations else {}
    attributes: dict[str, Any] = {"label": data["type"], "kg_type": data["type"]}
    for key, value in sorted((data.get("props") or {}).items()):
        typed = _typed(value, types.get(key))
        if typed is not None and key not in attributes:
            attributes[key] = typed
    evidence = data.get("evidence") or []
    attributes["evidence_count"] = len(evidence)
    attributes["evidence"] = json.dumps(evidence, ensure_ascii=False)
    if evidence:
        attributes["sentence"] = str(evidence[0].get("sentence", ""))
    return attributes


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` with the flat attributes of :func:`node_attributes` and :func:`edge_attributes`."""
    schema = load_schema()
    flat = nx.MultiDiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        flat.add_node(node, **node_attributes(data, graph.degree(node), schema))
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        flat.add_edge(source, target, key=key, **edge_attributes(data, schema))
    return flat


def _write_graphml(selected: Selected, out: Path) -> None:
    flat = flat_graph(selected.graph)
    flat.graph.update(name=selected.title, description=selected.counts_line(), generator="chainkg")
    with atomic_path(out) as path:
        nx.write_graphml(flat, path, encoding="utf-8", named_key_ids=True)


def _write_gexf(selected: Selected, out: Path) -> None:
    flat = flat_graph(selected.graph)
    positions = layout(selected.graph)
    scale = 100.0 * max(1.0, selected.graph.number_of_nodes() ** 0.5)
    for node, data in flat.nodes(data=True):
        red, green, blue = rgb(label_colour(data["kg_label"]))
        viz: dict[str, Any] = {"color": {"r": red, "g": green, "b": blue, "a": 1.0}, "size": node_size(data["degree"]) / 2}
        if node in positions:
            x, y = positions[node]
            viz["position"] = {"x": round(x * scale, 2), "y": round(-y * scale, 2), "z": 0.0}
        data["viz"] = viz
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["id"] = key
    with atomic_path(out) as path:
        nx.write_gexf(flat, path, encoding="utf-8", version="1.2draft")


@register("graphml")
def write_graphml(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as GraphML (typed attributes, lists as JSON text).

    Examples
    --------
    ``kg export graphml out/sample --out sample.graphml --label Place,Chain``
    """
    selected = load_selected(build_dir, options)
    _write_graphml(selected, out)
    return written(out, selected, "GraphML")


@register("gexf")
def write_gexf(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as GEXF 1.2 with Gephi's colours, sizes and positions.

    Examples
    --------
    ``kg export gexf out/sample --out sample.gexf --place 烟台市 --depth 2``
    """
    selected = load_selected(build_dir, options)
    _write_gexf(selected, out)
    return written(out, selected, "GEXF")
