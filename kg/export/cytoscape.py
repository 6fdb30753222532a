"""Cytoscape.js JSON: ``{"elements": {"nodes": [...], "edges": [...]}}``.

The shape is the one ``cy.json()`` writes and ``cytoscape({elements: ...})``
and Cytoscape desktop's JSON import read: each element is ``{"data": {...}}``,
a node's data has a unique string ``id``, an edge's data ``id``, ``source``
and ``target``. ``parent`` means a compound parent's id to Cytoscape.js, so a
Place's ``parent`` (the containing place's name) is written as
``parent_name``. Values stay JSON: lists stay lists, evidence records stay
objects. Each node also has a ``position`` from the shared layout (use layout
``preset``) and its ``color`` and ``size`` in ``data``, so the file draws as
the HTML page does with a two-line style sheet.

The HTML page embeds this same document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.export import register
from kg.export.output import atomic_path, written
from kg.export.select import Selected, load_selected
from kg.export.style import label_colour, layout, node_size

CYTOSCAPE_JS_VERSION = "3.35.0"
_NODE_RESERVED = frozenset({"id", "label", "name", "aliases", "mentions", "degree", "color", "size", "source", "target"})
_EDGE_RESERVED = frozenset({"id", "source", "target", "type", "evidence", "parent"})
# Cytoscape.js reads a node's ``parent`` as the id of its compound parent: a Place's parent name goes elsewhere.
_RENAMED = {"parent": "parent_name"}


def pixel_scale(node_count: int) -> float:
    """Side of the layout square in pixels: about 100 px between neighbouring nodes, room for their names.

    Examples
    --------
    >>> pixel_scale(1), pixel_scale(400)
    (400.0, 2000.0)
    """
    return max(400.0, 100.0 * node_count**0.5)


def cytoscape_document(selected: Selected) -> dict[str, Any]:
    """The Cytoscape.js JSON document of a selection.

    Examples
    --------
    >>> import networkx as nx
    >>> from kg.export.select import Selection
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", label="Place", name="烟台市", aliases=[], props={"kind": "city"}, mentions=[])
    >>> g.add_node("e", label="Enterprise", name="万华化学", aliases=["万华"], props={}, mentions=[])
    >>> _ = g.add_edge("e", "p", key="x1", type="LOCATED_IN", props={"basis": "text"}, evidence=[])
    >>> doc = cytoscape_document(Selected(g, Path("b"), Selection(), 2, 1))
    >>> [n["data"]["name"] for n in doc["elements"]["nodes"]], doc["elements"]["edges"][0]["data"]["source"]
    (['万华化学', '烟台市'], 'e')
    """
    graph = selected.graph
    positions = layout(graph)
    scale = pixel_scale(graph.number_of_nodes())
    nodes: list[dict[str, Any]] = []
    for node, data in sorted(graph.nodes(data=True), key=lambda item: item[0]):
        degree = graph.degree(node)
        element_data: dict[str, Any] = {
            "id": node,
            "label": data["label"],
            "name": data["name"],
            "aliases": list(data.get("aliases") or []),
        }
        for key, value in sorted((data.get("props") or {}).items()):
            if value is not None and key not in _NODE_RESERVED:
                element_data[_RENAMED.get(key, key)] = value
        element_data["mentions"] = list(data.get("mentions") or [])
        element_data["degree"] = degree
        element_data["color"] = label_colour(data["label"])
        element_data["size"] = node_size(degree)
        element: dict[str, Any] = {"data": element_data}
        if node in positions:
            x, y = positions[node]
            element["position"] = {"x": round(x * scale, 1), "y": round((1.0 - y) * scale, 1)}
        nodes.append(element)
    edges: list[dict[str, Any]] = []
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda item: item[2]):
        edge_data: dict[str, Any] = {"id": key, "source": source, "target": target, "type": data["type"]}
        for name, value in sorted((data.get("props") or {}).items()):
            if value is not None and name not in _EDGE_RESERVED:
                edge_data[name] = value
        edge_data["evidence"] = list(data.get("evidence") or [])
        edges.append({"data": edge_data})
    return {
        "format_version": "1.0",
        "generated_by": "chainkg",
        "target_cytoscapejs_version": f"~{CYTOSCAPE_JS_VERSION}",
        "data": {
            "name": selected.title,
            "selection": selected.selection.describe(),
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "total_nodes": selected.total_nodes,
            "total_edges": selected.total_edges,
        },
        "elements": {"nodes": nodes, "edges": edges},
    }


@register("cytoscape")
def write_cytoscape(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as Cytoscape.js JSON.

    Examples
    --------
    ``kg export cytoscape out/sample --out sample.cyjs --chain 生物医药 --depth 2``
    """
    selected = load_selected(build_dir, options)
    document = cytoscape_document(selected)
    with atomic_path(out) as path:
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return written(out, selected, "Cytoscape.js JSON")
