"""Exports of a build for visualisation and bulk loading, one module per format.

Each format registers a writer in ``WRITERS``: a function taking the build
directory, the output path and the selection options, returning a short
description of what it wrote. ``kg export FORMAT BUILD_DIR --out PATH``
dispatches here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Writer = Callable[..., str]
WRITERS: dict[str, Writer] = {}


def register(name: str) -> Callable[[Writer], Writer]:
    """Register a writer under a format name (used as a decorator)."""

    def decorate(function: Writer) -> Writer:
        WRITERS[name] = function
        return function

    return decorate


def export(format_name: str, build_dir: Path, out: Path, **options: Any) -> str:
    """Write ``build_dir`` in ``format_name`` to ``out``."""
    from kg.export import formats  # noqa: F401  (imports every format module so they register)
    from kg.errors import ExportError

    if format_name not in WRITERS:
        raise ExportError(f"unknown export format {format_name!r} (known: {', '.join(sorted(WRITERS))})")
    return WRITERS[format_name](Path(build_dir), Path(out), **options)
