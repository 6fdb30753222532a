"""The ``kg`` command: click commands only; the work happens in the library.

Every expected failure is a :class:`kg.errors.KGError`, printed as one line
(``kg: error: <file>: <problem>``) with the exit code documented in the README.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.errors import KGError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(function: F) -> F:
    """Turn library errors into one-line messages and their exit codes."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KGError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted; nothing half-written was kept", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@contextmanager
def progress_bar(label: str, total: int | None, quiet: bool) -> Iterator[Callable[[int, str], None]]:
    """A rich progress bar on a terminal; nothing when quiet or piped."""
    if quiet or not sys.stderr.isatty():
        yield lambda _advance, _item: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[item]}"), transient=True) as progress:
        task = progress.add_task(label, total=total, item="")
        yield lambda advance, item: progress.update(task, advance=advance, item=item)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log what the tool does (to stderr).")
@click.version_option(package_name="chainkg")
def main(verbose: bool) -> None:
    """chainkg: knowledge graphs of Chinese industrial-chain news."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="kg: %(levelname)s: %(message)s")


def _print_summary(summary: dict[str, Any]) -> None:
    documents = summary["documents"]
    click.echo(
        f"built {summary['corpus']}: {documents['read']} documents read, {documents['skipped']} skipped "
        f"({documents['from_cache']} from cache), {summary['characters']} characters in {summary['seconds']} s"
    )
    for skip in summary["skipped"]:
        click.echo(f"  skipped {skip['doc']}: {skip['reason']}")
    click.echo("  nodes: " + ", ".join(f"{k} {v}" for k, v in summary["nodes"].items()))
    click.echo("  edges: " + ", ".join(f"{k} {v}" for k, v in summary["edges"].items()))
    if summary.get("rejected_edges"):
        click.echo("  rejected by the schema: " + ", ".join(f"{k} {v}" for k, v in summary["rejected_edges"].items()))


@main.command()
@click.argument("corpus", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Build directory to write.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for extraction (with --engine dask: local-cluster workers).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: this machine's processes, or Dask (a local cluster unless --scheduler).")
@click.option("--scheduler", metavar="ADDRESS", help="With --engine dask: the scheduler of a running cluster (tcp://host:8786).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-document extraction cache.")
@click.option("--no-store", is_flag=True, help="Do not refresh the embedded store in the build directory.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@reports_errors
def build(corpus: Path, out_dir: Path, jobs: int, engine: str, scheduler: str | None, no_cache: bool, no_store: bool, quiet: bool) -> None:
    """Build the graph of the documents under CORPUS into --out."""
    from kg.build import build as run_build
    from kg.ingest import discover

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    total = sum(1 for _ in discover(corpus)) if sys.stderr.isatty() and not quiet else None
    with progress_bar("extracting", total, quiet) as advance:
        result = run_build(corpus, out_dir, jobs=jobs, engine=engine, scheduler=scheduler, use_cache=not no_cache,
                           store=not no_store, progress=advance)
    if not quiet:
        _print_summary(result.summary)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("build_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--verbose", is_flag=True, help="List every miss and false hit.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@reports_errors
def evaluate(gold_dir: Path, build_dir: Path, verbose: bool, as_json: bool) -> None:
    """Score BUILD_DIR against the annotations in GOLD_DIR (SPEC.md format)."""
    from kg.eval import evaluate as run_eval
    from kg.eval import format_table

    result = run_eval(gold_dir, build_dir)
    if as_json:
        if not verbose:
            for section in ("entities", "relations"):
                for row in result[section].values():
                    row.pop("missed", None)
                    row.pop("false_hits", None)
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(result, verbose), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--param")
        params[key.strip()] = text
    return params


@main.command(name="export")
@click.argument("format_name", metavar="FORMAT")
@click.argument("build_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="File to write.")
@click.option("--label", multiple=True, help="Keep only nodes with these labels (repeat it, or separate with commas).")
@click.option("--place", multiple=True, metavar="NAME", help="Seed: a Place's name, alias or id (repeatable).")
@click.option("--chain", multiple=True, metavar="NAME", help="Seed: a Chain's name, alias or id (repeatable).")
@click.option("--node", multiple=True, metavar="NAME", help="Seed: any node's name, alias or id (repeatable).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 20),
              help="Hops around the seeds (articles are reached, never walked through).")
@click.option("--limit", type=click.IntRange(1), help="At most this many nodes: seeds and nearest first, then best connected.")
@click.option("--query", "query_name", metavar="NAME", help="Export what a named query (queries/NAME.cypher) returns.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of --query (repeatable).")
@click.option("--max-nodes", type=click.IntRange(1),
              help="png/svg/html: refuse a larger selection (default 500 for png/svg, 2000 for html).")
@reports_errors
def export_command(format_name: str, build_dir: Path, out: Path, label: tuple[str, ...], place: tuple[str, ...],
                   chain: tuple[str, ...], node: tuple[str, ...], depth: int, limit: int | None, query_name: str | None,
                   params: tuple[str, ...], max_nodes: int | None) -> None:
    """Export BUILD_DIR, or the part of it selected, as FORMAT to --out.

    FORMAT is html (one self-contained interactive page that works offline), graphml or gexf (Gephi),
    cytoscape (Cytoscape.js JSON), png or svg (a picture for reports), or another registered format.
    Without a selection the whole build is written. Example:

        kg export html out/sample --out yantai.html --place 烟台市 --depth 2
    """
    from kg.export import export

    message = export(format_name, build_dir, out, label=label, place=place, chain=chain, node=node, depth=depth,
                     limit=limit, query=query_name, params=_parse_params(params), max_nodes=max_nodes)
    click.echo(message)
