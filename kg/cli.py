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

from kg.errors import ExportError, InputError, KGError

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
        except OSError as exc:  # a file the tool could not read or write: still one line, naming it
            logging.getLogger("kg").info("the failure in full", exc_info=True)
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"kg: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(KGError.exit_code)

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


def _not_a_folder(path: Path) -> Path | None:
    """The nearest existing parent of ``path`` when it is a file, so that ``path`` can never be made."""
    existing = next(parent for parent in path.absolute().parents if parent.exists())
    return None if existing.is_dir() else existing


def _existing_dir(path: Path | None) -> None:
    """A folder argument that is missing or a file is an input error (exit 3), as the README's table says,
    not click's usage error (2): the command was typed right, the path is wrong."""
    if path is None:
        return
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")


def _check_out_dir(out_dir: Path) -> None:
    """Refuse an --out that can never become a build directory now, not after the whole extraction."""
    if out_dir.exists() and not out_dir.is_dir():
        raise KGError(f"{out_dir}: exists and is not a directory")
    if blocker := _not_a_folder(out_dir):
        raise KGError(f"{out_dir}: cannot be made ({blocker} is not a directory)")


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
@click.option("--config", "config", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Pipeline config (spaCy format) to run instead of the shipped kg/extract/pipeline.cfg.")
@reports_errors
def build(corpus: Path, out_dir: Path, jobs: int, engine: str, scheduler: str | None, no_cache: bool, no_store: bool, quiet: bool,
          config: Path | None) -> None:
    """Build the graph of the documents under CORPUS into --out."""
    from kg.builder import build as run_build
    from kg.ingest import discover

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    _check_out_dir(out_dir)
    total = sum(1 for _ in discover(corpus)) if sys.stderr.isatty() and not quiet else None
    with progress_bar("extracting", total, quiet) as advance:
        result = run_build(corpus, out_dir, jobs=jobs, engine=engine, scheduler=scheduler, use_cache=not no_cache,
                           store=not no_store, progress=advance, config=config)
    if not quiet:
        _print_summary(result.summary)


def training_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options ``kg train`` and ``kg train-relations`` share: gold and text folders, the model folder, quiet."""
    for option in reversed((
        click.option("--gold", "gold_dirs", multiple=True, type=click.Path(path_type=Path, exists=True, file_okay=False),
                     help="A folder of SPEC v2 *.gold.json files, texts beside them or in --texts (repeatable)."),
        click.option("--texts", "text_dirs", multiple=True, type=click.Path(path_type=Path, exists=True, file_okay=False),
                     help="A folder holding the gold files' texts (repeatable)."),
        click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Model folder to write."),
        click.option("--quiet", is_flag=True, help="Print nothing but errors."),
    )):
        command = option(command)
    return command


@main.command(name="train")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Training config (TOML); default: the packaged kg/train/entity_crf.toml.")
@training_options
@reports_errors
def train(config_path: Path | None, gold_dirs: tuple[Path, ...], text_dirs: tuple[Path, ...], out_dir: Path, quiet: bool) -> None:
    """Train the entity tagger on SPEC v2 gold (and the configured corpora); print held-out scores."""
    from kg.train.config import load_config
    from kg.train.trainer import train_command

    _check_out_dir(out_dir)
    config = load_config(config_path)
    result = train_command(config, out_dir, gold_dirs, text_dirs, log=(lambda _m: None) if quiet else (lambda m: click.echo(f"kg: {m}", err=True)))
    if quiet:
        return
    click.echo(f"held-out gold documents: {', '.join(result.heldout_docs) or 'none'}")
    click.echo("model, span scores:")
    click.echo(result.heldout.table())
    click.echo("rules, same documents:")
    click.echo(result.rules.table())
    if result.cluener is not None:
        click.echo(f"CLUENER held-out fifth ({result.cluener_fingerprint}):")
        click.echo(result.cluener.table(["Enterprise", "Person", "Organization", "Place"]))
    click.echo(f"model written to {result.out}")


@main.command(name="train-relations")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Training config (TOML); default: the packaged kg/train/relation_scorer.toml.")
@training_options
@reports_errors
def train_relations(config_path: Path | None, gold_dirs: tuple[Path, ...], text_dirs: tuple[Path, ...], out_dir: Path,
                    quiet: bool) -> None:
    """Train the relation scorer on SPEC v2 gold; print the cross-validated policy table."""
    from kg.train.relations import load_relation_config, table_markdown, train_relations_command

    _check_out_dir(out_dir)
    config = load_relation_config(config_path)
    command = " ".join(["kg train-relations", *(["--config", str(config_path)] if config_path else []),
                        *(f"--gold {d}" for d in gold_dirs), *(f"--texts {d}" for d in text_dirs), "--out", str(out_dir)])
    result = train_relations_command(config, out_dir, gold_dirs, text_dirs, command=command,
                                     log=(lambda _m: None) if quiet else (lambda m: click.echo(f"kg: {m}", err=True)))
    if quiet:
        return
    click.echo(f"{len(result.documents)} documents, {result.pairs} labelled pairs")
    if result.table:
        click.echo(table_markdown(result.table))
    click.echo(f"model written to {result.out}")


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.argument("build_dir", type=click.Path(path_type=Path))
@click.option("--verbose", is_flag=True, help="List every miss and false hit.")
@click.option("--by-doc", is_flag=True, help="Also score each document (entities and relations).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@reports_errors
def evaluate(gold_dir: Path, build_dir: Path, verbose: bool, by_doc: bool, as_json: bool) -> None:
    """Score BUILD_DIR against the annotations in GOLD_DIR (SPEC.md format, version 2).

    A gold file <stem>.gold.json is scored when the build read a document of that stem;
    the gold files without a document and the documents without a gold file are named
    on stderr and not counted.
    """
    _existing_dir(gold_dir)
    _existing_dir(build_dir)
    from kg.eval import evaluate as run_eval
    from kg.eval import format_table, unscored_notes

    result = run_eval(gold_dir, build_dir)
    for note in unscored_notes(result):
        click.echo(note, err=True)
    if as_json:
        if not verbose:
            for section in ("entities", "relations"):
                for row in result[section].values():
                    row.pop("missed", None)
                    row.pop("false_hits", None)
        if not by_doc:
            result.pop("by_doc")
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(result, verbose, by_doc), nl=False)


@main.command()
@click.argument("text_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--quiet", is_flag=True, help="Print only the files with errors, and their errors.")
@reports_errors
def validate(text_dir: Path, gold: tuple[Path, ...], quiet: bool) -> None:
    """Check gold files (GOLD: files or folders of *.gold.json) against their texts TEXT_DIR/<stem>.txt.

    Errors (the file breaks SPEC.md's format; exit status 1) and warnings (probably a
    slip: a name or evidence not in the text, a single-character alias, a duplicate
    relation), one line each, under a line per file.
    """
    from kg.gold import check, expand

    bad = 0
    for path in expand(list(gold)):
        report = check(text_dir, path)
        bad += bool(report.errors)
        if quiet and not report.errors:
            continue
        click.echo(f"{path.name}: {report.entities} entities, {report.relations} relations, "
                   f"{len(report.errors)} errors, {len(report.warnings)} warnings")
        for message in report.errors:
            click.echo(f"  ERROR {message}")
        for message in [] if quiet else report.warnings:
            click.echo(f"  warn  {message}")
    if bad:
        sys.exit(1)


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
@click.argument("build_dir", type=click.Path(path_type=Path))
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
    cytoscape (Cytoscape.js JSON), png or svg (a picture for reports), or another registered format (neo4j-admin, ...).
    Without a selection the whole build is written. Example:

        kg export html out/sample --out yantai.html --place 烟台市 --depth 2
    """
    from kg.export import export

    _existing_dir(build_dir)
    if blocker := _not_a_folder(out):
        raise ExportError(f"{out}: cannot be written ({blocker} is not a directory)")
    try:
        message = export(format_name, build_dir, out, label=label, place=place, chain=chain, node=node, depth=depth,
                         limit=limit, query=query_name, params=_parse_params(params), max_nodes=max_nodes)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename and Path(exc.filename) != out else ""
        raise ExportError(f"{out}: cannot be written ({where}{exc.strerror or exc})") from exc
    click.echo(message)


_BOLT_OPTIONS = (
    click.option("--user", envvar="NEO4J_USERNAME", help="User name [env NEO4J_USERNAME]."),
    click.option("--password", envvar="NEO4J_PASSWORD", help="Password [env NEO4J_PASSWORD]; never printed or logged."),
    click.option("--database", envvar="NEO4J_DATABASE", help="Database name [env NEO4J_DATABASE; default: the server's]."),
    click.option("--dialect", envvar="KG_BOLT_DIALECT", default="neo4j", show_default=True,
                 type=click.Choice(["neo4j", "falkordb"]), help="The Bolt server's kind [env KG_BOLT_DIALECT]."),
)


def _bolt_options(function: F) -> F:
    for option in reversed(_BOLT_OPTIONS):
        function = option(function)
    return function


@main.command()
@click.argument("build_dir", type=click.Path(path_type=Path))
@click.option("--uri", envvar="NEO4J_URI", help="Bolt URI of the server, e.g. bolt://localhost:7687 [env NEO4J_URI].")
@_bolt_options
@click.option("--batch-size", default=10_000, show_default=True, type=click.IntRange(1), help="Rows per request.")
@click.option("--max-batch-bytes", type=click.IntRange(256),
              help="At most this many bytes per request (counted as Cypher text); rows too big are split. "
                   "Default: no limit for Neo4j, 3500 for FalkorDB (which crashes on requests over ~4 KiB).")
@click.option("--replace", is_flag=True, help="Delete the graph's nodes (of the schema's labels) before loading.")
@click.option("--embedded", is_flag=True, help="Rebuild the embedded store BUILD_DIR/store.lbdb instead.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@reports_errors
def load(build_dir: Path, uri: str | None, user: str | None, password: str | None, database: str | None, dialect: str,
         batch_size: int, max_batch_bytes: int | None, replace: bool, embedded: bool, quiet: bool) -> None:
    """Load BUILD_DIR into Neo4j over Bolt (merging into the graph there), or --embedded into its own store.

    Loading is idempotent: run it again, or after a failure, and the graph converges to the build.
    Example:

    \b
        NEO4J_URI=bolt://localhost:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=… kg load out/sample
    """
    _existing_dir(build_dir)
    if embedded:
        from loaders.embedded import refresh_store

        report = refresh_store(build_dir)
        if not quiet:
            click.echo(f"embedded store {report.path}: {report.nodes} nodes, {report.edges} relations in {report.seconds:.2f} s")
        return
    if not uri:
        raise click.UsageError("give --uri (or set NEO4J_URI), or --embedded for the store in BUILD_DIR")
    from loaders.dialects import dialect as bolt_dialect
    from loaders.neo4j import BoltSettings, BoltStore, prepare_load, run_load

    settings = BoltSettings(uri, user, password, database, dialect)
    plan = prepare_load(build_dir, batch_size, max_batch_bytes or bolt_dialect(dialect).safe_request_bytes)
    with BoltStore(settings) as store, progress_bar("loading", len(plan.batches), quiet) as advance:
        report = run_load(plan, store, replace=replace, progress=advance)
    if not quiet:
        deleted = f" after deleting {report.deleted} nodes" if replace else ""
        click.echo(f"loaded {build_dir} into {settings.shown_uri}{deleted}: {report.nodes} nodes, {report.edges} relations "
                   f"in {report.batches} batches, {report.seconds:.2f} s")


@main.command(name="query")
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the query (repeatable).")
@click.option("--cypher", "cypher_text", metavar="TEXT", help="Run this read-only Cypher instead of a named query.")
@click.option("--build", "build_dir", envvar="KG_BUILD", type=click.Path(path_type=Path),
              help="Build directory whose embedded store to query [env KG_BUILD].")
@click.option("--uri", help="Query this Neo4j server over Bolt instead of the embedded store.")
@_bolt_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS", help="Stop the query after this long.")
@reports_errors
def query(name: str | None, params: tuple[str, ...], cypher_text: str | None, build_dir: Path | None, uri: str | None,
          user: str | None, password: str | None, database: str | None, dialect: str, fmt: str, timeout: float | None) -> None:
    """Run the named query NAME (or --cypher) on a build's embedded store, or on Neo4j with --uri.

    Without NAME or --cypher, list the named queries. Queries run read-only. Example:

    \b
        kg query chain_masters --build out/sample --param place=青禾镇 --format csv
    """
    from kg.queries import NamedQuery, adhoc_params, bind, catalogue, format_result, named, run

    if name and cypher_text:
        raise click.UsageError("give either a query NAME or --cypher, not both")
    _existing_dir(build_dir)
    if not name and not cypher_text:
        for item in catalogue().values():
            shown = ", ".join(p.name + ("" if p.required else "?") for p in item.params)
            click.echo(f"{item.name}({shown})\n    {item.answers}")
        return
    if cypher_text:
        chosen: str | NamedQuery = cypher_text
        values = adhoc_params(_parse_params(params))
    else:
        chosen = named(name or "")
        values = bind(chosen, _parse_params(params))
    bolt = None
    if uri:
        from loaders.neo4j import BoltSettings

        bolt = BoltSettings(uri, user, password, database, dialect)
    elif build_dir is not None:
        from kg.graph import read_nodes

        next(read_nodes(build_dir), None)  # a folder that is no build at all is a contract error, not a missing store
    click.echo(format_result(run(chosen, values, build_dir=build_dir, bolt=bolt, timeout=timeout), fmt))
