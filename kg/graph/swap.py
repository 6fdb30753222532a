"""Atomic replacement of a build directory by a staged one.

A build killed between the two renames leaves ``.<name>.old``; the next
build puts it back first, so the previous output is never lost.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kg.graph.contract import CONTRACT_FILES


def swap_in(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` in place of ``out_dir``, keeping what is not part of the contract."""
    backup = out_dir.with_name(f".{out_dir.name}.old")
    if backup.exists():
        if out_dir.exists():
            shutil.rmtree(backup)
        else:
            os.replace(backup, out_dir)
    if out_dir.exists():
        keep_extra_entries(out_dir, staging)
        os.replace(out_dir, backup)
        os.replace(staging, out_dir)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(staging, out_dir)


def keep_extra_entries(old: Path, new: Path) -> None:
    """Carry over what is not part of the contract (the embedded store, the cache)."""
    for entry in old.iterdir():
        if entry.name not in CONTRACT_FILES and not (new / entry.name).exists():
            os.replace(entry, new / entry.name)
