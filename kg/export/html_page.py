"""One self-contained, offline HTML page to explore a selection in a browser.

The page inlines everything it needs: the Cytoscape.js library (vendored from
its npm package with its MIT licence, ``assets/``), the viewer's script and
style sheet (``assets/viewer.*``) and the graph itself as the Cytoscape.js
document of :mod:`kg.export.cytoscape`. It opens from ``file://`` with no
network. Nodes are coloured by label (legend, click a label to hide it) and
sized by degree at the shared layout; the search box finds names and aliases;
a click on a node or an edge shows its properties and the evidence sentences
with their documents. Chinese is set in the reader's system CJK font
(Noto Sans CJK SC first, then each platform's own).

The module is not called ``html`` so as not to shadow the standard library's
``html`` when run from its folder.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from kg.export import register
from kg.export.cytoscape import CYTOSCAPE_JS_VERSION, cytoscape_document
from kg.export.output import atomic_path, written
from kg.export.select import Selected, load_selected, refuse_above
from kg.export.style import CJK_FONT_STACK, LAYOUT_MAX_NODES, label_colour, labels_in_order

ASSETS = Path(__file__).resolve().parent / "assets"
DEFAULT_MAX_NODES = LAYOUT_MAX_NODES
_MARKER = re.compile(r"\{\{(\w+)\}\}")


def script_json(value: Any) -> str:
    """JSON safe to put inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left that
    could close the element or open a comment.

    Examples
    --------
    >>> script_json({"s": "</script><!--"})
    '{"s": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each ``{{name}}`` of ``template`` in one pass (inserted text is never rescanned).

    Examples
    --------
    >>> fill("<b>{{a}}</b>{{b}}", {"a": "{{b}}", "b": "x"})
    '<b>{{b}}</b>x'
    """
    return _MARKER.sub(lambda match: values[match.group(1)], template)


def page(selected: Selected) -> str:
    """The whole HTML page of a selection."""
    document = cytoscape_document(selected)
    graph = selected.graph
    present = labels_in_order({data["label"] for _, data in graph.nodes(data=True)})
    document["data"]["labels"] = [
        {"label": label, "color": label_colour(label),
         "count": sum(1 for _, d in graph.nodes(data=True) if d["label"] == label)}
        for label in present
    ]
    document["data"]["font_stack"] = CJK_FONT_STACK
    library = (ASSETS / "cytoscape.min.js").read_text(encoding="utf-8")
    if "</script" in library.lower():
        raise ValueError("the vendored Cytoscape.js contains '</script' and cannot be inlined")
    css = fill((ASSETS / "viewer.css").read_text(encoding="utf-8"), {"font_stack": CJK_FONT_STACK})
    return fill(
        (ASSETS / "viewer.html").read_text(encoding="utf-8"),
        {
            "title": escape(selected.title),
            "selection": escape(f"{selected.selection.describe()}, {selected.counts_line()}"),
            "css": css,
            "data": script_json(document),
            "cytoscape_version": CYTOSCAPE_JS_VERSION,
            "cytoscape_license": escape((ASSETS / "cytoscape.LICENSE").read_text(encoding="utf-8")),
            "cytoscape_js": library,
            "viewer_js": (ASSETS / "viewer.js").read_text(encoding="utf-8"),
        },
    )


@register("html")
def write_html(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as one self-contained interactive HTML page that works offline.

    Examples
    --------
    ``kg export html out/sample --out sample.html`` then open ``sample.html`` in a browser.
    """
    selected = load_selected(build_dir, options)
    refuse_above(selected, min(int(options.get("max_nodes") or DEFAULT_MAX_NODES), LAYOUT_MAX_NODES), "HTML page")
    text = page(selected)
    with atomic_path(out) as path:
        path.write_text(text, encoding="utf-8")
    return written(out, selected, "interactive HTML page")
