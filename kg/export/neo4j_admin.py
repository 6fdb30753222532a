"""``kg export neo4j-admin``: CSV files for ``neo4j-admin database import full``, the fastest way
to put a large build into a new Neo4j database (no server round trips; the database must not exist).

One node file per label and one relation file per (type, start label, end label), with
neo4j-admin headers: ``id:ID(Place)`` (the ``id`` property, in one ID space per label),
``:LABEL``, ``:START_ID(Enterprise)``, ``:END_ID(Place)``, ``:TYPE``, and typed properties
(``aliases:string[]``, ``investment_yuan:long``, ``investment_amount:double``,
``inferred:boolean``). Values are those of every other store (:mod:`loaders.records`):
mentions and evidence are string lists of canonical JSON. Arrays use the unit separator
U+001F as delimiter and fields may span lines, so the command in ``DIR/README`` passes
``--array-delimiter=U+001F --multiline-fields=true``; the README also lists the
constraints and indexes to create once the database is started.

Examples
--------
>>> from kg.schema import load_schema
>>> node_header(load_schema(), "Project")[:4]
['id:ID(Project)', ':LABEL', 'name', 'aliases:string[]']
>>> edge_header(load_schema(), "CHAIN_MASTER_OF", "Enterprise", "Chain")
[':START_ID(Enterprise)', ':END_ID(Chain)', ':TYPE', 'id', 'inferred:boolean', 'evidence:string[]']
"""

from __future__ import annotations

import csv
import os
import shlex
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.export import register
from kg.export.select import load_selected
from kg.schema import Schema, load_schema
from loaders.dialects import Dialect
from loaders.records import BuildRows, edge_columns, graph_rows, node_columns

ARRAY_DELIMITER = "\x1f"
README = "README"
_MARK = "neo4j-admin import files written by `kg export neo4j-admin`"
_SUFFIX = {"string": "", "string[]": ":string[]", "long": ":long", "double": ":double", "boolean": ":boolean"}


def node_header(schema: Schema, label: str) -> list[str]:
    """The header of the node file of ``label``."""
    columns = node_columns(schema, label)
    return [f"id:ID({label})", ":LABEL"] + [name + _SUFFIX[t] for name, t in columns.items() if name != "id"]


def edge_header(schema: Schema, rel_type: str, head: str, tail: str) -> list[str]:
    """The header of the relation file of ``rel_type`` from ``head`` to ``tail``."""
    columns = edge_columns(schema, rel_type)
    return [f":START_ID({head})", f":END_ID({tail})", ":TYPE"] + [name + _SUFFIX[t] for name, t in columns.items()]


def _field(value: Any, type_name: str, where: str) -> str:
    if type_name == "string[]":
        for item in value:
            if ARRAY_DELIMITER in item:
                raise ExportError(f"{where}: a list item holds U+001F, the array delimiter")
        return ARRAY_DELIMITER.join(value)
    if value is None:
        return ""
    if type_name == "boolean":
        return "true" if value else "false"
    return str(value)


def write_files(rows: BuildRows, schema: Schema, folder: Path) -> tuple[list[str], list[str]]:
    """Write every node and relation file into ``folder``; returns their names (nodes, relations)."""
    node_files, edge_files = [], []
    for label, node_rows in sorted(rows.nodes.items()):
        columns = node_columns(schema, label)
        name = f"nodes_{label}.csv"
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(node_header(schema, label))
            for row in node_rows:
                values = {**row.scalars, **row.lists}
                writer.writerow([row.id, label] + [_field(values[c], t, f"node {row.id}") for c, t in columns.items() if c != "id"])
        node_files.append(name)
    for (rel_type, head, tail), edge_rows in sorted(rows.edges.items()):
        columns = edge_columns(schema, rel_type)
        name = f"relationships_{rel_type}_{head}_{tail}.csv"
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(edge_header(schema, rel_type, head, tail))
            for edge in edge_rows:
                values = {"id": edge.id, **edge.scalars, **edge.lists}
                writer.writerow([edge.source, edge.target, rel_type]
                                + [_field(values[c], t, f"edge {edge.id}") for c, t in columns.items()])
        edge_files.append(name)
    return node_files, edge_files


def import_command(folder: Path, node_files: list[str], edge_files: list[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command for the files in ``folder`` (absolute paths)."""
    options = [f"--nodes={folder / name}" for name in node_files]
    options += [f"--relationships={folder / name}" for name in edge_files]
    options += ["--id-type=string", "--array-delimiter=U+001F", "--multiline-fields=true"]
    lines = [f"neo4j-admin database import full {shlex.quote(database)}"] + [shlex.quote(option) for option in options]
    return " \\\n        ".join(lines)


def readme(folder: Path, node_files: list[str], edge_files: list[str], rows: BuildRows, schema: Schema) -> str:
    """The README of an export folder: what is there, the import command, the constraints to add after."""
    ddl = "\n".join(f"    {s.text};" for s in Dialect().schema_statements(schema))
    return (
        f"{_MARK}\n\n"
        f"{rows.node_count} nodes in {len(node_files)} files, {rows.edge_count} relationships in {len(edge_files)} files.\n"
        "Mentions and evidence are string arrays of JSON objects; an empty array is imported as no property.\n\n"
        "Import into a new database (stop it first, or name one that does not exist yet):\n\n"
        f"    {import_command(folder, node_files, edge_files)}\n\n"
        "Then start it (CREATE DATABASE neo4j, or restart the server) and add the constraints and indexes\n"
        "that `kg load` would have made (cypher-shell, or the Neo4j Browser):\n\n"
        f"{ddl}\n"
    )


@register("neo4j-admin")
def write_neo4j_admin(build_dir: Path, out: Path, **options: Any) -> str:
    """Write the selection as neo4j-admin import CSV files and a README into the folder ``out``.

    The folder is written beside and then swapped in, so a failure leaves the old one; an
    existing folder is replaced only if it is empty or an earlier export of this kind.

    Examples
    --------
    ``kg export neo4j-admin out/sample --out out/neo4j-import``
    """
    out = Path(out).resolve()
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or _is_export(out))):
        raise ExportError(f"{out}: exists and is not an earlier neo4j-admin export; choose a new folder")
    schema = load_schema()
    selected = load_selected(build_dir, options)
    rows = graph_rows(selected.graph, schema)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        node_files, edge_files = write_files(rows, schema, staging)
        (staging / README).write_text(readme(out, node_files, edge_files, rows, schema), encoding="utf-8")
        if out.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, backup / out.name)
            os.replace(staging, out)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return (f"wrote {out}: {rows.node_count} nodes and {rows.edge_count} relationships in "
            f"{len(node_files) + len(edge_files)} CSV files; the import command is in {out / README}")


def _is_export(folder: Path) -> bool:
    try:
        return (folder / README).read_text(encoding="utf-8").startswith(_MARK)
    except OSError:
        return False
