"""The trained entity tagger as a pipeline component: the model decides the entity spans.

Reads every article's mentions as the rules left them (after the chooser,
the people component and page propagation) and passes them to the CRF
(:mod:`kg.nlp.tagger`) as hints, with the gazetteer and cue features it
computes itself. Then, in ``decide`` mode:

- mentions from exact rules stay whatever the model says (the ``keep``
  setting: by default legal firm names, people introduced by a title, the
  document's words for itself, and the subject place's own name; gazetteer
  places are features of the model,
  not kept outright, since a county name inside an ordinary phrase is a
  gazetteer hit too);
- every other span is the model's: where it agrees with a rule candidate
  (same span and label) that candidate is kept with its attributes, else a
  new mention is made (a place takes its code when the page's gazetteer hits
  name exactly that span);
- rule mentions the model does not confirm are dropped, and so are the names
  found inside them (``inner``) when their container goes.

In ``fill`` mode the rules' mentions all stay and the model only adds spans
where no mention is. The model folder and the mode are settings of the
factory, so a config can point at a retrained model (``kg train``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.entities.inner import attach_inner_places, inner_firm, inner_place_index
from kg.nlp.boundary import pos_tokens
from kg.nlp.lexicon import LEFT_STOP_TOKENS, ZONE_SUFFIXES
from kg.nlp.spans import ArticleState, Candidate, Priority, document_state
from kg.nlp.tagger import EntityTagger, Hint
from kg.resources import resource_dir

MODES = ("decide", "fill")
#: Rule sources whose mentions are exact enough to stand without the model (the ``keep`` setting's default).
EXACT_SOURCES = ["self_reference", "titled_person", "legal_name", "firm_list", "chain_main_line", "representative"]
_ZONE_SUFFIXES_LONGEST_FIRST = sorted(ZONE_SUFFIXES, key=len, reverse=True)
_LEGAL_SUFFIX = re.compile(r"(?:有限公司|有限责任公司|股份公司|集团公司)$")
_PLACE_KINDS = (
    ("自治区", "province"), ("省", "province"), ("自治州", "city"), ("市", "city"), ("自治县", "county"), ("县", "county"),
    ("街道", "street"), ("镇", "town"), ("乡", "town"), ("村", "village"), ("社区", "community"),
    ("开发区", "zone"), ("高新区", "zone"), ("新区", "zone"), ("自贸区", "zone"), ("园区", "park"), ("产业园", "park"),
    ("城市群", "region"), ("都市圈", "region"), ("城市圈", "region"), ("经济带", "region"), ("经济区", "region"),
    ("走廊", "region"), ("湾区", "region"), ("地区", "region"), ("区", "district"),
)


@lru_cache(maxsize=4)
def _load(folder: str) -> EntityTagger:
    return EntityTagger.from_disk(Path(folder))


def default_model() -> Path:
    """The packaged model folder."""
    return resource_dir("models") / "entity_crf"


def _exact(mention: Candidate, article: ArticleState, keep: frozenset[str]) -> bool:
    """Whether a rule mention is of a kind the ``keep`` setting trusts over the model, or names the document's subject."""
    text = article.text
    if mention.attrs.get("admin_code") and mention.attrs["admin_code"] == article.context.subject:
        return True
    if mention.source in keep:
        return mention.source != "gazetteer" or bool(mention.attrs.get("admin_code"))
    if "legal_name" in keep and mention.label == "Enterprise" and _LEGAL_SUFFIX.search(text[mention.start : mention.end]):
        return True
    if "firm_list" in keep and mention.label == "Enterprise" and mention.source == "list_member":
        return True  # an item of …等链主企业/龙头企业/配套企业: the enumeration says it is a firm
    return "titled_person" in keep and mention.label == "Person" and bool(mention.attrs.get("titles"))


def _place_attrs(article: ArticleState, start: int, end: int) -> tuple[str, dict[str, object]]:
    """Source and attributes of a place the model drew: a gazetteer code, a zone's body and suffix, or a kind."""
    for hit in article.places:
        if hit.start == start and hit.end == end and hit.code:
            return "tagger", {"admin_code": hit.code, "kind": hit.level}
    surface = article.text[start:end]
    zone_suffix = next((suffix for suffix in _ZONE_SUFFIXES_LONGEST_FIRST if surface.endswith(suffix)), None)
    if zone_suffix is not None and len(surface) > len(zone_suffix):
        # named as the rules name a zone (市开发区, 赣州高新区 -> the city's zone of that family)
        return "zone_pattern", {"kind": ZONE_SUFFIXES[zone_suffix], "suffix": zone_suffix, "body": surface[: -len(zone_suffix)]}
    kind = next((kind for suffix, kind in _PLACE_KINDS if surface.endswith(suffix)), "other")
    return "tagger", {"kind": kind}


#: Attributes a rule mention carries for the relation components, not for its name: they stay with the
#: mention when the model draws its span differently (a list's chain, a chain's tier, the town's main line).
RELATIONAL_ATTRIBUTES = (
    "main_line", "tier", "scale", "list_head", "list_modifiers", "list_span", "roles", "investment_text", "capacity",
    "representative", "chain", "operator",
)


def _carry_relational(mention: Candidate, rules: list[Candidate], starts: list[int]) -> None:
    """Give a new mention the relation-bearing attributes of the one rule mention of its label it overlaps.

    ``rules`` are sorted by start (``starts`` their starts); rule mentions do not overlap, so the ones a span
    overlaps are the one that starts before it and those that start inside it.
    """
    first = max(0, bisect_right(starts, mention.start) - 1)
    nearby = rules[first : bisect_left(starts, mention.end)]
    overlapping = [r for r in nearby if r.label == mention.label and r.start < mention.end and mention.start < r.end]
    if len(overlapping) == 1:
        for key in RELATIONAL_ATTRIBUTES:
            if key in overlapping[0].attrs:
                mention.attrs[key] = overlapping[0].attrs[key]


#: Words that end a name's sentence rather than the name (…铁路建成通车, …中心获批).
TRAILING_STATUS = ("建成通车", "建成投产", "建成投运", "建成", "通车", "投产", "投运", "开工", "竣工", "获批", "获", "落地", "达产", "启用", "开通")
_MIN_NAME = 2
# Verbs that open a clause, not a name (the boundary lexicon's, and 建设 which ends names but never starts one).
_LEADING_VERBS = LEFT_STOP_TOKENS | {"建设", "开工建设", "续建", "争取"}


def trim_span(text: str, start: int, end: int, label: str) -> tuple[int, int, str] | None:
    """A model span without the governing verb it swallowed on the left or the status words on the right.

    Examples
    --------
    >>> trim_span("加快建设青川水资源配置工程建成", 2, 15, "Project")
    (4, 13, 'Project')
    >>> trim_span("东岭港", 0, 3, "Place")
    (0, 3, 'Place')
    """
    while True:
        word, _tag, _offset = pos_tokens(text[start:end])[0]
        if word not in _LEADING_VERBS or end - start - len(word) < _MIN_NAME:
            break
        start += len(word)
    surface = text[start:end]
    for word in TRAILING_STATUS:
        if surface.endswith(word) and len(surface) - len(word) >= _MIN_NAME:
            end -= len(word)
            break
    return (start, end, label) if end - start >= _MIN_NAME or label == "Person" else None


def split_chains(text: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """A chain span that joins two industries with 和 is two chains (SPEC: compounds joined by a delimiter are separate).

    Examples
    --------
    >>> split_chains("生物医药和现代物流产业", 0, 11, "Chain")
    [(0, 4, 'Chain'), (5, 11, 'Chain')]
    >>> split_chains("新能源汽车及汽车零部件", 0, 11, "Chain")
    [(0, 11, 'Chain')]
    """
    if label != "Chain":
        return [(start, end, label)]
    parts: list[tuple[int, int, str]] = []
    begin = start
    for position in range(start, end):
        if text[position] == "和" and position - begin >= _MIN_NAME and end - position - 1 >= _MIN_NAME:
            parts.append((begin, position, label))
            begin = position + 1
    parts.append((begin, end, label))
    return parts


def _new_mention(article: ArticleState, start: int, end: int, label: str) -> Candidate:
    attrs: dict[str, object] = {}
    source = "tagger"
    if label == "Place":
        source, attrs = _place_attrs(article, start, end)
    elif label == "Person":
        attrs = {"kind": "other", "titles": []}
    elif label == "Organization":
        attrs = {"kind": "other"}
    return Candidate(label, start, end, source, Priority.WEAK, attrs)


_WINDOW = 4000


def _windows(article: ArticleState) -> list[tuple[int, int]]:
    """Consecutive spans of whole sentences of about :data:`_WINDOW` characters covering the article."""
    windows: list[tuple[int, int]] = []
    start = 0
    for _sentence_start, sentence_end in article.sentences:
        if sentence_end - start >= _WINDOW:
            windows.append((start, sentence_end))
            start = sentence_end
    if start < len(article.text):
        windows.append((start, len(article.text)))
    return windows


class EntityTaggerComponent:
    """Runs the CRF on each article and merges its spans with the rules' mentions."""

    def __init__(self, tagger: EntityTagger, mode: str, keep: list[str], fill: list[str]) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.tagger = tagger
        self.mode = mode
        self.keep = frozenset(keep)
        self.fill = frozenset(fill)

    def __call__(self, doc: Doc) -> Doc:
        for article in document_state(doc).articles:
            if article.text:
                self._tag(article)
        return doc

    def _predict(self, article: ArticleState) -> list[tuple[int, int, str]]:
        """The model's spans over the article, a window of whole sentences at a time (memory stays bounded)."""
        hints = sorted((Hint(m.start, m.end, m.label) for m in article.mentions), key=lambda h: h.start)  # every rule mention
        spans: list[tuple[int, int, str]] = []
        for start, end in _windows(article):
            inside = [Hint(h.start - start, h.end - start, h.label) for h in hints if start <= h.start and h.end <= end]
            spans += [(s + start, e + start, label) for s, e, label in self.tagger.predict(article.text[start:end], inside)]
        return spans

    def _tag(self, article: ArticleState) -> None:
        spans = self._predict(article)
        if self.mode == "fill":
            kept = list(article.mentions)
        else:
            kept = [m for m in article.mentions if not m.attrs.get("inner") and _exact(m, article, self.keep)]
            present = {id(m) for m in article.mentions}
            chosen = {id(m) for m in kept}
            for m in list(kept):
                for _title, owner in m.attrs.get("titles") or []:
                    if owner is not None and id(owner) in present and id(owner) not in chosen:
                        kept.append(owner)  # a kept title keeps its organ
                        chosen.add(id(owner))
        by_span = {(c.start, c.end, c.label): c for c in (*article.candidates, *article.mentions) if not c.attrs.get("inner")}
        taken = bytearray(len(article.text) + 1)
        for start, end in article.bylines:
            taken[start:end] = b"\x01" * (end - start)  # bylines name reporters, never entities
        for mention in kept:
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        rules = sorted((m for m in article.mentions if not m.attrs.get("inner")), key=lambda m: m.start)
        starts = [m.start for m in rules]
        places = inner_place_index(article)
        trimmed_spans = (trimmed for span in spans if (trimmed := trim_span(article.text, *span)) is not None)
        for start, end, label in (part for span in trimmed_spans for part in split_chains(article.text, *span)):
            if any(taken[start:end]):
                continue
            mention = by_span.get((start, end, label))
            if mention is None:
                mention = _new_mention(article, start, end, label)
                _carry_relational(mention, rules, starts)
                if label in ("Enterprise", "Organization", "Project"):
                    attach_inner_places(mention, places)
                if label == "Project" and (firm := inner_firm(article, mention)) is not None:
                    kept.append(firm)
            kept.append(mention)
            taken[start:end] = b"\x01" * (end - start)
        for mention in rules:
            if mention.source in self.fill and mention.attrs.get("admin_code") and not any(taken[mention.start : mention.end]):
                kept.append(mention)  # an exact rule mention where the model drew nothing
                taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        if self.mode == "decide":
            outer = sorted((m for m in kept if not m.attrs.get("inner")), key=lambda m: m.start)
            outer_starts = [m.start for m in outer]
            for inner in article.mentions:
                if not inner.attrs.get("inner"):
                    continue
                container = bisect_right(outer_starts, inner.start) - 1  # kept outer mentions do not overlap
                if container >= 0 and inner.end <= outer[container].end:
                    kept.append(inner)
        article.mentions = sorted(kept, key=lambda m: (m.start, -m.end))


@Language.factory("kg_entity_tagger", default_config={"model": "", "mode": "decide", "keep": EXACT_SOURCES, "fill": []})
def make_entity_tagger(
    nlp: Language, name: str, model: str, mode: str, keep: list[str], fill: list[str]
) -> EntityTaggerComponent:
    """Build the component.

    ``model`` is a folder written by ``kg train`` (empty: the packaged model);
    ``mode`` is ``decide`` or ``fill``; ``keep`` names the rule sources trusted
    over the model (rule source names, plus ``legal_name`` for firms with a
    legal suffix and ``titled_person`` for people introduced by a title);
    ``fill`` names rule sources whose coded places fill text the model left
    empty (``gazetteer``: an administrative place the model did not see).
    """
    folder = Path(model) if model else default_model()
    return EntityTaggerComponent(_load(str(folder.resolve())), mode, keep, fill)
