"""LOCATED_IN (from the text): what the article says is where.

Reads the chosen mentions. Emits LOCATED_IN, with ``basis``, for
- ``text``: a place written right before another, smaller one (东明县水西街道,
  沙石镇上坪村), or right before a firm, organ or project, or joined to it by
  的 (沙河镇赣州中鼎…公司, 安和镇的锦澜电子公司); "X位于Y", "落户Y";
- ``visit``: the firms and projects of a visit to a county or town ("深入东明县
  部分项目和企业" and the visit list that follows);
- ``name``: an organ written with its place or level (市委组织部 -> the page's
  city, 赣州开发区党工委 -> 赣州开发区), and anything named after the park,
  zone, town or village it is in (现代医药港多肽原料项目). A firm's registered
  province or city in its legal name is not its location;
- ``article``: firms, projects, organs and small places that an article about
  a county, zone or town names with no location of their own are in that place
  (see :mod:`kg.extract.relations.subjects`), unless the sentence is about
  partners elsewhere (合作, 签署, 对接 …);
- ``subject``: in a report (:mod:`kg.nlp.context`), the same things with no
  location of their own are in the document's subject place.
The administrative hierarchy (章贡区 -> 赣州市) comes from admin codes and is
added per document by :mod:`kg.extract.document`.
"""

from __future__ import annotations

import re


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.relations.subjects import is_standalone_place, place_about, subject_mention

_RANK = {"country": 0, "province": 1, "city": 2, "county": 3, "district": 3, "zone": 3, "town": 4, "street": 4,
         "park": 5, "community": 5, "village": 5, "other": 5}
_HOLDERS = frozenset({"Enterprise", "Organization", "Project"})
_LOCATED = re.compile(r"位于|落户|坐落于|落地")
_VISIT_PLACE = re.compile(r"(?:深入|赴|到|来到|走进)$")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
_ELSEWHERE = re.compile(r"合作|签署|签约|对接|达成|洽谈|供应商|出售|招商推介|输往|销往|发往")
_PARTNER_OF = re.compile(r"[与同和向给]|分别与")
_BROUGHT_IN = re.compile(r"引进|引入|落户|落地|入驻|招引")
_GOVERNMENT_KINDS = frozenset({"government", "party", "congress"})
# Organs whose place in the name is their jurisdiction (赣州…协会, 赣州农商银行): governments, parties, associations, banks.
_JURISDICTION_KINDS = _GOVERNMENT_KINDS | {"association", "bank"}
# Inner places that say where a thing is; a province or city in a firm's legal name only says where it was registered.
_LOCATING_KINDS = frozenset({"zone", "park", "town", "street", "village", "community", "district", "county", "other"})


# Places no text builds inside its own place: macro-regions and countries (长三角, 中亚 …).
_UNCONTAINED_KINDS = frozenset({"region", "country"})


def _rank(mention: Candidate) -> int:
    return _RANK.get(str(mention.attrs.get("kind")), 5)


def _located(article: ArticleState) -> set[int]:
    return {relation.head for relation in article.relations if relation.type == "LOCATED_IN"}


def _adjacent(article: ArticleState) -> None:
    mentions = article.mentions
    for index, mention in enumerate(mentions):
        if not is_standalone_place(mention):
            continue
        for j, other in enumerate(mentions):
            if j == index or other.start not in (mention.end, mention.end + 1) or other.attrs.get("inner"):
                continue
            gap = article.text[mention.end : other.start]
            if gap not in ("", "的"):
                continue
            if is_standalone_place(other) and gap == "" and _rank(other) >= _rank(mention) and other.attrs.get("admin_code") != mention.attrs.get("admin_code"):
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="text")
            elif other.label in _HOLDERS:
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="text")


def _stated(article: ArticleState) -> None:
    text = article.text
    for match in _LOCATED.finditer(text):
        sentence_start, sentence_end = article.sentence_of(match.start())
        before = [i for i in article.mentions_in(sentence_start, match.start()) if article.mentions[i].label in _HOLDERS]
        after = [i for i in article.mentions_in(match.end(), sentence_end) if is_standalone_place(article.mentions[i])]
        if not before or not after:
            continue
        chain = [after[0]]
        for j in after[1:]:
            if article.mentions[j].start - article.mentions[chain[-1]].end <= 1:
                chain.append(j)
        article.relate("LOCATED_IN", before[-1], chain[-1], match.start(), "kg_located_in", basis="text")


def _visits(article: ArticleState) -> None:
    text = article.text
    for index, mention in enumerate(article.mentions):
        if not is_standalone_place(mention) or _rank(mention) not in (3, 4):
            continue
        if not _VISIT_PLACE.search(text[max(0, mention.start - 2) : mention.start]):
            continue
        sentence_start, _sentence_end = article.sentence_of(mention.start)
        if not article.mentions_in(sentence_start, mention.start, "Person"):
            continue
        paragraph_end = text.find("\n", mention.end)
        paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
        following_paragraph = text.find("\n", paragraph_end + 1)
        scope_end = len(text) if following_paragraph < 0 else following_paragraph
        for j in article.mentions_in(mention.end, scope_end):
            if article.mentions[j].label in ("Enterprise", "Project") and not article.mentions[j].attrs.get("inner"):
                article.relate("LOCATED_IN", j, index, mention.start, "kg_located_in", basis="visit")


def _locates(article: ArticleState, place: dict) -> bool:
    """Whether a place inside a name says where the thing is: a gazetteer place, or a park the article also names on its own."""
    if place["attrs"].get("admin_code"):
        return True
    surface = article.text[place["start"] : place["end"]]
    return any(is_standalone_place(m) and article.surface(m) == surface for m in article.mentions)


def _inner(article: ArticleState) -> None:
    for index, mention in enumerate(list(article.mentions)):
        if mention.label == "Place" and mention.attrs.get("level_prefix"):
            reference = Candidate("Place", mention.start, mention.start + 1, "organ_prefix", Priority.INNER,
                                  {"kind": "reference", "reference": mention.attrs["level_prefix"], "inner": True})
            article.mentions.append(reference)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")
            continue
        if mention.label == "Place" and mention.attrs.get("inner_places") and not mention.attrs.get("admin_code"):
            inner = [p for p in mention.attrs["inner_places"] if p["attrs"].get("admin_code")]
            if inner:  # 中德(赣州)产业园 is in 烟台市
                reference = Candidate("Place", inner[-1]["start"], inner[-1]["end"], "inner_place", Priority.INNER, {**inner[-1]["attrs"], "inner": True})
                article.mentions.append(reference)
                article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")
            continue
        if mention.label not in _HOLDERS:
            continue
        level = mention.attrs.get("level_prefix")
        zone_first = any(p["start"] == mention.start and p["attrs"].get("suffix") for p in mention.attrs.get("inner_places") or [])
        if mention.label == "Organization" and level and not zone_first:
            prefix_end = mention.start + article.surface(mention).index(str(level)) + 1
            reference = Candidate("Place", mention.start, prefix_end, "organ_prefix", Priority.INNER,
                                  {"kind": "reference", "reference": level, "inner": True})
            article.mentions.append(reference)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")
            continue
        inner = mention.attrs.get("inner_places") or []
        governing = mention.label == "Organization" and mention.attrs.get("kind") in _JURISDICTION_KINDS
        if mention.label == "Project":
            # SPEC v2: the place a project's name gives says where it is, and is a place of the page
            usable = [place for place in inner if place["attrs"].get("admin_code") or _locates(article, place)]
            source = "project_place"
        else:
            usable = [place for place in inner if governing or (place["attrs"].get("kind") in _LOCATING_KINDS and _locates(article, place))]
            source = "inner_place"
        if usable:
            place = usable[-1]
            reference = Candidate("Place", place["start"], place["end"], source, Priority.INNER, {**place["attrs"], "inner": True})
            article.mentions.append(reference)
            article.relate("LOCATED_IN", index, len(article.mentions) - 1, mention.start, "kg_located_in", basis="name")


def _clause(article: ArticleState, mention: Candidate) -> tuple[str, int]:
    """The comma-delimited clause around a mention, and where it starts."""
    text = article.text
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, mention.start)), default=0)
    end_match = _CLAUSE_BREAK.search(text, mention.end)
    return text[start : end_match.start() if end_match else len(text)], start


def _same_province(article: ArticleState, mention: Candidate, place: Candidate) -> bool:
    province = mention.attrs.get("province")
    code = place.attrs.get("admin_code")
    if not province or not code:
        return True
    gazetteer = article.context.gazetteer
    chain = [gazetteer.places[str(code)], *gazetteer.ancestors(str(code))] if str(code) in gazetteer.places else []
    return any(item.level == "province" and item.name.startswith(str(province)) for item in chain) or not chain


def _context(article: ArticleState) -> None:
    located = _located(article)
    for index, mention in enumerate(list(article.mentions)):
        if index in located or mention.attrs.get("synthetic"):
            continue
        small_place = is_standalone_place(mention) and not mention.attrs.get("admin_code") and _rank(mention) >= 3
        small_place = small_place and mention.attrs.get("kind") not in _UNCONTAINED_KINDS
        if mention.label not in _HOLDERS and not small_place:
            continue
        if mention.label == "Enterprise" and mention.attrs.get("representative"):
            continue  # a firm that names a representative project is placed through the project
        if mention.attrs.get("kind") in _GOVERNMENT_KINDS and (mention.attrs.get("level_prefix") or mention.attrs.get("inner_places")):
            continue  # an organ written with its place is where its name says
        clause, offset = _clause(article, mention)
        if _ELSEWHERE.search(clause) and _PARTNER_OF.search(clause[: mention.start - offset]):
            continue  # a partner of a deal (与A、B签署协议) is not in the place the article is about
        subject, basis = subject_mention(article), "subject"  # a report builds in its subject place
        if subject is None:
            subject, basis = place_about(article, mention.start), "article"
        if subject is None or subject == index:
            continue
        place = article.mentions[subject]
        if not _BROUGHT_IN.search(clause) and not _same_province(article, mention, place):
            continue  # a listed firm registered in another province is a partner, unless it was brought in
        if basis == "article" and (_rank(place) < 3 or (small_place and _rank(place) >= _rank(mention))):
            continue
        article.relate("LOCATED_IN", index, subject, mention.start, "kg_located_in", basis=basis)


@article_component("kg_located_in")
def located_in(article: ArticleState) -> None:
    """Add the LOCATED_IN relations the article states or makes certain."""
    _adjacent(article)
    _stated(article)
    _visits(article)
    _inner(article)
    _context(article)
