"""Where the shipped data folders live, installed or in a source checkout.

``schema/`` and ``queries/`` sit at the top of the repository so a reader finds
them at once; ``pyproject.toml`` installs them as ``kg/_schema`` and
``kg/_queries`` so that a plain ``pip install .`` carries them.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder ``schema``, ``queries``, ``data`` or ``models``.

    Examples
    --------
    >>> (resource_dir("schema") / "graph.yaml").is_file()
    True
    """
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR / f"_{name}", _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"chainkg resource folder {name!r} is missing from the installation")
