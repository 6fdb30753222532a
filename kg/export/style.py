"""What every picture of the graph shares: colours per label, node sizes, and the layout.

The HTML page, the PNG/SVG picture, the Cytoscape JSON and the GEXF file use
the same colours and positions, so a node an analyst finds in the report is
in the same place, in the same colour, in the interactive page and in Gephi.

Examples
--------
>>> label_colour("Place")
'#0072B2'
>>> node_size(0) < node_size(4) < node_size(100)
True
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

# Okabe & Ito's colour-blind-safe palette: one colour a label, Article grey in the background.
LABEL_COLOURS: dict[str, str] = {
    "Place": "#0072B2",
    "Enterprise": "#D55E00",
    "Person": "#CC79A7",
    "Chain": "#009E73",
    "Project": "#E69F00",
    "Organization": "#56B4E9",
    "Article": "#9A9A9A",
}
OTHER_COLOUR = "#333333"

# A layout beyond this many nodes takes longer than an export should (each step is quadratic).
LAYOUT_MAX_NODES = 2000

# The CSS font stack for the HTML page: the Noto CJK family first, then each platform's own Chinese sans.
CJK_FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)


def label_colour(label: str) -> str:
    """The ``#RRGGBB`` colour of a node label (dark grey for a label the palette lacks)."""
    return LABEL_COLOURS.get(label, OTHER_COLOUR)


def rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as three 0–255 integers.

    Examples
    --------
    >>> rgb("#0072B2")
    (0, 114, 178)
    """
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def node_size(degree: int) -> float:
    """A node's diameter in points: grows with the square root of its degree, so hubs stand
    out without swallowing their neighbours."""
    return round(14.0 + 7.0 * math.sqrt(degree), 1)


def labels_in_order(labels: set[str]) -> list[str]:
    """The labels present, in the palette's order (the legend's order), unknown ones last."""
    known = [label for label in LABEL_COLOURS if label in labels]
    return known + sorted(labels - set(LABEL_COLOURS))


def layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions in the unit square, or ``{}`` above :data:`LAYOUT_MAX_NODES`.

    Each connected component is laid out alone (Fruchterman–Reingold, which
    spreads nodes evenly and so leaves room for their names), scaled to an
    area that grows with its node count, and the components are packed in
    rows, largest first, so that a small component cannot push the rest into
    a corner.

    Examples
    --------
    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> positions = layout(g)
    >>> sorted(positions) == ["a", "b", "c", "x", "y"], all(0 <= v <= 1 for p in positions.values() for v in p)
    (True, True)
    >>> layout(g) == positions
    True
    """
    count = graph.number_of_nodes()
    if count == 0 or count > LAYOUT_MAX_NODES:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    boxes = [_component_layout(simple.subgraph(nodes), seed) for nodes in components]
    return _pack(boxes)


def _component_layout(component: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Positions of one connected component in a square of side ``sqrt(node count)``."""
    nodes = sorted(component.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: number for number, node in enumerate(nodes)}
    adjacency = np.zeros((len(nodes), len(nodes)), dtype=np.float32)
    for u, v in component.edges():
        adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1.0
    raw = fruchterman_reingold(adjacency, seed, iterations=100 if len(nodes) <= 1000 else 50)
    low = raw.min(axis=0)
    span = float((raw.max(axis=0) - low).max()) or 1.0
    side = math.sqrt(len(nodes))
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, (raw - low) / span * side, strict=True)}


def fruchterman_reingold(adjacency: np.ndarray, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman–Reingold force-directed positions (``n × 2``) for a symmetric 0/1 adjacency matrix.

    networkx's own dense version serves graphs under 500 nodes only (above, it
    needs SciPy); this is the same algorithm in ``float32`` NumPy, with a
    natural edge length of ``2 / sqrt(n)`` that leaves room for names.

    Examples
    --------
    >>> path = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=np.float32)
    >>> positions = fruchterman_reingold(path, seed=1, iterations=50)
    >>> ends = float(np.linalg.norm(positions[0] - positions[2]))
    >>> ends > float(np.linalg.norm(positions[0] - positions[1]))
    True
    """
    count = adjacency.shape[0]
    positions = np.random.default_rng(seed).random((count, 2), dtype=np.float32)
    k = np.float32(2.0 / math.sqrt(count))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = positions[:, None, :] - positions[None, :, :]
        distance = np.sqrt(np.einsum("ijk,ijk->ij", delta, delta))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / (distance * distance) - adjacency * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt(np.einsum("ij,ij->i", displacement, displacement))
        length = np.where(length < 0.01, 0.1, length)
        positions += displacement * (np.float32(temperature) / length)[:, None]
        temperature -= cooling
    return positions


def _pack(boxes: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Place component layouts in rows (shelf packing), then scale everything into the unit square."""
    gap = 1.0
    sizes = [(max(x for x, _ in box.values()), max(y for _, y in box.values())) for box in boxes]
    row_width = max(max(w for w, _ in sizes), math.sqrt(sum((w + gap) * (h + gap) for w, h in sizes)) * 1.1)
    positions: dict[str, tuple[float, float]] = {}
    x_cursor = y_cursor = row_height = 0.0
    for box, (width, height) in zip(boxes, sizes, strict=True):
        if x_cursor > 0 and x_cursor + width > row_width:
            x_cursor, y_cursor, row_height = 0.0, y_cursor + row_height + gap, 0.0
        for node, (x, y) in box.items():
            positions[node] = (x_cursor + x, -(y_cursor + height - y))
        x_cursor += width + gap
        row_height = max(row_height, height)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    offset_x = (span - (max(xs) - min(xs))) / 2
    offset_y = (span - (max(ys) - min(ys))) / 2
    return {n: ((x - min(xs) + offset_x) / span, (y - min(ys) + offset_y) / span) for n, (x, y) in positions.items()}
