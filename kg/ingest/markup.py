"""HTML pages to text, keeping where each character came from.

A regex scanner rather than a DOM: newspaper archives are often broken HTML,
and all we need is the visible text with block tags turned into line breaks
and entities decoded, each output character mapped to its source offsets.
"""

from __future__ import annotations

import html
import re

import numpy as np

from kg.model import TextMap

_TOKEN = re.compile(
    r"(?P<skip><(script|style|head|noscript)\b.*?</\2\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>)"
    r"|(?P<tag></?(?P<name>[a-zA-Z][a-zA-Z0-9]*)[^>]*>)"
    r"|(?P<entity>&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)",
    re.DOTALL | re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div br h1 h2 h3 h4 h5 h6 li tr td th section article header footer title table ul ol dd dt blockquote pre".split()
)


def looks_like_html(text: str) -> bool:
    """Whether a ``.txt``/``.md`` file actually holds an HTML page."""
    head = text[:2048].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head


def strip_html(text: str) -> TextMap:
    """Visible text of an HTML page with an exact map back to ``text``.

    Examples
    --------
    >>> tm = strip_html("<p>链长&amp;链主</p><script>x()</script>")
    >>> tm.text
    '\\n链长&链主\\n'
    >>> tm.original_span(3, 4)
    (5, 10)
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            chars.append(text[position : match.start()])
            starts.extend(range(position, match.start()))
            ends.extend(range(position + 1, match.start() + 1))
        if match.group("tag") and match.group("name").lower() in _BLOCK_TAGS:
            chars.append("\n")
            starts.append(match.start())
            ends.append(match.end())
        elif match.group("entity"):
            decoded = html.unescape(match.group("entity"))
            chars.append(decoded)
            starts.extend([match.start()] * len(decoded))
            ends.extend([match.end()] * len(decoded))
        position = match.end()
    if position < len(text):
        chars.append(text[position:])
        starts.extend(range(position, len(text)))
        ends.extend(range(position + 1, len(text) + 1))
    return TextMap("".join(chars), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
