"""chainkg: knowledge graphs of Chinese industrial-chain (链长制) news.

The Python API under the ``kg`` command, for notebooks and scripts::

    >>> import kg
    >>> result = kg.build("samples/seeds", "out/sample", store=False)  # doctest: +SKIP
    >>> graph = kg.read_graph("out/sample")                              # doctest: +SKIP
    >>> scores = kg.evaluate("gold/", "out/sample")                      # doctest: +SKIP

``build`` writes the build directory (nodes.jsonl, edges.jsonl,
graph.graphml, summary.json and the embedded store) and returns the
networkx graph with its summary; ``read_graph`` loads a build back;
``evaluate`` scores a build against annotations in the SPEC.md format.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from kg.builder import BuildResult

__all__ = ["build", "evaluate", "read_graph"]


def build(corpus: str | Path, out_dir: str | Path, **options: Any) -> BuildResult:
    """Build the graph of ``corpus`` into ``out_dir`` (see :func:`kg.builder.orchestrate.build` for the options)."""
    from kg.builder import build as run

    return run(Path(corpus), Path(out_dir), **options)


def read_graph(build_dir: str | Path) -> nx.MultiDiGraph:
    """Load a build directory as a ``networkx.MultiDiGraph``."""
    from kg.graph import read_graph as read

    return read(Path(build_dir))


def evaluate(gold_dir: str | Path, build_dir: str | Path) -> dict[str, Any]:
    """Precision, recall and F1 per type (and per document, ``by_doc``) of a build against SPEC.md v2 annotations.

    Only gold files whose document the build read are scored; ``unscored`` names the others.
    """
    from kg.eval import evaluate as run

    return run(Path(gold_dir), Path(build_dir))
