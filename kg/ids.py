"""Stable ids: ``sha1`` of a label (or relation type) and a canonical key, never positions.

Rebuilding the same corpus therefore yields the same ids. Resolution keys
entities with them and the graph writes them: one module both stages read.
"""

from __future__ import annotations

import hashlib


def stable_id(*parts: str) -> str:
    """``sha1`` of the parts joined by a separator, first 16 hex digits.

    Examples
    --------
    >>> stable_id("Place", "371702") == stable_id("Place", "371702")
    True
    >>> len(stable_id("Chain", "生物医药"))
    16
    """
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def node_id(label: str, key: str) -> str:
    """Id of the node with ``label`` and canonical ``key``."""
    return stable_id(label, key)


def edge_id(rel_type: str, source: str, target: str, discriminator: str = "") -> str:
    """Id of a relation; ``discriminator`` separates parallel edges (two titles, say)."""
    return stable_id(rel_type, source, target, discriminator)
