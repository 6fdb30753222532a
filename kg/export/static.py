"""A static picture of the selection, PNG or SVG, for reports.

matplotlib draws the shared layout: nodes coloured by label with a legend,
sized by degree, every node named (long names cut with an ellipsis), relations
as arrows, ``MENTIONED_IN`` dotted and faint so that articles stay in the
background. The Chinese font comes from :mod:`kg.export.fonts`. Above
``max_nodes`` (500 unless ``--max-nodes`` says otherwise) the picture would be
a blot, so the export refuses and says how to narrow the selection. SVG text
is written as outlines, so the file shows the same on machines without the font.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export import register
from kg.export.output import atomic_path, written
from kg.export.select import Selected, load_selected, refuse_above
from kg.export.style import LAYOUT_MAX_NODES, label_colour, labels_in_order, layout, node_size

DEFAULT_MAX_NODES = 500
LABEL_CHARACTERS = 10
DPI = 150


def short_name(name: str, width: int = LABEL_CHARACTERS) -> str:
    """A node name cut to ``width`` characters with an ellipsis.

    Examples
    --------
    >>> short_name("烟台市"), short_name("改革破局创新致远以奋斗之姿擘画工业经济", 6)
    ('烟台市', '改革破局创…')
    """
    return name if len(name) <= width else name[: width - 1] + "…"


def figure_inches(node_count: int) -> float:
    """Side of the square figure: grows with the square root of the node count, 6 to 28 inches.

    Examples
    --------
    >>> figure_inches(1), figure_inches(400)
    (6.0, 22.0)
    """
    return min(28.0, max(6.0, 4.0 + 0.9 * math.sqrt(node_count)))


def draw(selected: Selected, out: Path, format_name: str) -> None:
    """Draw the selection into ``out`` as ``png`` or ``svg``."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from kg.export.fonts import cjk_font

    graph = selected.graph
    positions = layout(graph)
    names = {node: short_name(data["name"]) for node, data in graph.nodes(data=True)}
    present = labels_in_order({data["label"] for _, data in graph.nodes(data=True)})
    counts = {label: sum(1 for _, d in graph.nodes(data=True) if d["label"] == label) for label in present}
    legend_texts = [f"{label} {counts[label]}" for label in present] + ["relation", "mentioned in article"]
    inches = figure_inches(graph.number_of_nodes())
    title = "\n".join(textwrap.wrap(selected.title, width=int(inches * 9)))
    subtitle = selected.counts_line()
    text_size = 9.0 if graph.number_of_nodes() <= 60 else 7.0
    with cjk_font("".join(names.values()) + "".join(legend_texts) + title + subtitle) as font, matplotlib.rc_context(
        {"svg.fonttype": "path", "svg.hashsalt": "chainkg", "axes.unicode_minus": False}
    ):
        figure = Figure(figsize=(inches, inches + 1.0), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.set_aspect("equal")
        simple = nx.DiGraph()
        simple.add_nodes_from(graph.nodes)
        order = sorted(graph.nodes, key=lambda n: (graph.nodes[n]["label"] == "Article", n))
        sizes = {node: (node_size(graph.degree(node)) * 0.55) ** 2 for node in order}
        mentioned = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "MENTIONED_IN"]
        related = sorted({(u, v) for u, v, d in graph.edges(data=True) if d["type"] != "MENTIONED_IN" and u != v})
        simple.add_edges_from(mentioned + related)
        edge_style: dict[str, Any] = {"ax": axes, "arrows": True, "arrowstyle": "-|>", "node_size": [sizes[n] for n in order],
                                      "nodelist": order}
        if mentioned:
            nx.draw_networkx_edges(simple, positions, edgelist=sorted(set(mentioned)), edge_color="#BBBBBB", style=":",
                                   width=0.5, arrowsize=5, alpha=0.6, **edge_style)
        if related:
            nx.draw_networkx_edges(simple, positions, edgelist=related, edge_color="#555555", width=0.8, arrowsize=8,
                                   alpha=0.8, **edge_style)
        nx.draw_networkx_nodes(simple, positions, ax=axes, nodelist=order, node_size=[sizes[n] for n in order],
                               node_color=[label_colour(graph.nodes[n]["label"]) for n in order], edgecolors="white",
                               linewidths=0.6)
        backing = {"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.7}
        for node in order:
            axes.annotate(names[node], positions[node], xytext=(0, -(math.sqrt(sizes[node]) / 2 + 1)),
                          textcoords="offset points", fontproperties=font, fontsize=text_size, ha="center", va="top",
                          color="#222222", zorder=5, annotation_clip=False, bbox=backing)
        handles = [Line2D([], [], linestyle="none", marker="o", markersize=9, markerfacecolor=label_colour(label),
                          markeredgecolor="white", label=f"{label} {counts[label]}") for label in present]
        if related:
            handles.append(Line2D([], [], color="#555555", linewidth=1.0, label="relation"))
        if mentioned:
            handles.append(Line2D([], [], color="#BBBBBB", linewidth=1.0, linestyle=":", label="mentioned in article"))
        legend_font = font.copy()
        legend_font.set_size(10)
        columns = max(2, min(len(handles), int(inches // 1.8)))
        figure.legend(handles=handles, loc="outside lower center", ncols=columns, prop=legend_font, frameon=False)
        title_font = font.copy()
        title_font.set_size(12)
        axes.set_title(f"{title}\n{subtitle}", fontproperties=title_font)
        metadata = {"Date": None} if format_name == "svg" else {"Software": "chainkg"}
        with atomic_path(out) as path:
            figure.savefig(path, format=format_name, dpi=DPI, metadata=metadata, facecolor="white")


def _write(build_dir: Path, out: Path, format_name: str, options: dict[str, Any]) -> str:
    selected = load_selected(build_dir, options)
    refuse_above(selected, min(int(options.get("max_nodes") or DEFAULT_MAX_NODES), LAYOUT_MAX_NODES), format_name.upper())
    draw(selected, out, format_name)
    return written(out, selected, f"{format_name.upper()} picture")


@register("png")
def write_png(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as a PNG picture (refused above ``max_nodes`` nodes).

    Examples
    --------
    ``kg export png out/sample --out yantai.png --place 烟台市 --depth 2 --label Place,Enterprise,Chain``
    """
    return _write(build_dir, out, "png", options)


@register("svg")
def write_svg(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as an SVG picture, text as outlines (refused above ``max_nodes`` nodes)."""
    return _write(build_dir, out, "svg", options)
