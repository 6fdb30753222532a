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


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.entities.common import is_generic_body
from kg.nlp.boundary import word_spans, left_boundary
from kg.nlp.context import word_tags
from kg.nlp.lexicon import DEPARTMENT_WORDS, ORGANIZATION_SUFFIX_PATTERN, ORGANIZATION_SUFFIXES

_SUFFIX = re.compile(rf"(?:{ORGANIZATION_SUFFIX_PATTERN})(?!工作报告)")
_ONE_CHAR = frozenset("局委办部所厅")
_TOP_LEVEL = frozenset({"政府", "人民政府", "人大常委会", "人大", "政协", "市委", "县委", "区委", "省委"})
_NAME_TAGS = frozenset({"nz", "nt", "nr", "nrt", "nrfg", "ns", "j"})
_LONGEST_DEPARTMENT = max(map(len, DEPARTMENT_WORDS))
# Suffixes that make an organisation by themselves only when a proper name precedes them.
# Grass-roots organs inside a firm or village: a town written before them is where they are, not their name.
_GRASSROOTS = frozenset({"党支部", "党总支", "工会"})
_NEEDS_NAME = frozenset({"党支部", "党总支", "银行",
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


def _has_name_part(article: ArticleState, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` contains a place or a proper-name-like word."""
    if any(c.label == "Place" and start <= c.start and c.end <= end for c in article.candidates):
        return True
    if re.search(r"[“\"(（]", article.text[start:end]):
        return True
    tags = word_tags()
    for word, _s, _e in word_spans(article.text[start:end]):
        if is_generic_body(word):
            continue
        tag = tags.get(word)
        if tag in _NAME_TAGS or (tag is None and len(word) >= 2):
            return True
    return False


def _department_word(text: str, end: int) -> str | None:
    """The longest standard department name ending at ``end`` (工业和信息化局 is one word, 和 and all)."""
    for length in range(min(_LONGEST_DEPARTMENT, end), 1, -1):
        if text[end - length : end] in DEPARTMENT_WORDS:
            return text[end - length : end]
    return None


def _level_prefix(article: ArticleState, start: int, full: str) -> str | None:
    """The place level an organ is written with instead of its place (市委组织部, 区人社局, 全市关工委)."""
    stripped = full.removeprefix("全")
    if len(stripped) < 2 or stripped[0] not in "市县区省镇乡" or stripped[1] == "级":
        return None
    if any(hit.start == start for hit in article.places):
        return None  # 市中区…: a place name, not a bare level
    return stripped[0]


@article_component("kg_organizations")
def extract_organizations(article: ArticleState) -> None:
    """Propose ``Organization`` candidates for one article."""
    text = article.text
    last_end = 0
    for match in _SUFFIX.finditer(text):
        suffix = match.group()
        department = _department_word(text, match.end())
        body_end = match.end() - len(department) if department and len(department) > len(suffix) else match.start()
        floor = last_end if suffix in _TOP_LEVEL and last_end == match.start() else 0
        start = left_boundary(text, body_end, max_chars=20, floor=floor)
        if start == body_end and start > floor and text[start - 1] in "市县区省":
            start -= 1  # a bare level the word before swallowed (访|市|工业和信息化局)
        if suffix in _TOP_LEVEL and (committee := _COMMITTEE_BEFORE.match(text, start, match.start())):
            start = committee.end()  # 市委市政府 is two organs
        if (suffix in _ONE_CHAR or suffix == "大队") and not department:
            continue
        if suffix in _GRASSROOTS:
            start = _after_town_prefix(article, start, match.start())
        body = text[start : match.start()]
        level = _level_prefix(article, start, text[start : match.end()])
        bare = not body or body.removeprefix("全") == level
        if bare and not (suffix in _BARE_OK or department or suffix in _TOP_LEVEL):
            continue
        if bare and level is None and (suffix in ("政府", "人民政府") or text[start - 1 : start] != "、" and suffix not in _BARE_OK):
            continue  # 政府 or 关工委 alone names no particular organ (except inside a title chain)
        if article.in_title(start, match.end()) or re.fullmatch(r"[“\"][^”\"]+[”\"]", body):
            continue  # inside a policy document's title, or a quoted slogan (“五老”关工委)
        if not bare and not level and (is_generic_body(body) or _RANKED.match(body)):
            continue
        if not bare and not level and suffix in _NEEDS_NAME and not department and not _has_name_part(article, start, match.start()):
            continue
        attrs = {"kind": ORGANIZATION_SUFFIXES[suffix], "suffix": suffix, "body": body, "bare": bare}
        if level is not None:
            attrs["level_prefix"] = level
        article.add(Candidate("Organization", start, match.end(), "org_suffix", Priority.ORGAN if not bare else Priority.BARE_ORGAN, attrs))
        last_end = match.end()
