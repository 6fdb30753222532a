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

# A layout beyond this many nodes takes longer than an export should (ForceAtlas2 is quadratic).
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

    ForceAtlas2 on the undirected simple graph: its gravity keeps separate
    components on the page, which a selection without articles often has.
    """
    count = graph.number_of_nodes()
    if count == 0 or count > LAYOUT_MAX_NODES:
        return {}
    if count == 1:
        return {next(iter(graph.nodes)): (0.5, 0.5)}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    iterations = 150 if count <= 500 else 60
    raw = nx.forceatlas2_layout(simple, max_iter=iterations, seed=seed, scaling_ratio=2.0, gravity=1.0)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {
        node: ((float(p[0]) - min(xs)) / span, (float(p[1]) - min(ys)) / span)
        for node, p in raw.items()
    }
