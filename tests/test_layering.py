"""The import graph of the packages ``kg`` and ``loaders``, read from the source with ``ast``.

Every ``import`` counts, at module level or inside a function (a lazy import
is still a dependency, and the cycle ``kg.build`` <-> ``kg.engines`` was made of
one). An import of ``a.b.c`` depends on ``a.b.c`` and on the packages
``a.b`` (whose ``__init__`` runs first); the top-level facades ``kg`` and
``loaders`` are left out as targets, since every module is inside them.

The modules of :mod:`kg.builder` and :mod:`kg.graph` must be on no cycle at
all, neither between modules nor between subpackages (``kg.builder`` as one
node beside ``kg.resolve``, ``kg.nlp`` ...). Elsewhere there is no cycle between
modules today; between subpackages there is one, listed in
``KNOWN_PACKAGE_CYCLES`` as expected to be fixed by its owners (issue 15): a new
cycle fails the test, and so does a listed one that has gone, so that the list
shrinks with the fixes.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kg", "loaders")
OWNED = ("kg.builder", "kg.graph")
KNOWN_PACKAGE_CYCLES: list[frozenset[str]] = []


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _resolve_from(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph() -> nx.DiGraph:
    """Module -> module it imports (within ``kg`` and ``loaders``), with the packages whose ``__init__`` runs on the way."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)

    def depend(source: str, target: str) -> None:
        parts = target.split(".")
        for length in range(2, len(parts) + 1):
            name = ".".join(parts[:length])
            if name in modules and name != source and not source.startswith(name + "."):
                graph.add_edge(source, name)

    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    depend(module, alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = _resolve_from(module, is_package, node)
                for alias in node.names:
                    depend(module, f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return graph


def package_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The import graph with every module collapsed to its subpackage (``kg.builder.work`` -> ``kg.builder``)."""
    collapsed = nx.DiGraph()
    for source, target in graph.edges():
        source, target = ".".join(source.split(".")[:2]), ".".join(target.split(".")[:2])
        if source != target:
            collapsed.add_edge(source, target)
    return collapsed


def _cycles(graph: nx.DiGraph) -> list[frozenset[str]]:
    return [frozenset(component) for component in nx.strongly_connected_components(graph) if len(component) > 1]


def test_every_module_of_the_packages_imports() -> None:
    for module in _modules():
        importlib.import_module(module)


def test_the_graph_sees_imports_inside_functions_and_relative_imports() -> None:
    graph = import_graph()
    assert graph.has_edge("kg.builder.documents", "kg.builder.dask_engine")  # imported inside a function
    assert graph.has_edge("kg.resolve.merge", "kg.ids")
    assert graph.has_edge("kg.builder.work", "kg.resolve")  # the package's __init__ runs first


def test_a_cycle_is_found_when_there_is_one() -> None:
    graph = import_graph()
    graph.add_edge("kg.ids", "kg.resolve.merge")
    assert any({"kg.ids", "kg.resolve.merge"} <= cycle for cycle in _cycles(graph))


@pytest.mark.parametrize("owner", OWNED)
def test_no_import_cycle_goes_through_the_build_or_the_graph(owner: str) -> None:
    graph = import_graph()
    for cycle in _cycles(graph) + _cycles(package_graph(graph)):
        mine = sorted(m for m in cycle if m == owner or m.startswith(owner + "."))
        assert not mine, f"import cycle through {mine}: {sorted(cycle)}"


def test_no_module_is_on_an_import_cycle() -> None:
    assert _cycles(import_graph()) == []


def test_the_package_cycles_are_exactly_the_known_ones() -> None:
    found = set(_cycles(package_graph(import_graph())))
    assert found == set(KNOWN_PACKAGE_CYCLES), (
        f"new cycles: {[sorted(c) for c in found - set(KNOWN_PACKAGE_CYCLES)]}; fixed (remove from KNOWN_PACKAGE_CYCLES): "
        f"{[sorted(c) for c in set(KNOWN_PACKAGE_CYCLES) - found]}"
    )


def test_kg_build_stays_the_function_after_a_build(tmp_path: Path) -> None:
    import kg

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("链长制推进会召开\n本报讯 2月1日,烟台市牟平区召开会议。", encoding="utf-8")
    kg.build(corpus, tmp_path / "one", store=False, use_cache=False)
    importlib.import_module("kg.builder")
    assert kg.build(corpus, tmp_path / "two", store=False, use_cache=False).summary["documents"]["read"] == 1
    assert callable(kg.read_graph) and kg.read_graph(tmp_path / "two").number_of_nodes() > 0


@pytest.mark.parametrize("package", ["kg", "kg.graph", "kg.builder"])
def test_no_public_name_is_shadowed_by_a_submodule_of_the_same_name(package: str) -> None:
    imported = importlib.import_module(package)
    for module in _modules():
        if module.startswith(package + "."):
            importlib.import_module(module)
    for name in imported.__all__:
        assert not isinstance(getattr(imported, name), type(importlib)), f"{package}.{name} is a module, not the public {name}"


# One document's walk, in order: no stage imports a later one (issue 11: one way down).
LAYERS = ("kg.ingest", "kg.nlp", "kg.extract", "kg.resolve", "kg.graph")


def _layer(module: str) -> int | None:
    return next((rank for rank, layer in enumerate(LAYERS) if module == layer or module.startswith(layer + ".")), None)


def test_the_walk_of_a_document_goes_one_way_down() -> None:
    backwards = []
    for source, target in import_graph().edges:
        source_layer, target_layer = _layer(source), _layer(target)
        if source_layer is not None and target_layer is not None and target_layer > source_layer:
            backwards.append((source, target))
    assert backwards == []
