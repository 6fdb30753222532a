"""Where a Chinese name starts: the left boundary of a suffix-anchored name.

A suffix (有限公司, 产业园, 项目 …) marks where a name ends; where it starts is
the hard part in unsegmented text. We cut the text before the suffix into
words with jieba's part-of-speech tagger, its dictionary extended with the
gazetteers (places, listed firms, industries), and walk left while the words
could belong to a name: nouns, names, adjectives and the verbs that serve as
nouns in names (制造, 回收, 研究 …). Punctuation, numbers, function words and
governing verbs (引进, 位于, 推动 …) end the walk. Bracketed places "(赣州)",
middle dots, short quotes and capacities such as "4000吨/年" stay inside.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba
import jieba.posseg

from kg.nlp.lexicon import LEFT_STOP_TOKENS, NAME_VERBS, PUNCTUATION, TRADE_WORDS

jieba.setLogLevel(60)
_PROTECTED = re.compile(
    r"[（(][\u4e00-\u9fff]{1,8}[）)]|[“\"][\u4e00-\u9fff]{1,8}[”\"]"
    r"|[^\W\d的了在和与及是为以将把被向对从到]{1,6}·[\u4e00-\u9fff]{1,6}|街道办(?:事处)?"
    r"|[一二三四五六七八九两几数0-9]*[千百十万]亿级"
    r"|[0-9.]+[万千]?(?:吨|件|台|套|辆|平方米|千瓦|兆瓦|头|只|株)/(?:年|日|天)"
    r"|(?<=[\u4e00-\u9fff])·[\u4e00-\u9fff]{1,4}"
)
_NUMBERISH = re.compile(r"^(?=.*[0-9０-９一二三四五六七八九十两几数百千万亿])[0-9０-９.%％+\-万亿千百十余多个条家项年月日号一二三四五六七八九十两几数第批大类]+$")
# Function words: the only stops inside an enumeration, whose items are already cut by 、.
_FUNCTION_TAGS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr", "rz", "x", "w", "y", "e", "o", "q"})
_TIME_WORDS = frozenset("今年 去年 明年 前年 目前 近日 日前 当前 现在 过去 近年 近年来 年底 年初 年内 今后 以来 当日 此前 同期 上半年 下半年".split())
_VERB_TAGS = frozenset({"v", "vn", "vd", "vg", "vi", "vq"})
_MAX_DEFAULT = 24
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")
_CLASSIFIERS = frozenset("个家条项批次名位只座所处类栋套台辆年月日号")
# Characters that make a word tagged as a numeral a name after all (亿华, 万福).
_CJK_NAME_CHARS = re.compile(r"[^0-9０-９.一二三四五六七八九十百千万亿两几数个家条项批次名位只座处类]")


@lru_cache(maxsize=1)
def _extend_dictionary() -> None:
    """Teach jieba the gazetteer names, so that it does not cut through them."""
    from kg.nlp.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    for place in gazetteer.places.values():
        if len(place.name) >= 3:
            jieba.add_word(place.name, 20000, "ns")
    for name in gazetteer.industries:
        if 2 <= len(name) <= 8:
            jieba.add_word(name, 50000, "n")


@lru_cache(maxsize=65536)
def pos_tokens(window: str) -> tuple[tuple[str, str, int], ...]:
    """``(word, tag, start)`` for the words of ``window``."""
    _extend_dictionary()
    tokens = []
    position = 0
    for pair in jieba.posseg.lcut(window, HMM=True):
        tokens.append((pair.word, pair.flag, position))
        position += len(pair.word)
    return tuple(tokens)


def word_spans(window: str) -> tuple[tuple[str, int, int], ...]:
    """``(word, start, end)`` for the words of ``window`` (dictionary extended as above)."""
    return tuple((word, start, start + len(word)) for word, _tag, start in pos_tokens(window))


def _protected(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Bracketed places, short quotes, middle dots and capacities inside ``text[start:end]``."""
    return [(m.start(), m.end()) for m in _PROTECTED.finditer(text, start, end)]


def _window_tokens(text: str, start: int, end: int, protected: list[tuple[int, int]]) -> list[tuple[str, str, int]]:
    """Words of ``text[start:end]`` with absolute offsets; protected parts are single words."""
    tokens: list[tuple[str, str, int]] = []
    position = start
    for a, b in [(a, b) for a, b in protected if start <= a and b <= end] + [(end, end)]:
        if a > position:
            tokens.extend((word, tag, position + offset) for word, tag, offset in pos_tokens(text[position:a]))
        if b > a:
            tokens.append((text[a:b], "protected", a))
        position = max(position, b)
    return tokens


def _cuts(stops: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a stop phrase overlaps the word ``[start, end)`` without being a mere part of it (加速 in 加速器)."""
    return any(a < end and start < b and not (start <= a and b <= end and end - start > b - a) for a, b in stops)


def _hard_stop(word: str, tag: str, allow_digits: bool, allow_conjunction: bool) -> bool:
    """Words that can never be inside a name: function words, numbers, time words, governing verbs."""
    if allow_conjunction and word in ("及", "与"):
        return False
    if word in LEFT_STOP_TOKENS or word in _TIME_WORDS:
        return True
    if _NUMBERISH.match(word) or (tag in ("m", "mq") and not _CJK_NAME_CHARS.search(word)):
        return not allow_digits
    if tag == "q":
        return True
    if tag == "c":
        return not (allow_conjunction and word in ("及", "与"))
    if tag == "x":
        return not _CJK_WORD.match(word)
    if word == "之":
        return False
    # jieba guesses tags for words it does not know (泇 -> y); only a known function word stops.
    return jieba.posseg.dt.word_tag_tab.get(word) in _FUNCTION_TAGS and tag in _FUNCTION_TAGS


def _leading_verb(word: str, tag: str) -> bool:
    """A verb, adverb or idiom at the left edge governs the name rather than belonging to it."""
    if word in NAME_VERBS or word in TRADE_WORDS:
        return False
    return tag in _VERB_TAGS or tag in ("d", "ad", "i")


@lru_cache(maxsize=1)
def _stop_phrases() -> re.Pattern[str]:
    phrases = sorted((w for w in LEFT_STOP_TOKENS if len(w) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, phrases)))


def left_boundary(
    text: str,
    end: int,
    *,
    max_chars: int = _MAX_DEFAULT,
    floor: int = 0,
    extra_stops: frozenset[str] = frozenset(),
    allow_digits: bool = False,
    allow_conjunction: bool = False,
    verbs: str = "stop",
) -> int:
    """Start of the name whose body ends at ``end`` (exclusive).

    Walks left over words until a hard stop (punctuation, a function word, a
    number, a time word or a governing verb of the lexicon, even when jieba
    cuts it in two). ``verbs`` says what other verbs and adverbs do: "stop"
    the walk (names ending in a suffix: 油脂流入|车间), only get "trim"-med from
    the front (the first item of an enumeration: 谋划布局|汽车导航), or "keep"
    (later items, which 、 already delimits: 奔驰汽车). ``floor`` is a position
    the name may not cross. Returns ``end`` when no name precedes.

    Examples
    --------
    >>> s = "先行策划引进恒澜电气"
    >>> s[left_boundary(s, len(s)):]
    '恒澜电气'
    >>> s = "赵立新先后来到昌盛源瑞隆化学(赣州)"
    >>> s[left_boundary(s, len(s)):]
    '昌盛源瑞隆化学(赣州)'
    >>> s = "临邑县“邑心为民”服务"
    >>> s[left_boundary(s, len(s)):]
    '临邑县“邑心为民”服务'
    >>> s = "有利于建立重点"
    >>> s[left_boundary(s, len(s)):]
    '重点'
    >>> s = "谋划布局汽车导航"
    >>> s[left_boundary(s, len(s), verbs="trim"):]
    '汽车导航'
    """
    limit = max(floor, end - max_chars)
    protected = _protected(text, limit, end)
    inside = {i for a, b in protected for i in range(a, b)}
    window_start = end
    while window_start > limit and (text[window_start - 1] not in PUNCTUATION or window_start - 1 in inside):
        window_start -= 1
    stops = [(m.start(), m.end()) for m in _stop_phrases().finditer(text, window_start, end)]
    tokens = _window_tokens(text, window_start, end, protected)
    start = end
    kept: list[tuple[str, str, int]] = []
    for word, tag, absolute in reversed(tokens):
        if tag != "protected" and verbs == "keep":
            # An enumeration item runs back to its separator, over verbs (奔驰汽车) and 与 (整车与核心零部件).
            if word in ("和", "的") or word in extra_stops or _cuts(stops, absolute, absolute + len(word)):
                break
            if (word not in ("与", "及") and absolute + len(word) < end
                    and jieba.posseg.dt.word_tag_tab.get(word) in _FUNCTION_TAGS and tag in _FUNCTION_TAGS):
                break
        elif tag != "protected":
            if word in extra_stops or _hard_stop(word, tag, allow_digits, allow_conjunction):
                break
            if len(word) > 1 and word[0] in "和与及并" and absolute + len(word) <= end:
                start = absolute + 1  # jieba glued a conjunction to the name after it (和|禾金医药)
                kept.append((word[1:], tag, start))
                break
            if _cuts(stops, absolute, absolute + len(word)):
                break
            if verbs == "stop" and _leading_verb(word, tag):
                break
        start = absolute
        kept.append((word, tag, absolute))
    if verbs != "keep":
        for word, tag, absolute in reversed(kept):
            if tag == "protected" or not _leading_verb(word, tag):
                break
            start = absolute + len(word)
    while kept and kept[-1][0] in ("与", "及") and kept[-1][2] == start:
        word, _tag, absolute = kept.pop()
        start = absolute + len(word)  # a name does not begin with a conjunction
    start = _snap_to_vocabulary(text, window_start, start, end)
    while start < end and text[start] in PUNCTUATION and start not in inside:
        start += 1
    while start < end and start > 0 and text[start - 1].isdigit() and text[start] in _CLASSIFIERS:
        start += 1  # 39所|中小学, 66个|群众工作室
    if start >= 2 and text[start - 1] in "市县区省" and text[start - 2] in "了的在到赴和与及、，,":
        start -= 1  # jieba glues a place-level prefix to the particle before it (获得了|市|税务局 -> 了市)
    return start


def _snap_to_vocabulary(text: str, window_start: int, start: int, end: int) -> int:
    """Move ``start`` left to the beginning of a known industry word it cuts (出新|材料 -> 新材料)."""
    from kg.nlp.gazetteer import load_gazetteer, scan

    for word_start, word_end, _surface, _payloads in scan(load_gazetteer().industry_names, text[window_start:end]):
        if window_start + word_start < start < window_start + word_end:
            return window_start + word_start
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
