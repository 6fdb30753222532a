"""People: named holders of a title, with the organisations their titles belong to.

Reads the chosen mentions and the article text. A person is a name right
after a title (副市长张鹏), or right before one (李秀云老师). Walking left from
the title collects the whole title chain of 、-separated segments, each an
optional organisation, place or firm followed by a title (市委常委、组织部部长
王军 -> 市委/常委 and 组织部/部长). Emits ``Person`` mentions whose ``titles``
attribute keeps, per title, the index of the mention it belongs to; the
HOLDS_POSITION component turns those into edges. Bylines are never people.
"""

from __future__ import annotations

import re
from functools import lru_cache


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.nlp.boundary import pos_tokens
from kg.nlp.context import word_tags
from kg.nlp.lexicon import AFTER_NAME, CHAIN_LEADER_TITLES, EXECUTIVE_TITLES, OTHER_TITLES, TITLES
from kg.resources import resource_dir

_TITLE = re.compile("|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)))
_CJK = re.compile(r"[\u4e00-\u9fff]")
_AFTER = tuple(sorted(AFTER_NAME, key=len, reverse=True))
_NOT_NAME_START = frozenset("的在等和与及、是为对向将把被从到了也都又还就均各该其本要应须需")
_POST_TITLES = ("同学", "老师", "书记", "主任", "董事长", "总经理", "教授", "医生", "院士")
_FUNCTION_CHARS = frozenset("的了们在是和与及为对把被等个这那其该此所")


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Surname characters, derived from the person names of CLUENER 2020 (see kg/data/SOURCE.md)."""
    path = resource_dir("data") / "surnames.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


def _name_after(text: str, start: int, taken: bytearray) -> int | None:
    """End of a 2-3 character name starting at ``start``, or None.

    The name ends where a word that follows names begins (出席, 表示, 等 …),
    or where jieba reads a verb; failing both, a name of three characters is
    taken when a fourth would not fit.
    """
    for length in (2, 3):
        end = start + length
        if end > len(text) or any(taken[start:end]) or not all(_CJK.match(ch) for ch in text[start:end]):
            return None
        rest = text[end:]
        if not rest or not _CJK.match(rest[0]) or rest.startswith(_AFTER):
            return end
    for length in (2, 3):
        end = start + length
        following = pos_tokens(text[end : end + 4])
        if following and following[0][1].startswith("v") and len(following[0][0]) >= 2:
            return end
    return None


def _plausible_name(name: str) -> bool:
    if name[0] in _NOT_NAME_START or _TITLE.match(name) or _TITLE.search(name[1:]):
        return False
    if any(char in _FUNCTION_CHARS for char in name):
        return False
    tag = word_tags().get(name)
    return tag is None or tag.startswith("nr")


Titles = list[tuple[str, Candidate | None]]


def _owner_before(title: str, title_start: int, by_end: dict[int, Candidate], chains_by_end: dict[int, Candidate]) -> Candidate | None:
    """The mention a title belongs to, written just before it (组织部|部长; a chain's 链长 after its 产业链)."""
    if title in CHAIN_LEADER_TITLES:
        return next((chains_by_end[end] for suffix in ("产业链", "产业", "链", "")
                     if (end := title_start - len(suffix)) in chains_by_end), None)
    return by_end.get(title_start)


def _title_chain(
    article: ArticleState, title_start: int, by_end: dict[int, Candidate], chains_by_end: dict[int, Candidate], masked: str
) -> Titles:
    """The (title, owner mention) segments ending at the title at ``title_start``.

    ``masked`` is the article text with its mentions blanked out, so that a
    title is never read across an organisation's name (水东街道办党工委|书记).
    """
    text = article.text
    segments: Titles = []
    position = title_start
    while True:
        title_match = None
        for match in _TITLE.finditer(masked, max(0, position - 8), position + 8):
            if match.start() == position:
                title_match = match
                break
        if title_match is not None:
            owner = _owner_before(title_match.group(), title_match.start(), by_end, chains_by_end)
            if owner is not None and owner.label == "Chain":
                segments.append((text[owner.start : title_match.end()], owner))  # 蔬菜种业产业链链长: the chain is the title
            else:
                segments.append((title_match.group(), owner))
            boundary = owner.start if owner is not None else title_match.start()
        elif position > 0 and text[position] == "长" and position in by_end:
            owner = by_end[position]  # 宣传部长: the organ's last character doubles as the title's
            segments.append((article.surface(owner)[-1] + "长", owner))
            boundary = owner.start
        else:
            break
        if boundary < 2 or text[boundary - 1] != "、":
            break
        previous_end = boundary - 1
        previous = None
        for match in _TITLE.finditer(masked, max(0, previous_end - 8), previous_end):
            if match.end() == previous_end:
                previous = match
                break
        if previous is None:
            if text[previous_end - 1] == "长" and previous_end - 1 in by_end:
                position = previous_end - 1
                continue
            break
        position = previous.start()
    return segments[::-1]


def _kind(titles: Titles) -> str:
    owners = [owner.label for _title, owner in titles if owner is not None]
    if "Enterprise" in owners or any(title in EXECUTIVE_TITLES for title, _owner in titles):
        return "executive"
    if titles and all(title in OTHER_TITLES for title, _owner in titles):
        return "other"
    return "official"


@article_component("kg_people")
def extract_people(article: ArticleState) -> None:
    """Add ``Person`` mentions with their title chains."""
    text = article.text
    taken = bytearray(len(text) + 1)
    for mention in article.mentions:
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    for start, end in article.bylines:
        taken[start:end] = b"\x01" * (end - start)
    by_end = {m.end: m for m in article.mentions if m.label in ("Organization", "Place", "Enterprise")}
    chains_by_end = {m.end: m for m in article.mentions if m.label == "Chain"}
    people: list[Candidate] = []

    def add_person(start: int, end: int, titles: Titles, source: str) -> None:
        name = text[start:end]
        if not _plausible_name(name):
            return
        people.append(Candidate("Person", start, end, source, Priority.NAMED, {"titles": titles, "kind": _kind(titles)}))
        taken[start:end] = b"\x01" * (end - start)

    masked = "".join("\0" if taken[i] else char for i, char in enumerate(text))
    for match in _TITLE.finditer(masked):
        name_end = _name_after(text, match.end(), taken)
        if name_end is None or text[name_end : name_end + 1] in "”\"":
            continue
        add_person(match.end(), name_end, _title_chain(article, match.start(), by_end, chains_by_end, masked), "title_name")
    for position in by_end:
        if position < len(text) and text[position] == "长" and not taken[position]:
            name_end = _name_after(text, position + 1, taken)
            if name_end is not None:
                add_person(position + 1, name_end, _title_chain(article, position, by_end, chains_by_end, masked), "title_name")
    title_spans = [(m.start(), m.end()) for m in _TITLE.finditer(masked)]
    for match in re.finditer("|".join(_POST_TITLES), text):
        for length in (3, 2):
            start = match.start() - length
            if start < 0 or any(taken[start : match.start()]):
                continue
            if any(s < match.start() and e > start and (s, e) != match.span() for s, e in title_spans):
                continue  # part of a longer title (常务副主任)
            if text[start - 1 : start] in "“\"" or text[match.end() : match.end() + 1] in "”\"":
                continue
            name = text[start : match.start()]
            if not all(_CJK.match(ch) for ch in name):
                continue
            if length == 3 and name[0] not in surnames():
                continue
            add_person(start, match.start(), [(match.group(), None)], "name_title")
            break
    article.mentions.extend(people)
    article.mentions.sort(key=lambda m: m.start)
