"""Fixture texts and the offset-map checker shared by the ingest tests.

The pages are composed for these tests: news of 青禾县, a county that does not
exist, and its new-materials chain. Nothing is copied from the sample pages.
The checker states what "the offset map is exact" means, independently of
the code under test: every clean character comes from its original slice
(the same character, or its space/line-break/entity/traditional counterpart),
the spans never run backwards, and whatever the clean-up deleted between two
kept characters is blank, markup, or a repeat of text already kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from kg.model import TextMap

# A simplified page with a masthead date, a 本报讯 lead with a two-person byline, and an amount.
PAGE = (
    "2024年3月18日 星期一\n"
    "\n"
    "青禾县新材料产业链推进会召开\n"
    "\n"
    "本报讯（记者 林晓晴 通讯员 周明远）3月15日,青禾县新材料产业链推进会在县经济开发区召开。"
    "县委副书记、县长方志诚出席会议并讲话。\n"
    "\n"
    "会议指出,要围绕碳纤维、特种玻璃两条产业链,加快引进配套企业,推动青禾华材新材料有限公司"
    "年产两万吨碳纤维项目尽快投产。\n"
    "\n"
    "今年,全县计划实施重点项目36个,总投资86亿元。\n"
)

# The same news in traditional characters (for Big5), written by hand.
PAGE_TRADITIONAL = (
    "青禾縣新材料產業鏈推進會召開\n"
    "\n"
    "本報訊（記者 林曉晴）3月15日，青禾縣新材料產業鏈推進會在縣經濟開發區召開。縣委副書記、縣長方志誠出席會議並講話。\n"
    "\n"
    "會議指出，要圍繞碳纖維、特種玻璃兩條產業鏈，加快引進配套企業，推動青禾華材新材料有限公司擴能項目儘快投產。\n"
)

# Its simplified form, converted by hand character by character (儘快 -> 尽快, 並 -> 并, 擴 -> 扩).
PAGE_TRADITIONAL_AS_SIMPLIFIED = (
    "青禾县新材料产业链推进会召开\n"
    "\n"
    "本报讯（记者 林晓晴）3月15日，青禾县新材料产业链推进会在县经济开发区召开。县委副书记、县长方志诚出席会议并讲话。\n"
    "\n"
    "会议指出，要围绕碳纤维、特种玻璃两条产业链，加快引进配套企业，推动青禾华材新材料有限公司扩能项目尽快投产。\n"
)

# Traditional -> simplified for every character these tests use (checked against a dictionary by hand).
TRADITIONAL = {
    "縣": "县", "產": "产", "業": "业", "鏈": "链", "進": "进", "會": "会", "開": "开", "報": "报", "訊": "讯",
    "記": "记", "曉": "晓", "經": "经", "濟": "济", "發": "发", "區": "区", "書": "书", "長": "长", "誠": "诚",
    "議": "议", "並": "并", "講": "讲", "話": "话", "圍": "围", "繞": "绕", "纖": "纤", "維": "维", "種": "种",
    "兩": "两", "條": "条", "擴": "扩", "項": "项", "儘": "尽", "華": "华", "計": "计", "劃": "划", "資": "资",
    "億": "亿", "園": "园", "鎮": "镇", "設": "设", "實": "实", "總": "总", "內": "内", "點": "点", "動": "动",
}

_SKIPPED_MARKUP = re.compile(
    r"<(script|style|head|noscript)\b.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_SPACES = {"\u3000": " ", "\xa0": " ", "\t": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n"}
_QUOTES = re.compile(r"[\"“”'‘’]")


def simplified(text: str) -> str:
    """``text`` with the space variants made plain and the traditional characters above simplified."""
    return "".join(TRADITIONAL.get(char, _SPACES.get(char, char)) for char in text)


def visible(original: str, markup: bool) -> str:
    """What a reader sees of an original slice: markup removed, entities decoded, no whitespace."""
    if markup:
        original = html.unescape(_TAG.sub("", _SKIPPED_MARKUP.sub("", original)))
    return re.sub(r"\s", "", simplified(original))


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether the characters of ``needle`` occur in ``haystack`` in order."""
    rest: Iterator[str] = iter(haystack)
    return all(char in rest for char in needle)


@dataclass(frozen=True)
class OffsetCheck:
    """Assertions about a clean :class:`TextMap` against its original text."""

    def counterpart(self, piece: str, char: str) -> bool:
        """Whether the original ``piece`` may have become the clean character ``char``."""
        if piece == char or TRADITIONAL.get(piece) == char or _SPACES.get(piece) == char:
            return True
        if char == "\n" and _TAG.fullmatch(piece):
            return True
        if _ENTITY.fullmatch(piece):
            decoded = html.unescape(piece)
            return char in decoded or char in simplified(decoded)
        return False

    def exact(self, original: str, clean: TextMap, markup: bool = False) -> None:
        """Assert the map is exact and monotone, and that only noise or repeats were deleted."""
        text, starts, ends = clean.text, clean.starts.tolist(), clean.ends.tolist()
        assert len(starts) == len(ends) == len(text)
        for i, char in enumerate(text):
            assert 0 <= starts[i] < ends[i] <= len(original), (i, char)
            piece = original[starts[i] : ends[i]]
            assert self.counterpart(piece, char), f"clean {char!r} at {i} maps to {piece!r}"
        kept = _QUOTES.sub("", re.sub(r"\s", "", simplified(text)))
        for i in range(len(text) - 1):
            same = (starts[i], ends[i]) == (starts[i + 1], ends[i + 1])  # one entity decoded to two characters
            assert same or ends[i] <= starts[i + 1], f"spans {i} and {i + 1} overlap or run backwards"
            if not same:
                self._deleted_is_noise(original[ends[i] : starts[i + 1]], kept, markup)
        if text:
            self._deleted_is_noise(original[: starts[0]], kept, markup)
            self._deleted_is_noise(original[ends[-1] :], kept, markup)

    @staticmethod
    def _deleted_is_noise(gap: str, kept: str, markup: bool) -> None:
        # Several repeated paragraphs may be dropped in a row: each line must be blank, a repeat,
        # or a repeat with only its opening clause reworded (据悉, / 据笔者了解,).
        lines = re.split(r"[\n\r]|<[^>]*>" if markup else r"[\n\r]", _SKIPPED_MARKUP.sub("\n", gap) if markup else gap)
        for line in lines:
            deleted = re.sub(r"\*\*|__|`|^(?:#{1,6}|[-*+>]|\d+\.)", "", _QUOTES.sub("", visible(line, markup)))
            reworded = re.split(r"[，,]", deleted, maxsplit=1)[-1]
            assert deleted == "" or deleted in kept or (len(reworded) >= 40 and reworded in kept), (
                f"deleted text {gap!r} is neither blank nor a repeat"
            )

    def span(self, original: str, clean: TextMap, start: int, end: int, markup: bool = False, repeats: bool = False) -> None:
        """Assert the original slice of a clean span reads as the clean surface.

        Without dropped repeats the two are equal once markup and whitespace are gone;
        with them, the surface is still found in the slice in order.
        """
        first, last = clean.original_span(start, end)
        surface = re.sub(r"\s", "", simplified(clean.text[start:end]))
        seen = visible(original[first:last], markup)
        if repeats:
            assert is_subsequence(surface, seen), (surface, seen)
        else:
            assert seen == surface


@pytest.fixture(scope="session")
def offsets() -> OffsetCheck:
    """The offset-map checker."""
    return OffsetCheck()


@pytest.fixture(scope="session")
def page() -> str:
    """The simplified 青禾县 page."""
    return PAGE


@pytest.fixture(scope="session")
def traditional_page() -> tuple[str, str]:
    """The traditional 青禾县 page and its hand-converted simplified form."""
    return PAGE_TRADITIONAL, PAGE_TRADITIONAL_AS_SIMPLIFIED
