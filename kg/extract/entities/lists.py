"""Members of enumerations: "A、B和C等龙头企业", "A、B…九条产业链", "A、B等上下游配套项目".

Reads the article text. An enumeration is a run of items separated by 、
(and 和 before the last) that ends in a collective phrase: 等 and/or a count
(九条, 两大, 10余个), modifiers (龙头, 链主, 上下游配套, 百亿级, 新兴) and a
head noun. The head gives the items their label (企业 -> Enterprise, 项目 ->
Project, 产业/产业链 -> Chain, 村 -> Place, 部门 -> Organization); the
modifiers are kept as attributes for the relation components.
"""

from __future__ import annotations

import re


from kg.nlp.spans import ArticleState, Candidate, Priority, article_component
from kg.extract.entities.common import chain_body_ok, firm_name_ok, is_generic_body, is_project_category
from kg.nlp.boundary import left_boundary, pos_tokens
from kg.nlp.gazetteer import Gazetteer
from kg.nlp.lexicon import DEPARTMENT_WORDS, ORGANIZATION_SUFFIXES

_COUNT = r"[0-9一二三四五六七八九十两几数]+(?:余|多)?(?:个|家|条|大|项|类|批|所|座|处)"
_MARKER = re.compile(
    rf"(?:(?P<etc>等)(?P<count>{_COUNT})?|(?P<bare_count>{_COUNT}))"
    r"(?P<mid>[“\"]?[\u4e00-\u9fff]{0,8}?[”\"]?)"
    r"(?P<head>企业|药企|公司|项目|产业链|产业集群|产业|集群|园区|村|地(?![方区址点域带位图])|部门|单位)"
)
_NOT_FIRST = re.compile(r"^[每各该这那其本全此]")
_PLACE_TAGS = frozenset({"n", "ns", "nr", "nz", "nt", "j", "f", "s", "ng", "zg", "x", "y", "b"})
_HEAD_LABELS = {
    "企业": "Enterprise", "药企": "Enterprise", "公司": "Enterprise", "项目": "Project",
    "产业链": "Chain", "产业集群": "Chain", "产业": "Chain", "集群": "Chain", "园区": "Place",
    "村": "Place", "地": "Place", "部门": "Organization", "单位": "Organization",
}
_AMOUNT_OF = re.compile(r"(?:总?投资)?(?:过|约|超)?(?P<amount>[0-9.]+(?:余|多)?(?:万|亿)?元)的$")
_MODIFIER = re.compile(r"(?:总?投资)?(?:过|约|超)?[0-9.]+(?:余|多)?(?:万|亿)?(?:美|欧|港)?元的")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n（(）)“”\"]")
_ITEM_BREAK = re.compile(r"、")
_JOINER = re.compile(r"和")
_MAX_SEGMENT = 120
_WORDS_WITH_HE = tuple(word for word in DEPARTMENT_WORDS if "和" in word)
_MAX_ITEM = 20


def enumeration(text: str, end: int, *, allow_digits: bool = True) -> list[tuple[int, int]]:
    """The items of an enumeration ending at ``end``, left to right.

    The enumeration is the run of text before ``end`` back to the previous
    clause break; it is cut at 、 and at a 和 before the last item. It starts
    with the last item that a governing word opens (引进A、B; 学校分别与A、B):
    the items before that belong to something else. An item may carry a short
    modifier joined by 的 ("投资27亿元的A、6.2亿元的B"), which is not part of it.

    Examples
    --------
    >>> s = "以岳邦生物、临澄医药"
    >>> [s[a:b] for a, b in enumeration(s, len(s))]
    ['岳邦生物', '临澄医药']
    >>> s = "投资27亿元的青禾园区基础设施、6.2亿元的区中医院建设"
    >>> [s[a:b] for a, b in enumeration(s, len(s))]
    ['青禾园区基础设施', '区中医院建设']
    >>> s = "引进了宏科智造、瑞丰光电和恒川电气"
    >>> [s[a:b] for a, b in enumeration(s, len(s))]
    ['宏科智造', '瑞丰光电', '恒川电气']
    """
    segment_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, max(0, end - _MAX_SEGMENT), end)), default=max(0, end - _MAX_SEGMENT))
    cuts = [m for m in _ITEM_BREAK.finditer(text, segment_start, end) if m.group() == "、"]
    last_start = cuts[-1].end() if cuts else segment_start
    joined = [m for m in _JOINER.finditer(text, last_start, end) if m.start() > last_start and not _inside_word(text, m.start())]
    bounds = [segment_start, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), end]
    if joined:
        ends[-1] = joined[-1].start()
        bounds.append(joined[-1].end())
        ends.append(end)
    items: list[tuple[int, int]] = []
    for number, (start, stop) in enumerate(zip(bounds, ends)):
        modifier = _MODIFIER.match(text, start, stop)
        if modifier:
            start = modifier.end()
        opened = left_boundary(text, stop, max_chars=stop - start, allow_digits=allow_digits, allow_conjunction=True, verbs="keep")
        if number == 0 or opened > start:
            # This item is opened by a governing word: the enumeration starts here.
            items = []
            start = left_boundary(text, stop, max_chars=stop - start, allow_digits=allow_digits, allow_conjunction=True, verbs="trim")
        if stop - start > _MAX_ITEM or start >= stop:
            items = []
            continue
        items.append((start, stop))
    return items


def _inside_word(text: str, position: int) -> bool:
    """Whether the 和 at ``position`` belongs to a department name (工业和信息化局) rather than joining items."""
    return any(word in text[max(0, position - 8) : position + 10] for word in _WORDS_WITH_HE)


_ROLE_WORDS = re.compile(r"链主|龙头|骨干|领航|领军|重点|知名|配套|上下游|优质|规上|规模以上|高新技术|专精特新|新兴|主导|一批|[“”\"]")


def _chain_in_modifiers(article: ArticleState, match: re.Match[str]) -> None:
    """An industry named among a list's modifiers (晶科能源、天合光能等光伏链主企业) is the list's chain."""
    start, end = match.span("mid")
    for part in _ROLE_WORDS.split(article.text[start:end]):
        if len(part) < 2:
            continue
        offset = article.text.index(part, start, end)
        if chain_body_ok(part, article, offset):
            article.add(Candidate("Chain", offset, offset + len(part), "list_modifier", Priority.SHORT_PATTERN, {"list_span": (match.start(), match.end())}))


def _item_ok(article: ArticleState, label: str, start: int, end: int) -> bool:
    """Whether an enumeration item can be an entity of ``label`` (not 每一户, “小巨人”, 独角兽)."""
    surface = article.text[start:end]
    if is_generic_body(surface) or _NOT_FIRST.match(surface) or surface[:1] in "“\"" or len(surface) > 20:
        return False
    if label == "Enterprise":
        return firm_name_ok(surface)
    if label == "Chain":
        return chain_body_ok(surface, article, start)
    if label == "Project":
        return not is_project_category(surface, article.context.gazetteer.industries)
    if label == "Place":
        return len(surface) <= 8 and all(tag in _PLACE_TAGS for _word, tag, _start in pos_tokens(surface))
    return True


def _organ_like(surface: str) -> bool:
    """A member of "…等部门" must itself read as an organ (应急办, 派出所), not a generic word (银行)."""
    return any(surface.endswith(word) for word in DEPARTMENT_WORDS) or (
        len(surface) > 2 and any(surface.endswith(suffix) for suffix in ORGANIZATION_SUFFIXES)
    )


def _listed_place(gazetteer: Gazetteer, surface: str) -> str | None:
    """A province or city named in a "A、B等地" list (short forms are safe there)."""
    if surface not in gazetteer.place_names:
        return None
    _surface, payloads = gazetteer.place_names.get(surface)
    codes = [code for _form, code in payloads if gazetteer.places[code].level in ("province", "city")]
    return codes[0] if len(codes) == 1 else None


@article_component("kg_lists")
def extract_list_members(article: ArticleState) -> None:
    """Propose candidates for the members of enumerations."""
    text = article.text
    for match in _MARKER.finditer(text):
        items = enumeration(text, match.start())
        if not items or (not match.group("etc") and len(items) < 2):
            continue
        head = match.group("head")
        label = _HEAD_LABELS[head]
        mid = match.group("mid").strip("“”\"")
        if label in ("Enterprise", "Project"):
            _chain_in_modifiers(article, match)
        if match.group("bare_count") and not all(_item_ok(article, label, s, e) for s, e in items):
            continue  # a count without 等 must follow a clean enumeration (not "实现了115个自然村")
        if label == "Enterprise" and 2 * sum(not _item_ok(article, label, s, e) for s, e in items) >= len(items):
            continue  # 独角兽、瞪羚等企业: mostly kinds of firm, so none is a firm
        for start, end in items:
            surface = text[start:end]
            if not _item_ok(article, label, start, end):
                continue
            attrs = {"list_head": head, "list_modifiers": mid, "list_span": (items[0][0], match.end())}
            amount = _AMOUNT_OF.search(text, max(0, start - 14), start)
            if amount and amount.end() == start:
                attrs["investment_text"] = amount.group("amount")
            if label == "Organization" and not _organ_like(surface):
                continue
            if label == "Place" and head == "地":
                code = _listed_place(article.context.gazetteer, surface)
                if code is None:
                    continue
                attrs.update(admin_code=code, kind=article.context.gazetteer.places[code].level, form="list")
            article.add(Candidate(label, start, end, "list_member", Priority.LIST_ITEM, attrs))
