"""Named analyst queries: the ``queries/*.cypher`` catalogue, parameters, read-only runs, output.

Each file starts with a header of ``//`` comment lines::

    // name: place_chains
    // answers: Which industrial chains a place develops, with tier and scale.
    // param: place (string, default "") the place (name or alias); "" for every place
    // example: kg query place_chains --build out/sample --param place=青禾镇

``name`` must equal the file name; ``param`` lines (any number) give a name,
a type (``string``, ``int``, ``float``, ``bool``), an optional default as a
JSON value (a parameter without one is required) and what it means. The
queries are written in Cypher that runs unchanged on Neo4j 5, FalkorDB and
the embedded LadybugDB store; optional filters use ``''`` or ``0`` rather
than ``null`` because LadybugDB types a null parameter as a boolean. Where a
query must name labels or relation types generically (``type(r)`` in Neo4j,
``label(r)`` in LadybugDB), a variant file ``NAME.DIALECT.cypher`` holds the
same query for that dialect. Only the query body is sent, not the header:
FalkorDB crashes on requests over ~4 KiB.

Every query, named or ad hoc (``kg query --cypher``), runs read-only: it is
refused if it holds a write clause (see :mod:`loaders.dialects`), then run in
a read transaction (Bolt) or on the store opened read-only (embedded).

Examples
--------
>>> query = catalogue()["place_chains"]
>>> [p.name for p in query.params], bind(query, {"place": "青禾镇"})
(['place'], {'place': '青禾镇'})
>>> check_read_only("MATCH (n) RETURN n.set AS `CREATE`, 'DELETE' AS word", "neo4j")
>>> check_read_only("MATCH (n) DETACH DELETE n", "neo4j")
Traceback (most recent call last):
...
kg.errors.QueryError: kg query runs read-only queries; this one contains DETACH
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError
from kg.resources import resource_dir

if TYPE_CHECKING:
    from loaders import QueryResult
    from loaders.neo4j import BoltSettings

PARAM_TYPES = ("string", "int", "float", "bool")
FORMATS = ("table", "csv", "json")
_HEADER = re.compile(r"^//\s*(?P<key>[a-z]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?:\s*,\s*default\s+(?P<default>.+?))?\)\s*(?P<help>.*)$")


@dataclass(frozen=True, slots=True)
class Param:
    """A declared parameter; ``required`` when it has no default."""

    name: str
    type: str
    default: Any
    required: bool
    help: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """One ``queries/NAME.cypher`` file, with its dialect variants (``NAME.DIALECT.cypher``)."""

    name: str
    answers: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    text: str
    path: Path
    variants: tuple[tuple[str, str], ...] = ()

    def text_for(self, dialect_name: str) -> str:
        """The query body to send to a store of ``dialect_name``."""
        return dict(self.variants).get(dialect_name, self.text)


def _header_and_body(path: Path) -> tuple[dict[str, list[str]], str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, list[str]] = {}
    start = 0
    while start < len(lines) and lines[start].startswith("//"):
        match = _HEADER.match(lines[start])
        if match:
            fields.setdefault(match["key"], []).append(match["value"])
        start += 1
    body = "\n".join(lines[start:]).strip()
    name = (fields.get("name") or [""])[0]
    if name != path.name.split(".")[0]:
        raise QueryError(f"{path}: the header must start with `// name: {path.name.split('.')[0]}`")
    if not fields.get("answers"):
        raise QueryError(f"{path}: the header has no `// answers:` line")
    if not body:
        raise QueryError(f"{path}: holds no query")
    return fields, body


def parse_query_file(path: Path) -> NamedQuery:
    """Read one query file (its header and body) and the variant files beside it.

    Raises
    ------
    QueryError
        When a header is missing a name or answer, or declares a parameter badly.
    """
    fields, body = _header_and_body(path)
    variants = tuple((variant.name.split(".")[1], _header_and_body(variant)[1])
                     for variant in sorted(path.parent.glob(f"{path.stem}.*.cypher")))
    return NamedQuery(path.stem, fields["answers"][0], tuple(_parse_param(path, line) for line in fields.get("param", [])),
                      tuple(fields.get("example", [])), body, path, variants)


def _parse_param(path: Path, line: str) -> Param:
    match = _PARAM.match(line)
    if not match or match["type"] not in PARAM_TYPES:
        raise QueryError(f"{path}: cannot read `// param: {line}` (expected `NAME (TYPE[, default JSON]) help`, "
                         f"TYPE one of {', '.join(PARAM_TYPES)})")
    if match["default"] is None:
        return Param(match["name"], match["type"], None, True, match["help"])
    try:
        default = json.loads(match["default"])
    except json.JSONDecodeError as exc:
        raise QueryError(f"{path}: parameter {match['name']}: default {match['default']} is not JSON") from exc
    return Param(match["name"], match["type"], _convert(match["type"], default, match["name"]), False, match["help"])


@lru_cache(maxsize=1)
def catalogue() -> dict[str, NamedQuery]:
    """Every named query shipped in ``queries/``, by name."""
    paths = sorted(path for path in resource_dir("queries").glob("*.cypher") if "." not in path.stem)
    return {path.stem: parse_query_file(path) for path in paths}


def named(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    QueryError
        For an unknown name (the message lists the known ones).
    """
    queries = catalogue()
    if name not in queries:
        raise QueryError(f"no named query {name!r} (known: {', '.join(queries)})")
    return queries[name]


def _convert(type_name: str, value: Any, name: str) -> Any:
    try:
        if type_name == "string":
            return value if isinstance(value, str) else str(value)
        if type_name == "int":
            if isinstance(value, str) and not re.fullmatch(r"\s*[-+]?\d+\s*", value):
                raise ValueError
            return int(value)
        if type_name == "float":
            return float(value)
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise ValueError
    except (TypeError, ValueError):
        raise QueryError(f"parameter {name}: {value!r} is not a valid {type_name}") from None


def bind(query: NamedQuery, given: dict[str, str]) -> dict[str, Any]:
    """Typed values of every parameter of ``query``: given ones converted, defaults for the rest.

    Raises
    ------
    QueryError
        For an unknown or missing parameter, or a value of the wrong type.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - declared.keys())
    if unknown:
        raise QueryError(f"{query.name} has no parameter {unknown[0]!r} (it takes: {', '.join(declared) or 'none'})")
    values: dict[str, Any] = {}
    for param in query.params:
        if param.name in given:
            values[param.name] = _convert(param.type, given[param.name], param.name)
        elif param.required:
            raise QueryError(f"{query.name} needs --param {param.name}=… ({param.help})")
        else:
            values[param.name] = param.default
    return values


def adhoc_params(given: dict[str, str]) -> dict[str, Any]:
    """Parameters of an ad-hoc query: a JSON number, boolean or list as that value, anything else as text.

    Examples
    --------
    >>> adhoc_params({"n": "5", "name": "O'Neil", "ok": "true", "ids": '["a", "b"]'})
    {'n': 5, 'name': "O'Neil", 'ok': True, 'ids': ['a', 'b']}
    """
    values: dict[str, Any] = {}
    for key, text in given.items():
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = text
        values[key] = value if isinstance(value, (bool, int, float, list)) else text
    return values


_STRIPPED = re.compile(
    r"//[^\n]*|/\*.*?\*/"  # comments
    r"|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""  # string literals
    r"|`[^`]*`",  # quoted names
    re.DOTALL,
)
_WORD = re.compile(r"(?<![\w.$:])([A-Za-z_]\w*)\b(?!\s*:)")


def check_read_only(text: str, dialect_name: str) -> None:
    """Refuse a query holding a write clause (outside strings, comments and quoted names).

    Raises
    ------
    QueryError
        Naming the first refused keyword.
    """
    from loaders.dialects import dialect

    refused = dialect(dialect_name).refused_keywords()
    code = _STRIPPED.sub(" ", text)
    for word in _WORD.findall(code):
        if word.upper() in refused:
            raise QueryError(f"kg query runs read-only queries; this one contains {word.upper()}")


def run(query: str | NamedQuery, params: dict[str, Any], *, build_dir: Path | None = None, bolt: BoltSettings | None = None,
        timeout: float | None = None) -> QueryResult:
    """Run one read-only query (Cypher text, or a named query in the store's dialect) on Neo4j when
    ``bolt`` is given, else on the embedded store of ``build_dir``.

    Raises
    ------
    QueryError
        When the query writes, is rejected, or times out.
    StoreError
        When the store cannot be reached or opened.
    """
    if bolt is not None:
        from loaders.neo4j import BoltStore

        text = query if isinstance(query, str) else query.text_for(bolt.dialect)
        check_read_only(text, bolt.dialect)
        with BoltStore(bolt) as store:
            return store.read(text, params, timeout)
    if build_dir is None:
        raise QueryError("give --build DIR (a build made by `kg build`) or --uri of a Neo4j server")
    from loaders import embedded

    text = query if isinstance(query, str) else query.text_for("ladybug")
    check_read_only(text, "ladybug")
    return embedded.read(build_dir, text, params, timeout)


def result_ids(build_dir: Path, name: str, params: dict[str, str]) -> tuple[list[str], list[str]]:
    """Node ids and relation ids of ``build_dir`` that the named query returns (in any column), in order.

    Used by ``kg export --query``; runs on the build's embedded store.
    """
    from kg.graph import read_edges, read_nodes

    query = named(name)
    result = run(query, bind(query, params), build_dir=build_dir)
    node_ids = {record["id"] for record in read_nodes(Path(build_dir))}
    edge_ids = {record["id"] for record in read_edges(Path(build_dir))}
    found: dict[str, None] = {}
    pending: list[Any] = list(result.rows)
    while pending:
        value = pending.pop(0)
        if isinstance(value, list):
            pending[:0] = value
        elif isinstance(value, str):
            found.setdefault(value)
    return [v for v in found if v in node_ids], [v for v in found if v in edge_ids]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False)


def format_result(result: QueryResult, fmt: str) -> str:
    """``result`` as an aligned text table, CSV (lists as JSON) or JSON (a list of objects).

    Examples
    --------
    >>> from loaders import QueryResult
    >>> print(format_result(QueryResult(["地方", "n"], [["青禾镇", 3], [None, 12]]), "table"))
    地方    n
    ------  --
    青禾镇  3
            12
    (2 rows)
    """
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict))
                             else _cell(v) for v in row])
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    from rich.cells import cell_len

    cells = [[" ".join(_cell(v).split()) for v in row] for row in result.rows]
    widths = [max([cell_len(c)] + [cell_len(row[i]) for row in cells]) for i, c in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - cell_len(v)) for v, w in zip(values, widths)).rstrip()

    lines = [line(result.columns), line(["-" * w for w in widths]), *(line(row) for row in cells)]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)
