"""Which part of a build an export writes: the subgraph selection every format shares.

An analyst rarely wants all of a build in one picture. A selection narrows it:

* ``labels``: keep only nodes with these labels (a walk from seeds passes only
  through them, the seeds aside);
* ``places``, ``chains``, ``nodes``: seed nodes, found by id, name or alias
  (a place among places, a chain among chains, any node for ``nodes``), and
  everything within ``depth`` hops of a seed, edges walked either way;
* ``query``: the nodes and relations a named query returns (``queries/*.cypher``),
  run on the build's embedded store;
* ``limit``: at most that many nodes, the seeds and the nearest first, then the
  best connected.

Articles are reached but never walked through: every node an article mentions
is two hops from every other, so walking through them would make any
neighbourhood of depth two the whole newspaper page.

Examples
--------
>>> selection = Selection.from_options({"place": ("烟台市",), "depth": 2, "label": ("Place,Enterprise",)})
>>> selection.labels
('Place', 'Enterprise')
>>> selection.describe()
'around Place 烟台市 within 2 hops; labels Place, Enterprise'
"""

from __future__ import annotations

import json
import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ExportError
from kg.graph import SUMMARY_FILE, read_graph
from kg.schema import load_schema

# How the selection is spelled on the command line, to make hints copy-pasteable.
_FLAG = {"Place": "--place", "Chain": "--chain", None: "--node"}


@dataclass(frozen=True)
class Selection:
    """What part of a build to export; the empty selection is the whole build."""

    labels: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    query: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    depth: int = 1
    limit: int | None = None

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Selection:
        """The selection the ``kg export`` options describe (other options are ignored).

        ``label`` values may be repeated or comma-separated; unknown labels are
        refused with the list of known ones.
        """
        labels: list[str] = []
        for value in _as_tuple(options.get("label")):
            labels.extend(part.strip() for part in value.split(",") if part.strip())
        known = tuple(load_schema().nodes)
        folded = {label.casefold(): label for label in known}
        unknown = [label for label in labels if label.casefold() not in folded]
        if unknown:
            raise ExportError(f"unknown label {', '.join(unknown)} (known: {', '.join(known)})")
        given_depth = options.get("depth")
        depth = 1 if given_depth is None else int(given_depth)
        limit = options.get("limit")
        if depth < 0:
            raise ExportError(f"--depth must be 0 or more, not {depth}")
        if limit is not None and int(limit) < 1:
            raise ExportError(f"--limit must be 1 or more, not {limit}")
        params = options.get("params") or ()
        if isinstance(params, Mapping):
            params = tuple(sorted(params.items()))
        if params and not options.get("query"):
            raise ExportError("--param gives a parameter of --query NAME; there is no --query")
        return cls(
            labels=tuple(dict.fromkeys(folded[label.casefold()] for label in labels)),
            places=_as_tuple(options.get("place")),
            chains=_as_tuple(options.get("chain")),
            nodes=_as_tuple(options.get("node")),
            query=options.get("query") or None,
            params=tuple(params),
            depth=depth,
            limit=int(limit) if limit is not None else None,
        )

    @property
    def seeded(self) -> bool:
        """Whether the selection grows from seed nodes."""
        return bool(self.places or self.chains or self.nodes)

    def describe(self) -> str:
        """One line for titles and messages; ``'whole build'`` when nothing narrows it."""
        parts: list[str] = []
        if self.query:
            shown = ", ".join(f"{key}={value}" for key, value in self.params)
            parts.append(f"query {self.query}" + (f"({shown})" if shown else ""))
        seeds = [f"Place {p}" for p in self.places] + [f"Chain {c}" for c in self.chains] + list(self.nodes)
        if seeds:
            hops = "hop" if self.depth == 1 else "hops"
            parts.append(f"around {', '.join(seeds)} within {self.depth} {hops}")
        if self.labels:
            parts.append("labels " + ", ".join(self.labels))
        if self.limit is not None:
            parts.append(f"at most {self.limit} nodes")
        return "; ".join(parts) or "whole build"


@dataclass
class Selected:
    """The selected subgraph, with what a writer needs to title and describe it."""

    graph: nx.MultiDiGraph
    build_dir: Path
    selection: Selection
    total_nodes: int
    total_edges: int
    corpus: str = ""
    seeds: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        """A heading for pictures and pages: the corpus name and what was selected."""
        name = self.corpus or self.build_dir.name
        return f"{name} · {self.selection.describe()}"

    def counts_line(self) -> str:
        """``'12 of 363 nodes, 20 of 583 edges'`` (or just the counts for a whole build)."""
        nodes, edges = self.graph.number_of_nodes(), self.graph.number_of_edges()
        if (nodes, edges) == (self.total_nodes, self.total_edges):
            return f"{nodes} {_plural('node', nodes)}, {edges} {_plural('edge', edges)}"
        return (f"{nodes} of {self.total_nodes} {_plural('node', self.total_nodes)}, "
                f"{edges} of {self.total_edges} {_plural('edge', self.total_edges)}")


def load_selected(build_dir: Path, options: Mapping[str, Any]) -> Selected:
    """Read a build and apply the selection the export options describe.

    Parameters
    ----------
    build_dir
        A build directory (``kg build`` output).
    options
        The ``kg export`` options: ``label``, ``place``, ``chain``, ``node``,
        ``query``, ``params``, ``depth``, ``limit``; others are ignored.

    Raises
    ------
    ExportError
        When a seed matches no node, or the selection is empty.

    Examples
    --------
    >>> import tempfile
    >>> from kg.builder import build
    >>> root = Path(tempfile.mkdtemp())
    >>> corpus = root / "corpus"; corpus.mkdir()
    >>> _ = (corpus / "a.txt").write_text("本报讯 2月1日,烟台市牟平区召开会议。", encoding="utf-8")
    >>> _ = build(corpus, root / "out", store=False)
    >>> selected = load_selected(root / "out", {"label": ("Place",)})
    >>> {data["label"] for _, data in selected.graph.nodes(data=True)}
    {'Place'}
    """
    build_dir = Path(build_dir)
    selection = Selection.from_options(options)
    graph = read_graph(build_dir)
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    if selection.query:
        graph = query_subgraph(build_dir, graph, selection.query, dict(selection.params))
    sub, seeds = select(graph, selection)
    return Selected(sub, build_dir, selection, total_nodes, total_edges, _corpus_name(build_dir), tuple(seeds))


def select(graph: nx.MultiDiGraph, selection: Selection) -> tuple[nx.MultiDiGraph, list[str]]:
    """The subgraph of ``graph`` a selection keeps (query results aside), and its seed ids.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for n, label in [("a", "Place"), ("b", "Enterprise"), ("c", "Enterprise"), ("d", "Chain")]:
    ...     g.add_node(n, label=label, name=n.upper(), aliases=[])
    >>> for source, target in [("b", "a"), ("c", "b"), ("c", "d")]:
    ...     _ = g.add_edge(source, target, type="RELATED")
    >>> sub, seeds = select(g, Selection(places=("A",), depth=1))
    >>> sorted(sub.nodes), seeds
    (['a', 'b'], ['a'])
    """
    allowed = {n for n, data in graph.nodes(data=True) if not selection.labels or data["label"] in selection.labels}
    seeds: list[str] = []
    for values, label in ((selection.places, "Place"), (selection.chains, "Chain"), (selection.nodes, None)):
        for value in values:
            seeds.extend(s for s in find_nodes(graph, value, label) if s not in seeds)
    if seeds:
        distance = _neighbourhood(graph, seeds, allowed | set(seeds), selection.depth)
    else:
        distance = {node: 0 for node in allowed}
    kept = set(distance)
    if selection.limit is not None and len(kept) > selection.limit:
        induced = graph.subgraph(kept)
        ranked = sorted(kept, key=lambda n: (distance[n], -induced.degree(n), graph.nodes[n]["name"], n))
        kept = set(ranked[: selection.limit])
    if not kept:
        raise ExportError(f"the selection ({selection.describe()}) matches no node; widen it")
    return graph.subgraph(kept).copy(), seeds


def refuse_above(selected: Selected, max_nodes: int, what: str) -> None:
    """Refuse politely, with the options that would narrow it, a selection too large to draw."""
    count = selected.graph.number_of_nodes()
    if count <= max_nodes:
        return
    raise ExportError(
        f"the selection has {count} nodes, too many for a readable {what} (at most {max_nodes}); narrow it, "
        f"for example with --label Place,Enterprise,Chain, --place NAME --depth 1, or --limit {max_nodes} "
        f"(or raise --max-nodes)"
    )


def find_nodes(graph: nx.MultiDiGraph, value: str, label: str | None = None) -> list[str]:
    """Ids of the nodes (of ``label``, if given) whose id, name or an alias is ``value``.

    Names are compared after Unicode NFKC folding and case folding, so full-width
    and half-width spellings match.

    Raises
    ------
    ExportError
        When nothing matches; the message names up to five nodes whose name
        contains ``value``, to copy into the command.
    """
    wanted = _fold(value)
    candidates = [(n, d) for n, d in graph.nodes(data=True) if label is None or d["label"] == label]
    found = sorted(
        n for n, d in candidates
        if n == value or _fold(d["name"]) == wanted or any(_fold(a) == wanted for a in d.get("aliases") or ())
    )
    if found:
        return found
    close = sorted({d["name"] for _, d in candidates if wanted in _fold(d["name"])}, key=lambda name: (len(name), name))
    what = label or "node"
    hint = f"; did you mean {', '.join(close[:5])}?" if close else f"; `{_FLAG[label]}` takes a {what} name, alias or id"
    raise ExportError(f"no {what} named {value!r} in this build{hint}")


def query_subgraph(build_dir: Path, graph: nx.MultiDiGraph, name: str, params: dict[str, str]) -> nx.MultiDiGraph:
    """The part of ``graph`` a named query returns, run on the build's embedded store.

    The nodes are those whose ids the query returns in any column; the edges
    those whose ids it returns (``r.id``), or, when it returns no relation id,
    every edge between its nodes, so that a query listing pairs still draws
    the relations between them.

    Raises
    ------
    QueryError
        For an unknown query or a bad parameter (from :mod:`kg.queries`).
    StoreError
        When the build has no embedded store, or an outdated one.
    ExportError
        When the query returns no node of this build.
    """
    from kg.queries import result_ids

    node_ids, edge_ids = result_ids(build_dir, name, params)
    nodes = [n for n in node_ids if n in graph]
    if not nodes:
        shown = ", ".join(f"{key}={value}" for key, value in params.items())
        raise ExportError(f"query {name}{f'({shown})' if shown else ''} returned no node of this build; "
                          f"try `kg query {name} --build {build_dir}` to see what it returns")
    induced = graph.subgraph(nodes)
    if not edge_ids:
        return induced.copy()
    wanted = set(edge_ids)
    result = nx.MultiDiGraph()
    result.add_nodes_from(induced.nodes(data=True))
    result.add_edges_from((u, v, k, d) for u, v, k, d in induced.edges(keys=True, data=True) if k in wanted)
    return result


def _neighbourhood(graph: nx.MultiDiGraph, seeds: Iterable[str], allowed: set[str], depth: int) -> dict[str, int]:
    """Breadth-first hop counts from the seeds, either edge direction, through allowed nodes,
    never leaving an Article that is not itself a seed."""
    distance = {seed: 0 for seed in seeds}
    queue = deque(distance)
    while queue:
        node = queue.popleft()
        if distance[node] >= depth or (graph.nodes[node]["label"] == "Article" and distance[node] > 0):
            continue
        for neighbour in sorted(set(graph.successors(node)) | set(graph.predecessors(node))):
            if neighbour in allowed and neighbour not in distance:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
    return distance


def _plural(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _corpus_name(build_dir: Path) -> str:
    try:
        summary = json.loads((build_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    corpus = summary.get("corpus") if isinstance(summary, dict) else None
    return Path(str(corpus)).name if corpus else ""
