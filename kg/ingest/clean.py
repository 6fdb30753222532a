"""OCR clean-up that keeps an exact map back to the original text.

Newspaper OCR breaks lines mid-word, leaves spaces inside words and repeats
paragraphs. Every step here only deletes characters or substitutes one
character for one character, so each clean character keeps the offsets it had
in the original text, and an extracted span can always be traced back.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from functools import lru_cache

import numpy as np

from kg.ingest.articles import BYLINE_LINE
from kg.model import TextMap

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SUBSTITUTIONS = str.maketrans({"\u3000": " ", "\xa0": " ", "\t": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n"})
# A space is noise unless it separates two Latin words or numbers ("Ping An", "3 500").
_SPACE_RUN = re.compile(r"[ \f\v]+")
_LATIN = re.compile(r"[A-Za-z0-9]")
_TERMINAL = frozenset("。！？!?；;…”」』）)】>》")
_INTERNAL = re.compile(r"[，,、；;：:]")
_LEAD = re.compile(r"^(本报讯|□|■|●|▲|◆|【|（本报|\(本报|记者|通讯员|本报记者|图为|—)")
_TRADITIONAL_SHARE = 0.02
MIN_DUPLICATE_CHARS = 20
MIN_REWORDED_CHARS = 40
_MARKDOWN_MARK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|>[ \t]?|\d+\.[ \t]+)|\*\*|__|`", re.MULTILINE)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    """Traditional to simplified, character for character, or ``text`` unchanged."""
    cjk = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    if not cjk:
        return text
    converter = _t2s()
    converted = converter.convert(text)
    if len(converted) != len(text):
        converted = "".join(line if len(c := converter.convert(line)) != len(line) else c for line in text.split("\n"))
        if len(converted) != len(text):
            return text
    changed = sum(1 for a, b in zip(text, converted) if a != b)
    return converted if changed > cjk * _TRADITIONAL_SHARE else text


def _drop_noise_spaces(text: str) -> np.ndarray:
    keep = np.ones(len(text), dtype=bool)
    for match in _SPACE_RUN.finditer(text):
        before = text[match.start() - 1] if match.start() else "\n"
        after = text[match.end()] if match.end() < len(text) else "\n"
        if not (_LATIN.match(before) and _LATIN.match(after)):
            keep[match.start() : match.end()] = False
    return keep


def _is_body_line(line: str) -> bool:
    return len(line) >= 25 or bool(_INTERNAL.search(line))


def _is_headline_like(line: str) -> bool:
    return len(line) < 40 and not _INTERNAL.search(line) and line[-1] not in _TERMINAL


def _continues(previous: str, following: str) -> bool:
    """Whether ``following`` is the rest of a sentence broken after ``previous``."""
    if previous[-1] in _TERMINAL or not _is_body_line(previous):
        return False
    if BYLINE_LINE.match(previous):  # "记者：林晓晴", "文/图：周明远": the colon makes it look like a body line
        return False
    if _LEAD.match(following) or _is_headline_like(following):
        return False
    return True


def _select(text: str, index: np.ndarray) -> str:
    """The characters of ``text`` at ``index``, without a Python loop per character."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return codes[index].tobytes().decode("utf-32-le")


def _normalise_paragraph(text: str) -> str:
    return re.sub(r"[\s\"“”'‘’]", "", text)


def _after_opening_clause(paragraph: str) -> str:
    """A paragraph without its opening clause (据悉, / 据笔者了解,), or "" when it has none."""
    match = re.search(r"[，,]", paragraph[:12])
    return paragraph[match.end() :] if match else ""


def _starts_one_of(ordered: list[str], paragraph: str) -> bool:
    """Whether a string of the sorted list ``ordered`` starts with ``paragraph``.

    Those strings sort next to each other, right from where ``paragraph`` would be inserted, so one
    look-up answers: a page of 100 000 paragraphs with the same opening stays linear, not quadratic.
    """
    at = bisect_left(ordered, paragraph)
    return at < len(ordered) and ordered[at].startswith(paragraph)


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def clean_text(text: str, base: TextMap | None = None, *, markdown: bool = False) -> tuple[TextMap, int]:
    """Clean ``text`` and map every kept character back to the original.

    ``base`` maps ``text`` itself to an earlier original (an HTML page); the
    result then maps straight to that original. ``markdown`` drops heading,
    list, quote and emphasis marks. A paragraph repeated whole, as the start
    of an earlier one, or with only its opening clause changed ("据悉,…" and
    "据笔者了解,…" over the same report) is dropped. Returns the clean text map
    and the number of repeated paragraphs dropped.

    Examples
    --------
    >>> tm, dropped = clean_text("产业链 长制 推进\\n\\n  重点项目建设,加快推进重点产业链建设和重\\n\\n点企业培育。")
    >>> tm.text
    '产业链长制推进\\n重点项目建设,加快推进重点产业链建设和重点企业培育。'
    >>> tm.original_span(3, 5)
    (4, 6)
    """
    substituted = _to_simplified(text.translate(_SUBSTITUTIONS))
    keep = _drop_noise_spaces(substituted)
    if markdown:
        for match in _MARKDOWN_MARK.finditer(substituted):
            keep[match.start() : match.end()] = False
    index = np.flatnonzero(keep)
    stage = _select(substituted, index) if len(index) != len(substituted) else substituted

    keep2 = np.ones(len(stage), dtype=bool)
    lines = [(s, e) for s, e in _lines(stage)]
    by_prefix: dict[str, list[str]] = {}  # earlier paragraphs by their opening, each list sorted
    bodies: set[str] = set()
    dropped = 0
    kept_lines: list[tuple[int, int]] = []
    for start, end in lines:
        normalised = _normalise_paragraph(stage[start:end])
        body = _after_opening_clause(normalised)
        if len(normalised) >= MIN_DUPLICATE_CHARS:
            earlier = by_prefix.setdefault(normalised[:MIN_DUPLICATE_CHARS], [])
            if _starts_one_of(earlier, normalised) or body in bodies:
                keep2[start:end] = False
                dropped += 1
                continue
            insort(earlier, normalised)
            if len(body) >= MIN_REWORDED_CHARS:
                bodies.add(body)
        kept_lines.append((start, end))
    # Line breaks: one newline between paragraphs, none inside a broken sentence.
    for (prev_start, prev_end), (next_start, _next_end) in zip(kept_lines, kept_lines[1:]):
        gap = slice(prev_end, next_start)
        keep2[gap] = False
        if not _continues(stage[prev_start:prev_end], stage[next_start:_next_end]):
            newline = stage.index("\n", prev_end, next_start)
            keep2[newline] = True
    if kept_lines:
        keep2[: kept_lines[0][0]] = False
        keep2[kept_lines[-1][1] :] = False
    final = index[np.flatnonzero(keep2)]
    clean = _select(substituted, final)
    if base is None:
        return TextMap(clean, final.astype(np.int64), final.astype(np.int64) + 1), dropped
    return TextMap(clean, base.starts[final], base.ends[final]), dropped
