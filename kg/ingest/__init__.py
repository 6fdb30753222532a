"""Reading input files into :class:`kg.model.Document` values.

Examples
--------
>>> from pathlib import Path
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "p.txt").write_text("链长制推进会召开\\n\\n本报讯 2月1日,会议召开。", encoding="utf-8")
>>> doc = read_document(root / "p.txt", root)
>>> doc.path, doc.articles[0].title
('p.txt', '链长制推进会召开')
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.ingest.articles import split_articles
from kg.ingest.clean import clean_text
from kg.ingest.markup import looks_like_html, strip_html
from kg.ingest.read import decode, discover, read_document_bytes
from kg.model import Document
from kg.ingest.dates import page_date

__all__ = ["discover", "document_from_bytes", "read_document", "relative_name"]


def relative_name(path: Path, root: Path) -> str:
    """The document id used in provenance: the path relative to the corpus root."""
    if not root.is_dir():
        return path.name
    return path.relative_to(root).as_posix()


def document_from_bytes(data: bytes, name: str, suffix: str) -> Document:
    """Decode, clean and segment one file's bytes; a pure function of its inputs."""
    decoded = decode(data, name)
    original = decoded.text
    if suffix in (".html", ".htm") or looks_like_html(original):
        clean, dropped = clean_text(*(lambda tm: (tm.text, tm))(strip_html(original)))
    else:
        clean, dropped = clean_text(original, markdown=suffix == ".md")
    date = page_date(clean.text[:400]) or page_date(clean.text)
    year = int(date[:4]) if date else None
    return Document(
        path=name,
        original=original,
        encoding=decoded.encoding,
        sha1=hashlib.sha1(data).hexdigest(),
        clean=clean,
        date=date,
        articles=split_articles(clean.text, year),
        dropped_paragraphs=dropped,
    )


def read_document(path: Path, root: Path) -> Document:
    """Read one file under ``root`` into a :class:`Document`.

    Raises
    ------
    kg.errors.DocumentError
        When the file cannot be read or decoded; the message names the file.
    """
    name = relative_name(path, root)
    return document_from_bytes(read_document_bytes(path), name, path.suffix.lower())
