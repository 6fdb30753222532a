"""Which place a sentence, a paragraph or an article is about.

Local news is written about one place at a time: "章贡区将新开工建设25个项目"
is about 章贡区, and the projects it lists are 章贡区's. The relation
components ask here for the place a statement is made about: the place that
opens its sentence, else the place its paragraph is about, else the place of
the article's headline, else the place the article names most (zones, counties
and towns weigh more than cities).
"""

from __future__ import annotations

from collections import Counter

from kg.nlp.spans import ArticleState, Candidate

# Places local enough to be what an article is about.
_LOCAL_KINDS = frozenset({"county", "district", "zone", "town", "street"})
# Places that can open a sentence as its subject (a village or park can: 下坪村新建发展车间).
_OPENING_KINDS = _LOCAL_KINDS | {"village", "community", "park", "city"}
_REFERENCE_WEIGHT = 2
_WEIGHT = {"zone": 2, "county": 2, "district": 2, "town": 2, "street": 2, "city": 1}


def is_standalone_place(mention: Candidate) -> bool:
    """A place written on its own (not a reference such as 全市, not inside another name)."""
    return mention.label == "Place" and mention.attrs.get("kind") != "reference" and not mention.attrs.get("inner")


def _key(article: ArticleState, mention: Candidate) -> str:
    return str(mention.attrs.get("admin_code") or article.surface(mention).removeprefix("市"))


def _first_city(article: ArticleState) -> int | None:
    return next((i for i, m in enumerate(article.mentions) if is_standalone_place(m) and m.attrs.get("kind") == "city"), None)


def _most_named(article: ArticleState, start: int, end: int, kinds: frozenset[str]) -> int | None:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, mention in enumerate(article.mentions):
        if not start <= mention.start < end:
            continue
        is_city_reference = mention.source == "self_reference" and mention.attrs.get("reference") == "市" and "city" in kinds
        if is_city_reference and (first_city := _first_city(article)) is not None:
            index, mention = first_city, article.mentions[first_city]  # 全市, 我市: a vote for the city named
            counts[_key(article, mention)] += _REFERENCE_WEIGHT
            first.setdefault(_key(article, mention), index)
        elif is_standalone_place(mention) and mention.attrs.get("kind") in kinds:
            key = _key(article, mention)
            counts[key] += _WEIGHT.get(str(mention.attrs.get("kind")), 1)
            first.setdefault(key, index)
    if not counts:
        return None
    best = max(counts.values())
    return min((first[key] for key, count in counts.items() if count == best), key=lambda i: article.mentions[i].start)


def headline_place(article: ArticleState) -> int | None:
    """The local place the headline names, if any."""
    title_end = len(article.article.title)
    return _most_named(article, 0, title_end + 1, _LOCAL_KINDS) if title_end else None


def article_place(article: ArticleState, *, cities: bool = False) -> int | None:
    """The local place the article is about; with ``cities``, a city it speaks of as 全市 or 我市 may be it."""
    kinds = _LOCAL_KINDS | {"city"} if cities else _LOCAL_KINDS
    headline = headline_place(article)
    return headline if headline is not None else _most_named(article, 0, len(article.text), kinds)


def paragraph_place(article: ArticleState, position: int) -> int | None:
    """The local place the paragraph around ``position`` is about."""
    start = article.text.rfind("\n", 0, position) + 1
    end = article.text.find("\n", position)
    return _most_named(article, start, len(article.text) if end < 0 else end, _LOCAL_KINDS)


def sentence_opening_place(article: ArticleState, position: int) -> int | None:
    """The place that opens the sentence around ``position`` (下坪村新建发展车间…)."""
    start, _end = article.sentence_of(position)
    while start < len(article.text) and article.text[start] in "在据今年近日目前同时此外另外该":
        start += 1
    for index, mention in enumerate(article.mentions):
        if mention.start == start and is_standalone_place(mention) and mention.start < position and mention.attrs.get("kind") in _OPENING_KINDS:
            return index
    return None


def subject_mention(article: ArticleState) -> int | None:
    """The first mention of the document's subject place in the article (its name or 全省/我市 …), if any."""
    context = article.context
    if context.subject is None or context.genre == "page":
        return None
    for index, mention in enumerate(article.mentions):
        if mention.label != "Place" or mention.attrs.get("inner"):
            continue
        if mention.source == "self_reference" and context.is_subject_reference(str(mention.attrs.get("reference"))):
            return index
        if mention.attrs.get("admin_code") == context.subject:
            return index
    return None


def place_about(article: ArticleState, position: int) -> int | None:
    """The place a statement at ``position`` is about, most specific first."""
    for finder in (sentence_opening_place, paragraph_place):
        found = finder(article, position)
        if found is not None:
            return found
    return article_place(article)
