"""Writing an export file safely, and the one line ``kg export`` prints about it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.export.select import Selected


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out`` that replaces ``out`` only if the block succeeds,
    so a failed or interrupted export never leaves half a file where the old one was.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "sub" / "graph.txt"
    >>> with atomic_path(target) as path:
    ...     _ = path.write_text("ok")
    >>> target.read_text()
    'ok'
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def human_size(size: int) -> str:
    """Bytes for people.

    Examples
    --------
    >>> human_size(512), human_size(2048), human_size(3 * 1024 * 1024)
    ('512 B', '2.0 KiB', '3.0 MiB')
    """
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


def written(out: Path, selected: Selected, what: str) -> str:
    """``'wrote graph.html (1.2 MiB): interactive page, 12 of 363 nodes, …; around Place 烟台市 …'``."""
    size = human_size(Path(out).stat().st_size)
    return f"wrote {out} ({size}): {what}, {selected.counts_line()}; {selected.selection.describe()}"
