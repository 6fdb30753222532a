"""INSPECTED: officials and the firms, projects, sites and places they visit.

Reads sentences with a visit verb (调研, 督导, 视察, 考察, 检查, 观摩, 参观,
走访, 来到, 深入, 赴, 到 …). The subject is a person named before the verb in
the sentence with those listed with them (书记甲、市长乙到…), the leader in "在X的带领下", or, for a sentence that opens with
"X一行" or names no one, the last visiting person of the article. Every
firm, project, organisation and place after the verb is an object. The date
is the article's dateline (本报讯 … 2月12日).
"""

from __future__ import annotations

import re


from kg.nlp.spans import ArticleState, article_component

_VERB = re.compile(r"调研督导|督导调研|调研|督导|视察|考察|检查|观摩|参观|走访|来到|察看|深入|走进|先后到|(?<![达得])到(?=[^0-9一二三四五六七八九十])|赴")
_LED_BY = re.compile(r"在(?P<who>[^，,。；;]{2,30}?)的带领下")
_GROUP = re.compile(r"^[\u4e00-\u9fff]{0,6}(?:一行|观摩团|调研组|检查组|督导组|考察团)")
_OBJECT_LABELS = frozenset({"Enterprise", "Project", "Organization", "Place"})
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
_LIST_JOINER = re.compile(r"[、和及与]")


def _affiliations(article: ArticleState) -> set[int]:
    """Organs, places and firms that people of the article serve: company on a visit, not its object."""
    owners = {id(owner) for m in article.mentions if m.label == "Person" for _title, owner in m.attrs.get("titles", []) if owner is not None}
    return {i for i, m in enumerate(article.mentions) if id(m) in owners}


def _objects(article: ArticleState, start: int, end: int, exclude: set[int]) -> list[int]:
    """What a visit reaches: firms, projects, organs and places after the verb.

    A firm written right before its project (某公司某项目) is visited through
    the project, which is the object.
    """
    found = []
    indices = article.mentions_in(start, end)
    for index in indices:
        mention = article.mentions[index]
        if mention.label not in _OBJECT_LABELS or index in exclude or mention.attrs.get("synthetic") or mention.attrs.get("inner"):
            continue
        if mention.attrs.get("kind") == "reference":
            continue
        if mention.label == "Enterprise" and any(
            article.mentions[j].label == "Project" and article.mentions[j].start == mention.end for j in indices
        ):
            continue
        found.append(index)
    return found


def _listed_before(article: ArticleState, people: list[int]) -> list[int]:
    """The last person before the verb and those listed with it (市委书记甲、市长乙到…: both visit)."""
    listed = [people[-1]]
    for earlier in reversed(people[:-1]):
        gap = article.text[article.mentions[earlier].end : article.mentions[listed[0]].start]
        if _CLAUSE_BREAK.search(gap) or not _LIST_JOINER.search(gap):
            break
        listed.insert(0, earlier)
    return listed


@article_component("kg_inspected")
def inspected(article: ArticleState) -> None:
    """Add INSPECTED relations for the visits the article reports."""
    text = article.text
    date = article.article.date
    visitor: int | None = None
    last_visit = -2
    for number, (sentence_start, sentence_end) in enumerate(article.sentences):
        sentence = text[sentence_start:sentence_end]
        verb = _VERB.search(sentence)
        if verb is None:
            continue
        verb_at = sentence_start + verb.start()
        people = [i for i in article.mentions_in(sentence_start, verb_at, "Person")]
        led = _LED_BY.search(sentence)
        if led:
            led_people = article.mentions_in(sentence_start + led.start("who"), sentence_start + led.end("who"), "Person")
            people = led_people or people
        if people:
            visitors = _listed_before(article, people)
            visitor = visitors[-1]
        elif visitor is None or not (_GROUP.match(sentence) or number - last_visit <= 1):
            continue
        else:
            visitors = [visitor]
        last_visit = number
        visitors = [v for v in visitors if article.mentions[v].attrs.get("kind") in (None, "official")]
        # visits are made by officials; a manager showing a reporter round is no inspection
        for target in _objects(article, verb_at, sentence_end, _affiliations(article)) if visitors else []:
            for who in visitors:
                article.relate("INSPECTED", who, target, verb_at, "kg_inspected", date=date, verb=verb.group())
