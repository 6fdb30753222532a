"""Organisations: party and government organs, associations, institutes, funds, banks, schools.

Reads the article text and the place candidates already proposed. Emits
``Organization`` candidates by suffix (局, 委员会, 协会, 研究院, 基金, 银行,
学校, 孵化器 …) with a left boundary. One-character suffixes (局 委 办 部 所)
must complete a standard department name (组织部, 工信局, 派出所), since the
same characters end common words (布局, 举办, 全部). Bare organs written
without their place (市委组织部, 管委会, 党工委) are marked ``bare`` for the
canonicaliser to qualify with the page's city or the article's zone.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.base import ArticleState, Candidate, state
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import _tokens, left_boundary
from kg.nlp.context import _word_tags
from kg.nlp.lexicon import DEPARTMENT_WORDS, ORGANIZATION_SUFFIX_PATTERN, ORGANIZATION_SUFFIXES

_SUFFIX = re.compile(rf"(?:{ORGANIZATION_SUFFIX_PATTERN})")
_ONE_CHAR = frozenset("局委办部所厅")
_TOP_LEVEL = frozenset({"政府", "人民政府", "人大常委会", "人大", "政协", "市委", "县委", "区委", "省委"})
_NAME_TAGS = frozenset({"nz", "nt", "nr", "nrt", "nrfg", "ns", "j"})
_LEVEL_PREFIX = re.compile(r"^(?:全)?(?P<level>省|市|县|区|镇|乡|街道)$")
# Suffixes that make an organisation by themselves only when a proper name precedes them.
# Grass-roots organs inside a firm or village: a town written before them is where they are, not their name.
_GRASSROOTS = frozenset({"党支部", "党总支", "工会"})
_NEEDS_NAME = frozenset({"党支部", "党总支",
    "中心", "服务中心", "研究中心", "技术中心", "创新中心", "工程中心", "研发中心", "研究院", "研究所", "实验室",
    "基金", "母基金", "联盟", "委员会", "办公室", "学院", "学校", "大队", "支队", "中队", "所", "实践站", "实践所",
    "实践中心", "服务站", "部",
})
_BARE_OK = frozenset({"管委会", "党工委", "市委", "县委", "区委", "省委", "人大常委会", "政协", "商会", "新联会"})
_RANKED = re.compile(r"^(?:国家级|省级|市级|县级|区级|各级|全国|基层|各)")
_COMMITTEE_BEFORE = re.compile(r".*?[市县区省]委(?=[市县区省]?$)")


def _after_town_prefix(article: ArticleState, start: int, end: int) -> int:
    for place in article.places:
        if place.start == start and place.end < end and place.level in ("town", "street"):
            return place.end
    for candidate in article.candidates:
        if candidate.label == "Place" and candidate.start == start and candidate.end < end and candidate.attrs.get("kind") in ("town", "street", "village"):
            return candidate.end
    return start


def _department(full: str) -> bool:
    return any(full.endswith(word) for word in DEPARTMENT_WORDS)


def _has_name_part(article: ArticleState, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` contains a place or a proper-name-like word."""
    if any(c.label == "Place" and start <= c.start and c.end <= end for c in article.candidates):
        return True
    if re.search(r"[“\"(（]", article.text[start:end]):
        return True
    tags = _word_tags()
    for word, _s, _e in _tokens(article.text[start:end]):
        tag = tags.get(word)
        if tag in _NAME_TAGS or (tag is None and len(word) >= 2):
            return True
    return False


@Language.component("kg_organizations")
def extract_organizations(doc: Doc) -> Doc:
    """Propose ``Organization`` candidates for one article."""
    article = state(doc)
    text = article.text
    last_end = 0
    for match in _SUFFIX.finditer(text):
        suffix = match.group()
        floor = last_end if suffix in _TOP_LEVEL and last_end == match.start() else 0
        start = left_boundary(text, match.start(), max_chars=20, floor=floor)
        if suffix in _TOP_LEVEL and (committee := _COMMITTEE_BEFORE.match(text, start, match.start())):
            start = committee.end()  # 市委市政府 is two organs
        body = text[start : match.start()]
        full = text[start : match.end()]
        if suffix in _ONE_CHAR or suffix == "大队":
            if not _department(full):
                continue
        level = _LEVEL_PREFIX.match(body)
        bare = not body or level is not None
        if bare and not (suffix in _BARE_OK or _department(full) or suffix in _TOP_LEVEL):
            continue
        if bare and suffix in ("政府", "人民政府") and level is None:
            continue  # 政府 alone names no particular government
        if article.in_title(start, match.end()) or re.fullmatch(r"[“\"][^”\"]+[”\"]", body):
            continue  # inside a policy document's title, or a quoted slogan (“五老”关工委)
        if suffix in _GRASSROOTS:
            start = _after_town_prefix(article, start, match.start())
            body = text[start : match.start()]
        if not bare and (is_generic_body(body) or _RANKED.match(body)):
            continue
        if not bare and suffix in _NEEDS_NAME and not _department(full) and not _has_name_part(article, start, match.start()) \
                and not re.match(r"[市县区省]", body):
            continue
        attrs = {"kind": ORGANIZATION_SUFFIXES[suffix], "suffix": suffix, "body": body, "bare": bare}
        if level is not None:
            attrs["level_prefix"] = level.group("level")
        article.add(Candidate("Organization", start, match.end(), "org_suffix", 52 if not bare else 44, attrs))
        last_end = match.end()
    return doc
