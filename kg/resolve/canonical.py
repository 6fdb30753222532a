"""Canonical names for one document's mentions.

Places take their official name and code from the gazetteer; zones written
as 赣州开发区, 市开发区 or plain 开发区 take the name of the city's zone of that
family; bare organs (市委组织部, 区人社局, 管委会) are qualified with the
page's city or the article's district or zone; department abbreviations are
expanded (工信局 -> 工业和信息化局) and the written forms kept as aliases; a
listed firm written by its exchange short name takes its legal name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.nlp.spans import ArticleState, Candidate
from kg.nlp.context import DocContext
from kg.nlp.lexicon import DEPARTMENT_ABBREVIATIONS, ZONE_ABBREVIATIONS
from kg.resolve.values import parse_amount, project_status

_HIGH_TECH = ("高新区", "高新技术产业开发区", "高新技术开发区")
_DEVELOPMENT = ("开发区", "经济开发区", "经济技术开发区", "经开区")
_LEVEL_OF_REFERENCE = {"市": ("city",), "省": ("province",), "区": ("zone", "district"), "县": ("county",), "镇": ("town",), "乡": ("town",), "街道": ("street",)}
_PLACE_SUFFIX_NORMAL = {"街道办事处": "街道", "街道办": "街道", "村委会": "村", "居委会": "社区"}
_PROJECT_SUFFIX = re.compile(r"(?:建设)?(?:项目|车间|工程)$")


@dataclass(slots=True)
class Named:
    """A mention's canonical name, aliases and typed attributes."""

    name: str
    aliases: list[str]
    attrs: dict[str, Any]


def _family(suffix: str) -> str | None:
    if suffix in _HIGH_TECH:
        return "high_tech"
    if suffix in _DEVELOPMENT:
        return "development"
    return None


class Canonicaliser:
    """Names the mentions of one document, using its context and its articles."""

    def __init__(self, context: DocContext, states: list[ArticleState]) -> None:
        self.context = context
        self.states = states
        self.gazetteer = context.gazetteer
        self._article_summaries: dict[tuple[Any, ...], Any] = {}
        self._zone_names: dict[str, Counter[tuple[str, str | None]]] = {"high_tech": Counter(), "development": Counter()}
        for article in states:
            for mention in article.mentions:
                family = _family(str(mention.attrs.get("suffix", "")))
                if mention.label == "Place" and family and mention.attrs.get("body") not in (None, "", "市", "区", "县"):
                    self._zone_names[family][self._zone_name(mention, article)] += 1

    # --- places -----------------------------------------------------------------
    def _city_zone(self, family: str, city_code: str | None) -> tuple[str, str] | None:
        """The gazetteer zone of ``family`` under ``city_code``, as (name, code)."""
        if not city_code:
            return None
        for code in self.gazetteer.children.get(city_code, []):
            place = self.gazetteer.places[code]
            if place.level != "zone":
                continue
            high = "高新" in place.name
            if (family == "high_tech") == high and place.name.endswith("开发区"):
                return place.name, code
        return None

    def _zone_name(self, mention: Candidate, article: ArticleState) -> tuple[str, str | None]:
        """Name (and code, when the gazetteer has the zone) of a zone written as 赣州开发区, 市开发区 or 开发区."""
        body = str(mention.attrs.get("body", ""))
        suffix = str(mention.attrs.get("suffix", ""))
        family = _family(suffix)
        if family is None:
            return body + suffix, None
        stripped = body.removeprefix("市").removeprefix("区")
        if stripped:
            place_code = self._place_named(stripped)
            if place_code is None:
                return body + suffix, None  # 禾丰生态农业高新区: a zone of its own name
        else:
            named = self._article_zone(article, family)
            if named is not None:
                return named
            if self._zone_names[family]:
                return self._zone_names[family].most_common(1)[0][0]
            place_code = self.article_city(article) or self.context.home_city
        zone = self._city_zone(family, place_code)
        if zone:
            return zone
        place = self.gazetteer.places.get(place_code or "")
        if place is None:
            return body + suffix, None
        stem = re.sub(r"(?:市|县|区)$", "", place.name)
        return stem + ZONE_ABBREVIATIONS.get(suffix, suffix), None

    def _place_named(self, name: str) -> str | None:
        """The city or county a zone's name begins with (赣州 -> 3717), as the page resolves it."""
        automaton = self.gazetteer.place_names
        if name not in automaton:
            return None
        _surface, payloads = automaton.get(name)
        codes = tuple(code for _form, code in payloads if self.gazetteer.places[code].level in ("city", "county", "district"))
        return self.context.choose(codes) if codes else None

    def _article_zone(self, article: ArticleState, family: str) -> tuple[str, str | None] | None:
        """The zone of ``family`` the article names in full (昆山高新区 makes its bare 高新区 that zone)."""
        counts: Counter[tuple[str, str | None]] = Counter()
        for mention in article.mentions:
            body = str(mention.attrs.get("body", "")).removeprefix("市").removeprefix("区")
            if mention.label == "Place" and body and _family(str(mention.attrs.get("suffix", ""))) == family:
                counts[self._zone_name(mention, article)] += 1
        return counts.most_common(1)[0][0] if counts else None

    def _once(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """An article-wide answer, computed once: every reference of a long article asks the same question."""
        if key not in self._article_summaries:
            self._article_summaries[key] = compute()
        return self._article_summaries[key]

    def article_place(self, article: ArticleState, levels: tuple[str, ...]) -> tuple[str, str | None] | None:
        """The article's most-named place of one of ``levels``, as (name, code)."""
        return self._once((id(article), "place", levels), lambda: self._article_place(article, levels))

    def article_city(self, article: ArticleState) -> str | None:
        """The city an article is about: the one its places belong to most often."""
        return self._once((id(article), "city"), lambda: self._article_city(article))

    def _county_level_city(self, article: ArticleState) -> tuple[str, str] | None:
        """The county-level city (县级市) an article is about, if it names one more than any prefecture."""
        return self._once((id(article), "county_city"), lambda: self._county_level_city_of(article))

    def _article_place(self, article: ArticleState, levels: tuple[str, ...]) -> tuple[str, str | None] | None:
        counts: Counter[tuple[str, str | None]] = Counter()
        for mention in article.mentions:
            if mention.label != "Place" or mention.attrs.get("kind") not in levels:
                continue
            named = self.place(mention, article, resolve_references=False)
            if named is not None:
                counts[(named.name, named.attrs.get("admin_code"))] += 1
        if counts:
            return counts.most_common(1)[0][0]
        for hit in self.context.hits:
            if hit.level in levels and hit.code:
                return self.gazetteer.places[hit.code].name, hit.code
        return None

    def _article_city(self, article: ArticleState) -> str | None:
        counts: Counter[str] = Counter()
        for hit in article.places:
            if not hit.code:
                continue
            place = self.gazetteer.places.get(hit.code)
            chain = [place, *self.gazetteer.ancestors(hit.code)] if place else []
            for item in chain:
                if item.level == "city":
                    counts[item.code] += 1
                    break
        return counts.most_common(1)[0][0] if counts else None

    def _county_level_city_of(self, article: ArticleState) -> tuple[str, str] | None:
        counts: Counter[str] = Counter()
        for hit in article.places:
            place = self.gazetteer.places.get(hit.code or "")
            if place is not None and place.level in ("county", "city"):
                counts[place.code] += 1
        if not counts:
            return None
        code, _count = counts.most_common(1)[0]
        place = self.gazetteer.places[code]
        if place.level == "county" and place.name.endswith("市"):
            return place.name, code
        return None

    def _reference(self, level: str, article: ArticleState) -> tuple[str, str | None] | None:
        if self.context.is_subject_reference(level):
            subject = self.gazetteer.places[str(self.context.subject)]
            return subject.name, subject.code
        levels = _LEVEL_OF_REFERENCE.get(level)
        if levels is None:
            return None
        if levels == ("city",):
            county_city = self._county_level_city(article)
            if county_city is not None:
                return county_city  # on a 义乌 page, 市委 and 全市 are 义乌市's, a county-level city
            city = self.article_city(article) or self.context.home_city
            if city:
                return self.gazetteer.places[city].name, city
        if levels == ("province",) and self.context.home_province:
            return self.gazetteer.places[self.context.home_province].name, self.context.home_province
        return self.article_place(article, levels)

    def place(self, mention: Candidate, article: ArticleState, resolve_references: bool = True) -> Named | None:
        """Canonical form of a Place mention, or None for an unresolvable reference."""
        attrs = mention.attrs
        surface = article.surface(mention)
        if attrs.get("kind") == "reference":
            if not resolve_references:
                return None
            found = self._reference(str(attrs.get("reference")), article)
            if found is None:
                return None
            name, code = found
            return self._admin(code, [surface]) if code else Named(name, [surface], {"kind": "other"})
        if attrs.get("admin_code"):
            return self._admin(str(attrs["admin_code"]), [surface])
        suffix = str(attrs.get("suffix", ""))
        if mention.source in ("zone_pattern", "zone_reference") or attrs.get("inner") and suffix:
            name, code = self._zone_name(mention, article)
            if code:
                return self._admin(code, [surface])
            return Named(name, [surface], {"kind": attrs.get("kind", "zone")})
        if mention.source == "place_pattern":
            body = str(attrs.get("body", surface))
            return Named(body + _PLACE_SUFFIX_NORMAL.get(suffix, suffix), [surface], {"kind": attrs.get("kind", "other")})
        if mention.source == "list_member" and attrs.get("list_head") == "村":
            return Named(surface + "村", [surface], {"kind": "village"})
        if mention.source == "road_pattern":
            return Named(surface.removeprefix("市"), [surface], {"kind": "other"})
        return Named(surface, [surface], {"kind": attrs.get("kind", "other")})

    def _admin(self, code: str, aliases: list[str]) -> Named:
        place = self.gazetteer.places[code]
        parent = self.gazetteer.parent(code)
        kind = {"zone": "zone", "other": "other"}.get(place.level, place.level)
        return Named(place.name, aliases, {"kind": kind, "admin_code": code, "parent": parent.name if parent else None})

    # --- organisations ------------------------------------------------------------
    def _qualifier(self, level: str, article: ArticleState) -> str | None:
        found = self._reference(level, article)
        return found[0] if found else None

    def organization(self, mention: Candidate, article: ArticleState) -> Named | None:
        """Canonical form of an Organization mention."""
        attrs = mention.attrs
        surface = article.surface(mention)
        kind = attrs.get("kind", "other")
        if attrs.get("government_of"):
            qualifier = self._qualifier(str(attrs["government_of"]), article)
            if qualifier is None:
                return None  # 县长 on a page that names no county: whose government is unknown
            return Named(qualifier + "人民政府", [surface], {"kind": "government"})
        name = surface
        level = attrs.get("level_prefix")
        suffix = str(attrs.get("suffix", ""))
        zone_prefix = next(
            (inner for inner in attrs.get("inner_places") or [] if inner["start"] == mention.start and inner["attrs"].get("suffix")), None
        )
        if zone_prefix is not None:
            inner_surface = article.text[zone_prefix["start"] : zone_prefix["end"]]
            zone = Candidate("Place", zone_prefix["start"], zone_prefix["end"], "zone_pattern", 0, zone_prefix["attrs"])
            name = self._zone_name(zone, article)[0] + surface[len(inner_surface) :]
        elif level == "区" and surface.removeprefix("区") in ("政府", "人民政府") and (zone := self.article_place(article, ("zone",))):
            name = zone[0] + "管委会"  # a development zone is run by its management committee
        elif level:
            qualifier = self._qualifier(str(level), article)
            if qualifier:
                rest = surface.removeprefix("全")[1:]
                name = (qualifier if qualifier.endswith(str(level)) else qualifier + str(level)) + rest
        elif attrs.get("bare") and suffix in ("管委会", "党工委"):
            zone = self.article_place(article, ("zone",))
            if zone:
                name = zone[0] + suffix
        elif attrs.get("bare") and (committee := self._chain_committee(mention, article)) is not None:
            name = committee + surface
        elif attrs.get("bare") and mention.source == "org_suffix":
            town = self._sentence_place(mention, article)
            if town is None:
                return None  # 商会 with no place named: which chamber is unknowable
            name = town + surface
        if mention.source == "list_member" and attrs.get("list_head") in ("部门", "单位"):
            town = self.article_place(article, ("town", "street"))
            if town:
                name = town[0] + surface
        name = re.sub(r"街道办(?:事处)?(?=.)", "街道", name)
        for short, full in DEPARTMENT_ABBREVIATIONS.items():
            if name.endswith(short) and short != full:
                name = name[: -len(short)] + full
                break
        name = re.sub(r"(?<=[区县市镇乡])政府$", "人民政府", name)
        aliases = [surface] if surface != name else []
        return Named(name, aliases, {"kind": kind})

    def _sentence_place(self, mention: Candidate, article: ArticleState) -> str | None:
        """The town or county named earlier in the sentence (青禾镇以商会和新联会为平台 -> 青禾镇)."""
        start, _end = article.sentence_of(mention.start)
        for other in article.mentions:
            if article.in_title(other.start, other.end):
                continue
            if other.label == "Place" and start <= other.start < mention.start and other.attrs.get("kind") in ("town", "street", "county", "district"):
                named = self.place(other, article, resolve_references=False)
                if named is not None:
                    return named.name
        return None

    def _chain_committee(self, mention: Candidate, article: ArticleState) -> str | None:
        """The party committee a bare department belongs to in a title chain (市委常委、宣传部长)."""
        for other in article.mentions:
            if other.label != "Organization" or other.end > mention.start or mention.start - other.end > 6:
                continue
            between = article.text[other.end : mention.start]
            if "、" in between and article.surface(other).endswith("委"):
                return self.organization(other, article).name
        return None

    # --- the rest -------------------------------------------------------------------
    def enterprise(self, mention: Candidate, article: ArticleState) -> Named:
        """Canonical form of an Enterprise mention (legal name when the gazetteer knows it)."""
        surface = article.surface(mention)
        attrs: dict[str, Any] = {"roles": sorted(set(mention.attrs.get("roles", [])))}
        if mention.attrs.get("listed"):
            attrs["stock_code"] = mention.attrs["listed"]
        full = mention.attrs.get("full_name")
        name = str(full) if full else str(mention.attrs.get("alias_of") or surface)
        return Named(name, [surface], attrs)

    def project(self, mention: Candidate, article: ArticleState) -> Named:
        """Canonical form of a Project mention, with investment, capacity and status."""
        surface = article.surface(mention).lstrip("的")
        attrs: dict[str, Any] = {}
        text = article.text
        before = text[max(0, mention.start - 16) : mention.start]
        amount_text = mention.attrs.get("investment_text")
        if not amount_text:
            stated = re.search(r"投资(?:约|超|过)?([0-9.]+(?:余|多)?(?:万|亿)?(?:美|欧|日|港)?元)的?$", before)
            amount_text = stated.group(1) if stated else None
        amount = parse_amount(str(amount_text)) if amount_text else None
        if amount:
            attrs.update(investment_yuan=amount.yuan, investment_amount=amount.value, investment_currency=amount.currency,
                         investment_approx=amount.approx, investment_text=amount.text)
        if mention.attrs.get("capacity"):
            attrs["capacity"] = mention.attrs["capacity"]
        sentence_start, sentence_end = article.sentence_of(mention.start)
        status = project_status(text[sentence_start:sentence_end])
        if status:
            attrs["status"] = status
        return Named(surface, [surface], attrs)

    def chain(self, mention: Candidate, article: ArticleState) -> Named:
        """Canonical form of a Chain mention: the industry words without 产业/产业链."""
        surface = article.surface(mention)
        name = str(mention.attrs.get("name") or surface)
        name = re.sub(r"(?:产业链|产业集群|产业)$", "", name) or name
        aliases = [surface]
        suffix = mention.attrs.get("suffix")
        if suffix:
            aliases.append(name + str(suffix))
        return Named(name, aliases, {})

    def name(self, mention: Candidate, article: ArticleState) -> Named | None:
        """Canonical form of any mention (None drops it)."""
        if mention.label == "Place":
            return self.place(mention, article)
        if mention.label == "Organization":
            return self.organization(mention, article)
        if mention.label == "Enterprise":
            return self.enterprise(mention, article)
        if mention.label == "Project":
            return self.project(mention, article)
        if mention.label == "Chain":
            return self.chain(mention, article)
        surface = article.surface(mention)
        return Named(surface, [surface], {"kind": mention.attrs.get("kind", "other")})


def project_key(name: str) -> str:
    """Projects written with and without 项目 are one project."""
    return _PROJECT_SUFFIX.sub("", name) or name
