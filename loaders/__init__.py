"""Graph stores: Neo4j (or any Bolt server) and the embedded LadybugDB store.

* :mod:`loaders.records` — the stored data model shared by every store (and
  the ``neo4j-admin`` export): typed properties, provenance as canonical JSON
  strings.
* :mod:`loaders.dialects` — every difference between Neo4j 5, FalkorDB over
  Bolt and LadybugDB.
* :mod:`loaders.cypher` — every Cypher statement the loaders send.
* :mod:`loaders.batches` — requests cut by rows and bytes.
* :mod:`loaders.neo4j` — load into and read from a Bolt server.
* :mod:`loaders.embedded` — build and read the store inside a build directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class QueryResult:
    """Columns and rows of a read, values as plain Python (the same shape from every store)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        """Rows as maps from column to value."""
        return [dict(zip(self.columns, row)) for row in self.rows]
