"""The relation scorer's runtime: candidate mention pairs, their features, a logistic model.

Rule components say *that* a relation holds where they recognise a pattern;
what they cannot do is weigh many weak signals together (a cue verb between
two mentions, how far apart they are, whether both sit in one 、-list, whether
a rule already linked them). This module turns every candidate pair of an
article into sparse binary features and scores it with a linear model trained
by :mod:`kg.train.relations`; the pipeline component
(:mod:`kg.extract.relations.scorer`) decides what to do with the scores.

A candidate is a (relation type, head mention, tail mention) triple that the
schema allows for the two labels and that either lies inside one sentence or
was proposed by a rule. Features are closed-class and positional, never names,
so that the model carries to places and firms it never saw. Every feature is
kept twice, conjoined with the relation type (``"OPERATES|gap=的"``) and
shared across types (``"*|gap=的"``), so that rare types borrow from common ones.

Examples
--------
>>> model = RelationModel({"OPERATES|bias": 0, "OPERATES|gap=": 1}, [-1.0, 3.0], {})
>>> [round(float(p), 3) for p in model.probabilities([["OPERATES|bias"], ["OPERATES|bias", "OPERATES|gap="]])]
[0.269, 0.881]
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from kg.nlp.spans import ArticleState, Candidate, RelationCandidate
from kg.schema import load_schema

WEIGHTS_FILE = "weights.json"
META_FILE = "meta.json"

#: Closed-class words whose presence between or around two mentions says how they relate.
CUES: tuple[str, ...] = (
    "发展", "打造", "培育", "建设", "推进", "布局", "壮大", "做强", "做大", "聚焦", "集聚", "加快", "大力", "重点", "主导",
    "新兴", "核心", "支柱", "未来", "优势", "特色", "位于", "落户", "落地", "坐落", "入驻", "进驻", "引进", "招引", "签约",
    "投资", "投产", "开工", "竣工", "建成", "实施", "新建", "扩建", "年产", "总投资", "链主", "龙头", "领航", "骨干", "领军",
    "配套", "上下游", "董事长", "总经理", "书记", "市长", "县长", "省长", "区长", "主任", "局长", "部长", "调研", "视察", "考察",
    "督导", "检查", "观摩", "参观", "走进", "来到", "深入", "牵头", "负责", "依托", "带动", "吸引", "旗下", "子公司", "所属",
    "境内", "辖区", "为代表", "以", "在", "于", "的", "由", "是", "为", "等", "和", "与", "及", "产业链", "产业", "集群",
    "项目", "基地", "园区", "企业", "公司", "全省", "全市", "我省", "我市", "全区",
)
_CUE_PATTERN = re.compile("|".join(sorted((re.escape(c) for c in CUES), key=len, reverse=True)))
_PUNCTUATION = "，,；;：:、。（）()《》“”"
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_LIST_GAP = re.compile(r"(?:[、和及与]|M)*")
_WINDOW = 8
#: First characters of a name that say its scope rather than spell a name (全国, 国家…, 省属, 我省, 各市).
_SCOPE_FIRST = frozenset("全国省市县区我本各该首中")
#: Pairs with more mentions than this between them are not candidates (unless a rule proposed them).
MAX_BETWEEN = 12
_LABEL_CODE = {"Place": "P", "Enterprise": "E", "Person": "H", "Chain": "C", "Project": "J", "Organization": "O"}


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


@lru_cache(maxsize=1)
def allowed_types() -> dict[tuple[str, str], tuple[str, ...]]:
    """(head label, tail label) -> the relation types the schema allows between them."""
    table: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, relation in load_schema().relations.items():
        for head, tail in relation.endpoints:
            if head != "Article" and tail != "Article":
                table[(head, tail)].append(name)
    return {pair: tuple(sorted(types)) for pair, types in table.items()}


@dataclass(slots=True)
class RuleIndex:
    """The rule relations of an article, by (type, head, tail), and which mentions they already use per type."""

    pairs: dict[tuple[str, int, int], RelationCandidate]
    tails_of: dict[tuple[str, int], set[int]]   # (type, head) -> the tails rules gave it
    heads_of: dict[tuple[str, int], set[int]]   # (type, tail) -> the heads rules gave it

    @classmethod
    def of(cls, relations: Iterable[RelationCandidate]) -> RuleIndex:
        """Index ``relations`` (the article's, as the rule components left them)."""
        pairs: dict[tuple[str, int, int], RelationCandidate] = {}
        tails_of: dict[tuple[str, int], set[int]] = defaultdict(set)
        heads_of: dict[tuple[str, int], set[int]] = defaultdict(set)
        for relation in relations:
            pairs.setdefault((relation.type, relation.head, relation.tail), relation)
            tails_of[(relation.type, relation.head)].add(relation.tail)
            heads_of[(relation.type, relation.tail)].add(relation.head)
        return cls(pairs, tails_of, heads_of)


class ArticleIndex:
    """Mentions, sentences and gazetteer hits of one article sorted for bisection.

    Featurising a pair looks up what lies between and around its ends; scanning
    every mention for each pair would make a one-article page of thousands of
    mentions quadratic, so every lookup here is a bisection.
    """

    def __init__(self, article: ArticleState) -> None:
        self.article = article
        mentions = article.mentions
        self.order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, mentions[i].end))
        self.starts = [mentions[i].start for i in self.order]
        self.longest = max((m.end - m.start for m in mentions), default=0)
        self.sentences = sorted(article.sentences)
        self.sentence_starts = [start for start, _end in self.sentences]
        self.places = sorted(article.places, key=lambda hit: hit.start)
        self.place_starts = [hit.start for hit in self.places]

    def within(self, start: int, end: int) -> list[int]:
        """Indices of the mentions inside ``[start, end)``, in text order."""
        mentions = self.article.mentions
        low, high = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [i for i in self.order[low:high] if mentions[i].end <= end]

    def sentence_of(self, position: int) -> tuple[int, int]:
        """The sentence around ``position`` (the whole text when none is)."""
        at = bisect_right(self.sentence_starts, position) - 1
        if at >= 0 and self.sentences[at][0] <= position < self.sentences[at][1]:
            return self.sentences[at]
        return 0, len(self.article.text)

    def places_within(self, start: int, end: int) -> list[Any]:
        """Gazetteer hits inside ``[start, end)``."""
        low, high = bisect_left(self.place_starts, start), bisect_left(self.place_starts, end)
        return [hit for hit in self.places[low:high] if hit.end <= end]


def is_subject(article: ArticleState, mention: Candidate) -> bool:
    """Whether a mention names the document's subject place (its code, or 全省/我市 meaning it)."""
    context = article.context
    if mention.label != "Place" or context.subject is None:
        return False
    if mention.attrs.get("admin_code") == context.subject:
        return True
    return mention.source == "self_reference" and context.is_subject_reference(str(mention.attrs.get("reference")))


def addable(article: ArticleState, rel_type: str, head: int, tail: int) -> bool:
    """Whether the scorer may add this pair: not between administrative places, whose hierarchy the build takes from their codes.

    A LOCATED_IN the scorer added from a coded place would also stop the exact
    hierarchy edge from being made (the build adds one only to places nothing else locates).
    """
    mentions = article.mentions
    return not (rel_type == "LOCATED_IN" and mentions[head].label == "Place" and mentions[head].attrs.get("admin_code")
                and mentions[tail].attrs.get("admin_code"))


def candidate_pairs(article: ArticleState, rules: RuleIndex, max_between: int = MAX_BETWEEN,
                    index: ArticleIndex | None = None) -> list[tuple[str, int, int]]:
    """Every (type, head, tail) the scorer considers: same-sentence pairs the schema allows, and every rule pair."""
    table = allowed_types()
    found: dict[tuple[str, int, int], None] = {}
    mentions = article.mentions
    index = index or ArticleIndex(article)
    for start, end in article.sentences:
        inside = index.within(start, end)
        for a, first in enumerate(inside):
            for b in range(a + 1, min(len(inside), a + max_between + 2)):
                second = inside[b]
                for head, tail in ((first, second), (second, first)):
                    for rel_type in table.get((mentions[head].label, mentions[tail].label), ()):
                        found[(rel_type, head, tail)] = None
    for key in rules.pairs:
        found[key] = None
    return list(found)


def pair_features(article: ArticleState, rel_type: str, head: int, tail: int, rules: RuleIndex,
                  index: ArticleIndex | None = None) -> list[str]:
    """The sparse binary features of one candidate, each conjoined with the type and shared (see the module doc).

    Examples
    --------
    >>> from kg.nlp.context import DocContext
    >>> from kg.nlp.gazetteer import load_gazetteer
    >>> text = "赣川科技有限公司投资建设赣川电池项目。"
    >>> article = ArticleState(DocContext(load_gazetteer(), None), None, 0, text, [], [], [(0, len(text))])
    >>> article.mentions = [Candidate("Enterprise", 0, 8, "legal_name", 5), Candidate("Project", 12, 18, "project", 5)]
    >>> features = pair_features(article, "OPERATES", 0, 1, RuleIndex.of([]))
    >>> "OPERATES|cue_between=投资" in features, "*|order=head_first" in features
    (True, True)
    """
    text = article.text
    mentions = article.mentions
    index = index or ArticleIndex(article)
    h, t = mentions[head], mentions[tail]
    local: list[str] = [
        "bias",
        f"labels={h.label}>{t.label}",
        f"genre={article.context.genre}",
        f"head_source={h.source}",
        f"tail_source={t.source}",
    ]
    if h.attrs.get("kind"):
        local.append(f"head_kind={h.attrs['kind']}")
    if t.attrs.get("kind"):
        local.append(f"tail_kind={t.attrs['kind']}")
    for name, mention in (("head", h), ("tail", t)):
        if mention.attrs.get("inner"):
            local.append(f"{name}_inner")
        if mention.attrs.get("synthetic"):
            local.append(f"{name}_synthetic")
        if is_subject(article, mention):
            local.append(f"{name}_subject")
        if mention.source == "self_reference":
            local.append(f"{name}_self_reference")
        for key in ("list_modifiers",):
            if mention.attrs.get(key):
                for cue in _CUE_PATTERN.findall(str(mention.attrs[key])):
                    local.append(f"{name}_list_cue={cue}")
    rule = rules.pairs.get((rel_type, head, tail))
    if rule is not None:
        local += ["rule", f"rule_component={rule.component}"]
        if rule.props.get("basis"):
            local.append(f"rule_basis={rule.props['basis']}")
    if (rel_type, tail, head) in rules.pairs:
        local.append("rule_reversed")
    if rules.tails_of.get((rel_type, head), set()) - {tail}:
        local.append("head_has_other_rule")
    if rules.heads_of.get((rel_type, tail), set()) - {head}:
        local.append("tail_has_other_rule")
    for name, mention in (("head", h), ("tail", t)):
        surface = text[mention.start : mention.end]
        local += [f"{name}_last={surface[-1:]}", f"{name}_last2={surface[-2:]}"]  # suffixes (市, 项目, 工程) generalise
        if surface[:1] in _SCOPE_FIRST:
            local.append(f"{name}_first={surface[:1]}")  # first characters only when closed-class (全国, 省…), never names
        hits = [hit for hit in index.places_within(mention.start, mention.end) if (hit.start, hit.end) != (mention.start, mention.end)]
        if hits:
            local.append(f"{name}_names_place")
            if any(hit.start == mention.start for hit in hits):
                local.append(f"{name}_opens_with_place")
            if any(hit.code and hit.code != article.context.subject for hit in hits):
                local.append(f"{name}_names_other_place")
        inner = [mentions[i] for i in index.within(mention.start, mention.end) if mentions[i] is not mention and mentions[i].label == "Place"]
        if inner:
            local.append(f"{name}_has_inner_place")
            if any(m.attrs.get("admin_code") and m.attrs.get("admin_code") != article.context.subject for m in inner):
                local.append(f"{name}_has_inner_other_admin_place")
    sentence = index.sentence_of(h.start)
    same_sentence = sentence[0] <= t.start < sentence[1]
    local += _context_features(article, head, tail, index)
    if not same_sentence:
        local.append("other_sentence")
        distance = abs(t.start - h.start)
        local.append(f"far={_bucket(distance, (100, 400, 1500))}")
    if h.overlaps(t):
        local.append("nested_tail_in_head" if t.within(h.start, h.end) else "nested_head_in_tail" if h.within(t.start, t.end) else "overlap")
        if t.within(h.start, h.end):
            local.append(f"nested_at={'start' if t.start == h.start else 'end' if t.end == h.end else 'middle'}")
        return _conjoin(rel_type, local)
    first, second = (h, t) if h.start < t.start else (t, h)
    local.append("order=head_first" if first is h else "order=tail_first")
    gap_start, gap_end = first.end, second.start
    local.append(f"distance={_bucket(gap_end - gap_start, (0, 1, 2, 4, 8, 16, 32, 64))}")
    between = index.within(gap_start, gap_end)
    local.append(f"between={_bucket(len(between), (0, 1, 2, 4, 8))}")
    for label in sorted({mentions[i].label for i in between}):
        local.append(f"between_label={label}")
    if gap_end - gap_start > _LONG_GAP:
        # a pair far apart (a rule's subject, another sentence): its two ends' surroundings, not all that lies between
        gap_start, gap_end = gap_end - _LONG_GAP, gap_end
        between = [i for i in between if mentions[i].start >= gap_start]
        local.append("long_gap")
    gap = text[gap_start:gap_end]
    pattern = _gap_pattern(gap, gap_start, [mentions[i] for i in between])
    if len(pattern) <= 8:
        local.append(f"gap={pattern}")
    else:
        local += [f"gap_opens={pattern[:2]}", f"gap_closes={pattern[-2:]}"]
    for a, b in zip(pattern, pattern[1:]):
        if len(pattern) <= 12:
            local.append(f"gap_bigram={a}{b}")
    if pattern and "、" in pattern and _LIST_GAP.fullmatch(pattern):
        local.append("same_list")
    for mark in sorted({c for c in gap if c in _PUNCTUATION}):
        local.append(f"punct={mark}")
    if same_sentence and not _CLAUSE_BREAK.search(gap):
        local.append("same_clause")
    for cue in sorted(set(_CUE_PATTERN.findall(gap))):
        local.append(f"cue_between={cue}")
    sentence_start, sentence_end = sentence if same_sentence else (first.start, second.end)
    left = text[max(sentence_start, first.start - _WINDOW) : first.start]
    right = text[second.end : min(sentence_end, second.end + _WINDOW)]
    for cue in sorted(set(_CUE_PATTERN.findall(left))):
        local.append(f"cue_left={cue}")
    for cue in sorted(set(_CUE_PATTERN.findall(right))):
        local.append(f"cue_right={cue}")
    if right[:1] in ("、", "和", "及", "与"):
        local.append("second_listed_on")
    if left[-1:] in ("、", "和", "及", "与"):
        local.append("first_listed_after")
    # nearest: no mention of the other end's label between them
    if not any(mentions[i].label == t.label for i in between):
        local.append("tail_nearest")
    if not any(mentions[i].label == h.label for i in between):
        local.append("head_nearest")
    return _conjoin(rel_type, local)


#: Characters of a long gap the features read (the ones before the later end), so a pair's cost is bounded.
_LONG_GAP = 64


def _clause(article: ArticleState, position: int, index: ArticleIndex) -> tuple[int, int]:
    """The clause (between ，；： of its sentence) around ``position``."""
    start, end = index.sentence_of(position)
    text = article.text
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, start, position)), default=start)
    right = _CLAUSE_BREAK.search(text, position, end)
    return left, right.start() if right else end


def _context_features(article: ArticleState, head: int, tail: int, lookup: ArticleIndex) -> list[str]:
    """How each end sits in its sentence and clause: openers, lists, rivals of the other end's label."""
    mentions = article.mentions
    out: list[str] = []
    for name, index, other in (("head", head, tail), ("tail", tail, head)):
        mention = mentions[index]
        own_sentence = lookup.sentence_of(mention.start)
        inside = [i for i in lookup.within(*own_sentence) if not mentions[i].attrs.get("inner")]
        same_label = [i for i in inside if mentions[i].label == mention.label]
        out.append(f"{name}_label_in_sentence={_bucket(len(same_label), (1, 2, 4))}")
        if inside and min(inside, key=lambda i: mentions[i].start) == index:
            out.append(f"{name}_opens_sentence")
        text = article.text
        before, after = text[max(0, mention.start - 1) : mention.start], text[mention.end : mention.end + 1]
        if before == "、" or after == "、":
            out.append(f"{name}_in_list")
        sentence_rivals = [i for i in inside if i not in (index, other) and mentions[i].label == mentions[other].label]
        if sentence_rivals:
            out.append(f"{name}_sentence_has_other_{'tail' if name == 'head' else 'head'}_label")
        clause = _clause(article, mention.start, lookup)
        rivals = [i for i in lookup.within(*clause) if i not in (index, other) and mentions[i].label == mentions[other].label]
        if rivals:
            out.append(f"{name}_clause_has_other_{'tail' if name == 'head' else 'head'}_label")
        if clause[0] <= mentions[other].start < clause[1]:
            out.append("same_clause_any")
    return out


def _gap_pattern(gap: str, offset: int, between: Sequence[Candidate]) -> str:
    """The text between two mentions with every mention between replaced by ``M``."""
    out, position = [], 0
    for mention in sorted(between, key=lambda m: (m.start, -m.end)):  # a container before the names inside it
        local_start = mention.start - offset
        if local_start < position:
            continue
        out.append(gap[position:local_start])
        out.append("M")
        position = mention.end - offset
    out.append(gap[position:])
    return "".join(out)


def _conjoin(rel_type: str, local: list[str]) -> list[str]:
    return [f"{rel_type}|{f}" for f in local] + [f"*|{f}" for f in local if f != "bias"]


class RelationModel:
    """A logistic model over sparse binary features: ``p = sigmoid(sum of the weights of the features present)``."""

    def __init__(self, vocabulary: dict[str, int], weights: Sequence[float], meta: dict[str, Any]) -> None:
        self.vocabulary = vocabulary
        self.weights = np.asarray(weights, dtype=np.float64)
        self.meta = meta

    def probabilities(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """The probability that each feature row is a true relation."""
        scores = np.empty(len(rows))
        for number, row in enumerate(rows):
            indices = [self.vocabulary[f] for f in row if f in self.vocabulary]
            scores[number] = self.weights[indices].sum() if indices else 0.0
        return 1.0 / (1.0 + np.exp(-scores))

    def to_disk(self, folder: Path) -> None:
        """Write ``weights.json`` (feature -> weight, zero weights left out) and ``meta.json``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        weights = {f: round(float(self.weights[i]), 5) for f, i in sorted(self.vocabulary.items()) if abs(self.weights[i]) >= 1e-5}
        (folder / WEIGHTS_FILE).write_text(json.dumps(weights, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        (folder / META_FILE).write_text(json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_disk(cls, folder: Path) -> RelationModel:
        """Read a folder written by :meth:`to_disk`."""
        folder = Path(folder)
        weights = json.loads((folder / WEIGHTS_FILE).read_text(encoding="utf-8"))
        meta_path = folder / META_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        vocabulary = {f: i for i, f in enumerate(weights)}
        return cls(vocabulary, list(weights.values()), meta)
