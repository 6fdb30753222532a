"""One exception hierarchy for the whole package.

The CLI maps each class to a one-line message and a documented exit code
(see ``EXIT_CODES`` and the README), so library code raises, never prints.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class: every error the tool reports on purpose."""

    exit_code = 1


class InputError(KGError):
    """A path the user gave does not exist or holds no documents."""

    exit_code = 3


class DocumentError(KGError):
    """One document cannot be read; the build skips it and counts the reason."""

    exit_code = 4

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class SchemaError(KGError):
    """A node or edge breaks ``schema/graph.yaml`` (for instance a bad endpoint pair)."""

    exit_code = 5


class ContractError(KGError):
    """A build directory is missing files or holds malformed records."""

    exit_code = 6


class StoreError(KGError):
    """A graph store (Neo4j over Bolt or the embedded store) failed or refused."""

    exit_code = 7


class QueryError(KGError):
    """A named query is unknown, a parameter is malformed, or a query timed out."""

    exit_code = 8


class ExportError(KGError):
    """An export cannot be written as asked: a selection that matches nothing or is too large
    for the format, or a missing font for the static picture."""

    exit_code = 9


EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "error": KGError.exit_code,
    "usage": 2,
    "input": InputError.exit_code,
    "document": DocumentError.exit_code,
    "schema": SchemaError.exit_code,
    "contract": ContractError.exit_code,
    "store": StoreError.exit_code,
    "query": QueryError.exit_code,
    "export": ExportError.exit_code,
}
