"""Finding documents under a corpus folder and decoding their bytes.

Encodings are detected, not assumed: a byte-order mark decides first, then a
strict UTF-8 decode, then charset-normalizer over the Chinese encodings users
actually send (GB18030/GBK, Big5, UTF-16). A UTF-8 file with a few invalid
bytes is kept, with the bytes replaced and counted, rather than misread as
GB18030; a binary file is refused with a reason.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import DocumentError, InputError

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ["gb18030", "big5", "utf_16", "utf_8"]
_MAX_REPLACED_SHARE = 0.002
_NOT_FILES = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
              (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded file: its text, the encoding used and how many bytes were replaced."""

    text: str
    encoding: str
    replaced: int = 0


def discover(root: Path) -> Iterator[Path]:
    """Yield the documents under ``root`` (or ``root`` itself), sorted.

    The folder is listed once, up front, and everything with a document's
    suffix that is not a folder is yielded: a file that disappears or turns
    unreadable later, a broken link or a named pipe is still a document the
    user gave, and reading it says why it is skipped, rather than it silently
    dropping out of the build.

    Raises
    ------
    InputError
        When ``root`` does not exist.
    """
    if not root.exists():
        raise InputError(f"{root}: no such file or directory")
    if not root.is_dir():
        yield root
        return
    yield from sorted(path for path in root.rglob("*") if path.suffix.lower() in SUFFIXES and not path.is_dir())


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return b"\x00" in sample or controls > len(sample) * 0.05


def decode(data: bytes, path: str) -> Decoded:
    """Decode ``data`` read from ``path``.

    Raises
    ------
    DocumentError
        For an empty, whitespace-only, binary or undecodable file.

    Examples
    --------
    >>> decode("链长制".encode("gb18030"), "a.txt").encoding
    'gb18030'
    >>> decode(codecs.BOM_UTF16_LE + "链长".encode("utf-16-le"), "b.txt").text
    '链长'
    """
    if not data:
        raise DocumentError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _non_blank(Decoded(data.decode(encoding), encoding.replace("-sig", " with BOM")), path)
            except UnicodeDecodeError as exc:
                raise DocumentError(path, f"invalid {encoding} after its byte-order mark ({exc.reason})") from exc
    # Before the UTF-8 attempt: NUL-filled binary data (tables, UTF-16 without a BOM) is often valid UTF-8.
    if _looks_binary(data):
        raise DocumentError(path, "binary content, not text")
    try:
        return _non_blank(Decoded(data.decode("utf-8"), "utf-8"), path)
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    if replaced <= max(3, int(len(lenient) * _MAX_REPLACED_SHARE)):
        return _non_blank(Decoded(lenient, "utf-8", replaced), path)
    matches = list(from_bytes(data, cp_isolation=_CANDIDATES))
    if not matches:
        raise DocumentError(path, "cannot detect the text encoding")
    # On a tie (short texts) prefer the mainland encoding: the papers are mainland papers.
    best = min(matches, key=lambda m: (m.chaos, -m.coherence, _CANDIDATES.index(m.encoding) if m.encoding in _CANDIDATES else 99))
    return _non_blank(Decoded(str(best), best.encoding), path)


def _non_blank(decoded: Decoded, path: str) -> Decoded:
    if not decoded.text.strip():
        raise DocumentError(path, "only whitespace")
    return decoded


def read_document_bytes(path: Path) -> bytes:
    """Read a regular file, turning OS failures into a :class:`DocumentError`.

    The file is opened without blocking and checked before it is read: a
    named pipe (or a device) with a document's name would otherwise stall the
    build for ever.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "folder.txt"
    >>> folder.mkdir()
    >>> try:
    ...     read_document_bytes(folder)
    ... except DocumentError as exc:
    ...     exc.problem
    'cannot be read (a directory, not a regular file)'
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise DocumentError(str(path), "cannot be read (a broken symbolic link)") from exc
        raise DocumentError(str(path), "disappeared before it could be read") from exc
    except PermissionError as exc:
        raise DocumentError(str(path), "not readable (permission denied)") from exc
    except OSError as exc:
        raise DocumentError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _NOT_FILES if test(mode)), "something else")
            raise DocumentError(str(path), f"cannot be read ({kind}, not a regular file)")
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(descriptor)
