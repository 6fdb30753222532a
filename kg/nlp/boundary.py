"""Where a Chinese name starts: the left boundary of a suffix-anchored name.

A suffix (有限公司, 产业园, 项目 …) marks where a name ends; where it starts is
the hard part in unsegmented text. We cut the text before the suffix into
words (jieba) and walk left while the words could belong to a name, stopping
at punctuation, numbers and the closed-class words that govern a name from
the left (verbs such as 引进/位于, prepositions, particles, pronouns).
Bracketed places "(菏泽)", middle dots and short quoted parts stay inside.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

from kg.nlp.lexicon import LEFT_STOP_TOKENS, PUNCTUATION

jieba.setLogLevel(60)
_PROTECTED = re.compile(r"[（(][\u4e00-\u9fff]{1,8}[）)]|[“\"][\u4e00-\u9fff]{1,8}[”\"]|·(?=[\u4e00-\u9fff])")
_NUMBERISH = re.compile(r"^[0-9０-９.%％+\-万亿千百十余多个条家项年月日号一二三四五六七八九十两几第]+$")
_MAX_DEFAULT = 24


@lru_cache(maxsize=65536)
def _tokens(window: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(jieba.tokenize(window, HMM=True))


def _protected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Bracketed places, short quotes and middle dots inside ``text[start:end]``."""
    return [(m.start(), m.end()) for m in _PROTECTED.finditer(text, start, end)]


def left_boundary(
    text: str,
    end: int,
    *,
    max_chars: int = _MAX_DEFAULT,
    floor: int = 0,
    extra_stops: frozenset[str] = frozenset(),
    allow_digits: bool = False,
) -> int:
    """Start of the name whose body ends at ``end`` (exclusive).

    ``floor`` is a position the name may not cross (the end of an entity
    already found to its left). Returns ``end`` when no name body precedes.

    Examples
    --------
    >>> s = "先行策划引进英搏尔电气"
    >>> s[left_boundary(s, len(s)):]
    '英搏尔电气'
    >>> s = "陈宝华先后来到昌盛源瑞隆化学(菏泽)"
    >>> s[left_boundary(s, len(s)):]
    '昌盛源瑞隆化学(菏泽)'
    >>> s = "临邑县“邑心为民”服务"
    >>> s[left_boundary(s, len(s)):]
    '临邑县“邑心为民”服务'
    """
    limit = max(floor, end - max_chars)
    protected = _protected(text, limit, end)
    inside = {i for a, b in protected for i in range(a, b)}
    window_start = end
    while window_start > limit and (text[window_start - 1] not in PUNCTUATION or window_start - 1 in inside):
        window_start -= 1
    # Protected parts are replaced by a neutral letter so jieba keeps them whole and harmless.
    window = "".join("名" if window_start + i in inside else char for i, char in enumerate(text[window_start:end]))
    start = end
    for word, word_start, word_end in reversed(_tokens(window)):
        absolute = window_start + word_start
        if all(i in inside for i in range(absolute, window_start + word_end)):
            start = absolute
            continue
        if word in LEFT_STOP_TOKENS or word in extra_stops:
            break
        if not allow_digits and _NUMBERISH.match(word):
            break
        start = absolute
    while start < end and text[start] in PUNCTUATION and start not in inside:
        start += 1
    return start


def split_list(segment: str) -> list[tuple[int, int]]:
    """Items of an enumeration, split on 、 and 和 (spans within ``segment``).

    Examples
    --------
    >>> s = "高端装备制造和专用车制造"
    >>> [s[a:b] for a, b in split_list(s)]
    ['高端装备制造', '专用车制造']
    """
    items: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"、|和(?![谐平美])|以及|及(?=其他)", segment):
        if match.start() > start:
            items.append((start, match.start()))
        start = match.end()
    if start < len(segment):
        items.append((start, len(segment)))
    return items
