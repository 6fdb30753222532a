"""Names inside names: the places and firms a firm's, organ's or project's name contains.

Shared by the chooser (for the rules' mentions) and the tagger (for the
mentions it draws itself), so that every mention is decomposed the same way.

- :func:`attach_inner_places` records the administrative places and zones
  written inside a mention as ``inner_places`` (LOCATED_IN and canonical names
  read them; SPEC: the place in a firm's registered name is no entity of its
  own, the place in a project's name says where the project is).
- :func:`project_firm` finds the firm a project's name starts with: a
  brand-like word with trade words (澜峰智能装备|数字车间), or whatever stands
  before the place the name then gives (东岭新能|宁都|风电项目: the place says
  where, so what precedes it is who).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from kg.extract.entities.common import is_generic_body
from kg.extract.entities.enterprises import firm_prefix, proper_start
from kg.nlp.lexicon import TRADE_WORDS
from kg.nlp.spans import ArticleState, Candidate, Priority, article_component

_ZONE_SOURCES = ("zone_pattern", "zone_reference")
_MIN_FIRM = 2
_MAX_FIRM = 8
# What a firm's name cannot be: a count, an amount or a place-like word before the place (新建, 年产 …).
_NOT_A_FIRM_START = tuple("年新在与对为将以由从把")
_JOINERS = frozenset("至和与及、段线")
# The place after a firm's name is a city or county, and the name ends in a plant or project word.
_PLANT_PLACES = frozenset({"city", "county", "district"})
_PLANTS = ("项目", "工厂", "基地", "电站", "产业园", "工程", "中心")


def inner_place_index(article: ArticleState) -> tuple[list[int], list[Candidate]]:
    """The article's gazetteer places and zones, sorted by start (with the starts, for bisection)."""
    places = sorted(
        (c for c in article.candidates if c.label == "Place" and (c.attrs.get("admin_code") or c.source in _ZONE_SOURCES)),
        key=lambda c: (c.start, c.end),
    )
    return [c.start for c in places], places


def attach_inner_places(mention: Candidate, index: tuple[list[int], list[Candidate]]) -> None:
    """Record the gazetteer places and zones inside ``mention`` (from :func:`inner_place_index`) as its ``inner_places``."""
    starts, places = index
    unique: dict[tuple[int, int], Candidate] = {}
    for place in places[bisect_left(starts, mention.start) : bisect_right(starts, mention.end)]:
        if place is mention or place.end > mention.end:
            continue
        if place.source in _ZONE_SOURCES and (place.start, place.end) == (mention.start, mention.end):
            continue
        unique.setdefault((place.start, place.end), place)
    mention.attrs["inner_places"] = [{"start": p.start, "end": p.end, "attrs": dict(p.attrs)} for p in unique.values()]


def project_firm(article: ArticleState, project: Candidate) -> tuple[int, int] | None:
    """The span of the firm a project's name opens with, or None."""
    surface = article.surface(project)
    length = firm_prefix(surface)
    if length is not None and (length < len(surface) or project.attrs.get("representative")):
        return project.start, project.start + length
    for place in project.attrs.get("inner_places") or []:
        offset = place["start"] - project.start
        if offset <= 0 or not place["attrs"].get("admin_code"):
            continue
        firm, rest = surface[:offset], surface[place["end"] - project.start :]
        name_like = firm.isalnum() and not firm[0].isdigit() and not firm.startswith(_NOT_A_FIRM_START)
        name_like = name_like and not _JOINERS.intersection(firm) and proper_start(firm)
        is_city = place["attrs"].get("kind") in _PLANT_PLACES or place["attrs"].get("level") in _PLANT_PLACES
        if _MIN_FIRM <= len(firm) <= _MAX_FIRM and name_like and is_city and rest.endswith(_PLANTS) and not is_generic_body(firm):
            if not any(p["start"] < place["start"] and p["attrs"].get("admin_code") for p in project.attrs["inner_places"]):
                return project.start, place["start"]
        break
    return None


def inner_firm(article: ArticleState, project: Candidate) -> Candidate | None:
    """The firm mention inside a project's name, operating it, if the name opens with one."""
    operator = project.attrs.get("operator")
    if operator is not None and operator.start == project.start:
        return Candidate("Enterprise", operator.start, operator.end, "inner_firm", Priority.INNER, {**operator.attrs, "operates": project, "inner": True})
    span = project_firm(article, project)
    if span is None:
        return None
    return Candidate("Enterprise", span[0], span[1], "inner_firm", Priority.INNER, {"operates": project, "inner": True})


@article_component("kg_inner_firms")
def extract_inner_firms(article: ArticleState) -> None:
    """Firms named inside a project or a grass-roots organ (澜峰智能装备|数字车间, 东岭新能|宁都|风电项目, 兴和达制品|党支部).

    Runs after the chooser, so these mentions may overlap the name they sit
    in. A representative project named like a firm (以澄岳医疗为代表的…项目)
    gets a firm mention on the same span: the text treats it as both.
    """
    added: list[Candidate] = []
    for mention in article.mentions:
        if mention.label == "Project":
            firm = inner_firm(article, mention)
            if firm is not None:
                added.append(firm)
        elif mention.label == "Organization" and mention.attrs.get("suffix") in ("党支部", "党总支", "工会"):
            body = str(mention.attrs.get("body", ""))
            if body and (firm_prefix(body) == len(body) or (body.endswith(tuple(TRADE_WORDS)) and proper_start(body))):
                added.append(Candidate("Enterprise", mention.start, mention.start + len(body), "inner_firm", Priority.INNER, {"inner": True}))
    article.mentions.extend(added)
    article.mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
