"""The per-document cache: pickled resolution states (:class:`kg.resolve.state.DocumentState`) on disk, keyed by content, name and pipeline version."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from kg.resolve.state import DocumentState

CACHE_DIR = ".kg-cache"


def cache_dir_for(out_dir: Path) -> Path:
    """Where the cache of the build ``out_dir`` lives: the hidden sibling ``.<name>.kg-cache``.

    Examples
    --------
    >>> cache_dir_for(Path("out/sample")).as_posix()
    'out/.sample.kg-cache'
    """
    return out_dir.parent / f".{out_dir.name}{CACHE_DIR}"


class ExtractionCache:
    """Pickled document states (an extraction, keyed for resolution) on disk, keyed by content hash, document name and pipeline version.

    Examples
    --------
    >>> import tempfile
    >>> cache = ExtractionCache(Path(tempfile.mkdtemp()))
    >>> key = cache.key(hashlib.sha1(b"text").hexdigest(), "a.txt", "v1")
    >>> cache.get(key) is None
    True
    >>> key == cache.key(hashlib.sha1(b"text").hexdigest(), "b.txt", "v1")
    False
    """

    def __init__(self, root: Path | None) -> None:
        self.root = root
        if root is not None:
            root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(digest: str, name: str, version: str) -> str:
        """Cache key of one document from the sha1 of its bytes, its name and the pipeline version."""
        return hashlib.sha1("\0".join((digest, name, version)).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.pkl"

    def get(self, key: str) -> DocumentState | None:
        """A cached state, or None (a damaged entry counts as a miss)."""
        if self.root is None:
            return None
        try:
            with self._path(key).open("rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return value if isinstance(value, DocumentState) else None

    def put(self, key: str, payload: bytes) -> None:
        """Store a pickled state (atomically: write then rename)."""
        if self.root is None:
            return
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{key}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        os.replace(temporary, path)
