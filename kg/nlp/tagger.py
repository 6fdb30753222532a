"""A character-level CRF entity tagger for the six SPEC types.

Why a CRF: on a few dozen annotated pages a linear-chain CRF over sparse
features learns quickly, trains in seconds, tags at hundreds of thousands of
characters per second and can lean on everything the rule system already
knows: gazetteer hits, closed-class name suffixes and the rules' own spans
(*hints*), each turned into per-character B/I/E features. The model decides
the spans; the rules only suggest them.

The folder written by :meth:`EntityTagger.to_disk` holds ``model.crfsuite``
(python-crfsuite), ``clusters.tsv`` (character -> cluster ids from vectors
trained on unlabelled text, optional) and ``meta.json`` (labels, feature
switches, content hash). Loading needs nothing else and no network.

This module must not import :mod:`kg.extract` or :mod:`kg.resolve`: the
extraction pipeline wraps it, not the other way round.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import pycrfsuite

from kg.nlp import lexicon
from kg.nlp.gazetteer import load_gazetteer

LABELS: tuple[str, ...] = ("Place", "Enterprise", "Person", "Chain", "Project", "Organization")
MODEL_FILE = "model.crfsuite"
CLUSTER_FILE = "clusters.tsv"
META_FILE = "meta.json"
MAX_CHUNK = 200
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]")

# Closed-class cues that end (or open) a name, by the type they suggest.
_PROJECT_SUFFIXES = (
    "项目", "工程", "基地", "工厂", "车间", "中心", "产业园", "小镇", "高铁", "高速", "高速公路", "铁路", "公路",
    "机场", "港口", "码头", "水库", "电站", "水电站", "电厂", "电网", "管道", "一期", "二期", "三期", "扩建",
    "生产线", "产线", "大桥", "隧道", "枢纽", "城际", "轨道交通", "地铁",
)
_CHAIN_SUFFIXES = ("产业链", "产业集群", "产业", "集群", "经济", "赛道", "行业", "领域", "服务业", "制造业")
_PLACE_SUFFIXES = (
    "省", "市", "县", "区", "镇", "乡", "村", "街道", "社区", "自治区", "自治州", "自治县", "城市群", "都市圈",
    "城市圈", "经济带", "经济区", "走廊", "先行区", "试验区", "示范区", "湾区",
)
# Words that join the items of a list: a name does not run across them (生物医药和现代物流 is two chains).
_CONJUNCTIONS = ("和", "与", "及", "以及", "或", "、", "等", "并", "同")
_SUBJECT_WORDS = ("我省", "全省", "本省", "我市", "全市", "本市", "自治区", "全区", "我区", "全县", "我县")


def _cue_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = {}

    def add(words: Iterable[str], cue: str) -> None:
        for word in words:
            table.setdefault(word, set()).add(cue)

    add(lexicon.ENTERPRISE_SUFFIXES, "ent")
    add(lexicon.ORGANIZATION_SUFFIXES, "org")
    add(lexicon.DEPARTMENT_WORDS, "dept")
    add(lexicon.ZONE_SUFFIXES, "zone")
    add(lexicon.TRADE_WORDS, "trade")
    add(lexicon.TITLES, "title")
    add((w for w in lexicon.AFTER_NAME if len(w) >= 2), "after")
    add((w for w in lexicon.LEFT_STOP_TOKENS if len(w) >= 2), "stop")
    add(_PROJECT_SUFFIXES, "proj")
    add(_CHAIN_SUFFIXES, "chain")
    add(_PLACE_SUFFIXES, "place")
    add(_SUBJECT_WORDS, "subj")
    add(_CONJUNCTIONS, "conj")
    return {word: tuple(sorted(cues)) for word, cues in table.items()}


@dataclass(frozen=True, slots=True)
class Hint:
    """A rule-proposed span: character offsets into the text and one of :data:`LABELS`.

    Examples
    --------
    >>> Hint(0, 3, "Place")
    Hint(start=0, end=3, label='Place')
    """

    start: int
    end: int
    label: str


DEFAULT_FEATURES: dict[str, bool] = {
    "window": True,      # characters at -1 and +1
    "window2": True,     # characters at -2 and +2
    "bigrams": True,     # the bigrams ending and starting at the character
    "bigrams2": True,    # the bigrams before and after those
    "classes": True,     # digit / numeral / latin / CJK / punctuation of the character and its neighbours
    "clusters": True,    # char-vector cluster ids (needs clusters.tsv)
    "jieba": True,       # jieba word position (B/M/E/S), no HMM
    "pos": True,         # jieba POS of the word (posseg, no HMM); implies the jieba pass
    "gazetteer": True,   # administrative places (with level), listed companies, industries
    "cues": True,        # closed-class suffix and boundary words
    "hints": True,       # rule-proposed spans
}


@lru_cache(maxsize=65536)
def _char_class(ch: str) -> str:
    if ch.isdigit() or ch in "０１２３４５６７８９":
        return "d"
    if ch in "一二三四五六七八九十百千万亿两零〇":
        return "n"
    if ch.isascii() and ch.isalpha():
        return "l"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "h"
    if ch.isspace():
        return "s"
    if ch in lexicon.PUNCTUATION or not ch.isalnum():
        return "p"
    return "o"


def _bie(start: int, end: int) -> Iterable[tuple[int, str]]:
    """Positions of a span with their B/I/E (S for one character) mark."""
    if end - start == 1:
        yield start, "S"
        return
    yield start, "B"
    for i in range(start + 1, end - 1):
        yield i, "I"
    yield end - 1, "E"


@lru_cache(maxsize=1)
def _automata() -> dict[str, tuple[ahocorasick.Automaton, dict[str, tuple[str, ...]]]]:
    """Per source: an automaton over surfaces whose values are the tags a hit gives."""
    gazetteer = load_gazetteer()
    out: dict[str, tuple[ahocorasick.Automaton, dict[str, tuple[str, ...]]]] = {}

    def compile_(source: str, tags_by_surface: dict[str, tuple[str, ...]], min_length: int = 2) -> None:
        automaton = ahocorasick.Automaton()
        for surface, tags in tags_by_surface.items():
            if len(surface) >= min_length:
                # [length, tags, feature strings per position (filled on the first hit)]
                automaton.add_word(surface, [len(surface), tags, None])
        automaton.make_automaton()
        out[source] = (automaton, tags_by_surface)

    places: dict[str, set[str]] = {}
    for _surface, payloads in gazetteer.place_names.items():
        surface, entries = _surface, payloads[1]
        for form, code in entries:
            place = gazetteer.places.get(code)
            level = place.level if place else "other"
            places.setdefault(surface, set()).add(f"{level}{'' if form == 'full' else '~'}")
    compile_("gp", {s: tuple(sorted(t)) for s, t in places.items()})
    companies: dict[str, tuple[str, ...]] = {}
    for _surface, payloads in gazetteer.company_names.items():
        companies[payloads[0]] = tuple(sorted({form for form, _index in payloads[1]}))
    compile_("gc", companies)
    compile_("gi", {surface: ("",) for surface, _payloads in gazetteer.industry_names.items()})
    compile_("cue", _cue_table(), min_length=1)  # 局 厅 省 县 end names too
    return out


def text_chunks(text: str, max_chunk: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, long ones cut after a comma; whitespace-only spans dropped."""
    chunks: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.end() if match else len(text)
        while end - start > max_chunk:
            clauses = [m.end() for m in _CLAUSE_END.finditer(text, start + max_chunk // 4, start + max_chunk)]
            cut = clauses[-1] if clauses else start + max_chunk
            chunks.append((start, cut))
            start = cut
        if end > start and text[start:end].strip():
            chunks.append((start, end))
        start = end
    return chunks


@dataclass(slots=True)
class FeatureExtractor:
    """Turns a text (and hints) into one list of feature strings per character.

    Everything is computed per text in a few passes (a column per feature
    template, then one ``zip``), because building Python strings is what
    costs; the CRF itself is fast.
    """

    switches: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_FEATURES))
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __call__(self, text: str, hints: Sequence[Hint] = ()) -> list[list[str]]:
        """Features for every character of ``text``.

        Examples
        --------
        >>> feats = FeatureExtractor(clusters={})("在青川县建设", [Hint(1, 4, "Place")])
        >>> len(feats), "c=青" in feats[1], "h=B-Place" in feats[1]
        (6, True, True)
        """
        n = len(text)
        on = self.switches
        pad = "\x02\x02" + text + "\x03\x03"
        columns: list[Sequence[str]] = [["c=" + ch for ch in text]]
        if on.get("window", True):
            columns.append(["c-1=" + ch for ch in pad[1:n + 1]])
            columns.append(["c+1=" + ch for ch in pad[3:n + 3]])
        if on.get("window2", True):
            columns.append(["c-2=" + ch for ch in pad[0:n]])
            columns.append(["c+2=" + ch for ch in pad[4:n + 4]])
        if on.get("bigrams", True):
            columns.append(["b-=" + a + b for a, b in zip(pad[1:n + 1], text)])
            columns.append(["b+=" + a + b for a, b in zip(text, pad[3:n + 3])])
        if on.get("bigrams2", True):
            columns.append(["b--=" + a + b for a, b in zip(pad[0:n], pad[1:n + 1])])
            columns.append(["b++=" + a + b for a, b in zip(pad[3:n + 3], pad[4:n + 4])])
        if on.get("classes", True):
            classes = "".join(map(_char_class, text))
            cpad = "^" + classes + "$"
            columns.append(["t=" + a + b + c for a, b, c in zip(cpad, classes, cpad[2:])])
        if on.get("clusters", True) and self.clusters:
            missing = ("",) * len(next(iter(self.clusters.values())))
            ids = [self.clusters.get(ch, missing) for ch in text]
            for level in range(len(missing)):
                prefix = f"k{level}="
                columns.append([prefix + row[level] for row in ids])
            first = [row[0] for row in ids]
            columns.append(["k0-1=" + k for k in ["", *first[:-1]]])
            columns.append(["k0+1=" + k for k in [*first[1:], ""]])
        if on.get("pos", True):
            columns.extend(_word_columns(text, pos=True))
        elif on.get("jieba", True):
            columns.extend(_word_columns(text, pos=False))
        rows = list(map(list, zip(*columns)))
        use_gazetteer, use_cues = on.get("gazetteer", True), on.get("cues", True)
        if use_gazetteer or use_cues:
            for source, (automaton, _table) in _automata().items():
                is_cue = source == "cue"
                if (is_cue and not use_cues) or (not is_cue and not use_gazetteer):
                    continue
                for end_index, slot in automaton.iter(text):
                    length, tags, feats = slot
                    if feats is None:
                        feats = slot[2] = _hit_features(source, length, tags)
                    start = end_index - length + 1
                    for offset, strings in enumerate(feats[0]):
                        rows[start + offset].extend(strings)
                    if is_cue:
                        # the characters just outside a cue word: a name may end (or start) there
                        if start > 0:
                            rows[start - 1].extend(feats[1])
                        if end_index + 1 < n:
                            rows[end_index + 1].extend(feats[2])
        if on.get("hints", True) and hints:
            for hint in hints:
                start, end = max(0, hint.start), min(n, hint.end)
                if start >= end:
                    continue
                label = hint.label
                for pos, mark in _bie(start, end):
                    rows[pos].append(f"h={mark}-{label}")
                    rows[pos].append("h=" + mark)
                if start > 0:
                    rows[start - 1].append("h>" + label)
                if end < n:
                    rows[end].append("h<" + label)
        return rows


def _hit_features(source: str, length: int, tags: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...], tuple[str, ...]]:
    """The feature strings one dictionary hit adds: per position inside it, before it and after it."""
    marks = ("S",) if length == 1 else ("B", *["I"] * (length - 2), "E")
    inside = tuple(tuple(f"{source}={mark}-{tag}" for tag in tags) for mark in marks)
    return inside, tuple("cue>" + tag for tag in tags), tuple("cue<" + tag for tag in tags)


_MARKS: tuple[tuple[str, ...], ...] = tuple(
    ("S",) if n == 1 else ("B", *["I"] * (n - 2), "E") if n else () for n in range(40)
)
_WORD_POSITIONS: tuple[tuple[str, ...], ...] = tuple(
    ("w=S",) if n == 1 else ("w=B", *["w=M"] * (n - 2), "w=E") if n else () for n in range(64)
)


def _word_positions(length: int) -> tuple[str, ...]:
    return _WORD_POSITIONS[length] if length < len(_WORD_POSITIONS) else ("w=B", *["w=M"] * (length - 2), "w=E")


@lru_cache(maxsize=4096)
def _pos_marks(flag: str, length: int) -> tuple[str, ...]:
    if length == 1:
        return ("p=S-" + flag,)
    return ("p=B-" + flag, *["p=M-" + flag] * (length - 2), "p=E-" + flag)


def _word_columns(text: str, pos: bool) -> list[list[str]]:
    """jieba word-position column (and POS column): built word by word from cached tuples, not char by char."""
    positions: list[str] = []
    if not pos:
        for word in _cut(text):
            positions.extend(_word_positions(len(word)))
        return [positions]
    flags: list[str] = []
    for pair in _posseg(text):
        length = len(pair.word)
        positions.extend(_word_positions(length))
        flags.extend(_pos_marks(pair.flag, length))
    return [positions, flags]


def _cut(text: str) -> Iterable[str]:
    import jieba

    jieba.setLogLevel(60)
    return jieba.cut(text, HMM=False)


def _posseg(text: str) -> Iterable[Any]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg.cut(text, HMM=False)


def spans_from_tags(tags: Sequence[str], offset: int = 0) -> list[tuple[int, int, str]]:
    """BIO tags to ``(start, end, label)`` spans; an I- that does not continue a span opens one.

    Examples
    --------
    >>> spans_from_tags(["O", "B-Place", "I-Place", "I-Chain", "O"])
    [(1, 3, 'Place'), (3, 4, 'Chain')]
    """
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or tag[2:] != label:
            if label:
                spans.append((offset + start, offset + i, label))
            start, label = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans


def tags_from_spans(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags for ``n`` characters from non-overlapping spans.

    Examples
    --------
    >>> tags_from_spans(4, [(1, 3, "Chain")])
    ['O', 'B-Chain', 'I-Chain', 'O']
    """
    tags = ["O"] * n
    for start, end, label in spans:
        tags[start] = "B-" + label
        for i in range(start + 1, end):
            tags[i] = "I-" + label
    return tags


def read_clusters(path: Path) -> dict[str, tuple[str, ...]]:
    """The char -> cluster-id table (``char<TAB>id<TAB>id…``), empty if the file is absent."""
    table: dict[str, tuple[str, ...]] = {}
    if not path.is_file():
        return table
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        char = parts[0].replace("\\t", "\t").replace("\\n", "\n").replace("\\s", " ")
        table[char] = tuple(parts[1:])
    return table


def write_clusters(path: Path, table: dict[str, tuple[str, ...]]) -> None:
    """Write the table read by :func:`read_clusters` (tabs, newlines and spaces escaped)."""
    lines = ["# char\tcluster ids, coarse to fine"]
    for char, ids in sorted(table.items()):
        escaped = char.replace("\t", "\\t").replace("\n", "\\n").replace(" ", "\\s")
        lines.append("\t".join([escaped, *ids]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def folder_hash(path: Path) -> str:
    """sha256 over the model file and the cluster table: what the pipeline version should include."""
    digest = hashlib.sha256()
    for name in (MODEL_FILE, CLUSTER_FILE):
        file = path / name
        if file.is_file():
            digest.update(name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


class EntityTagger:
    """The trained tagger: a CRF model plus the feature extractor it was trained with.

    Examples
    --------
    >>> from kg.resources import resource_dir
    >>> tagger = EntityTagger.from_disk(resource_dir("models") / "entity_crf")
    >>> text = "织金县人民政府与贵州晴岚新材料有限公司签约"
    >>> spans = tagger.predict(text, [Hint(0, 3, "Place")])
    >>> all(0 <= s < e <= len(text) and label in LABELS for s, e, label in spans)
    True
    """

    def __init__(self, model_bytes: bytes, meta: dict[str, Any], clusters: dict[str, tuple[str, ...]]) -> None:
        self.meta = meta
        self.clusters = clusters
        self.extractor = FeatureExtractor(dict(DEFAULT_FEATURES, **meta.get("features", {})), clusters)
        self._model_bytes = model_bytes
        self._tagger = pycrfsuite.Tagger()
        # from memory: the folder may change (a retrain) while this process runs, and no temp file is left
        self._tagger.open_inmemory(model_bytes)

    def __getstate__(self) -> dict[str, Any]:
        """Picklable (for worker processes): the model bytes, meta and cluster table."""
        return {"model_bytes": self._model_bytes, "meta": self.meta, "clusters": self.clusters}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["model_bytes"], state["meta"], state["clusters"])  # type: ignore[misc]

    @classmethod
    def from_disk(cls, path: Path) -> EntityTagger:
        """Load a model folder written by :meth:`to_disk` (or by ``kg train``)."""
        path = Path(path)
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        return cls((path / MODEL_FILE).read_bytes(), meta, read_clusters(path / CLUSTER_FILE))

    def to_disk(self, path: Path) -> None:
        """Write ``model.crfsuite``, ``clusters.tsv`` and ``meta.json`` (with the content hash) into ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / MODEL_FILE).write_bytes(self._model_bytes)
        if self.clusters:
            write_clusters(path / CLUSTER_FILE, self.clusters)
        elif (path / CLUSTER_FILE).exists():
            (path / CLUSTER_FILE).unlink()
        meta = dict(self.meta, content_hash=folder_hash(path))
        (path / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @property
    def content_hash(self) -> str:
        """A hash of the model bytes and the cluster table."""
        digest = hashlib.sha256()
        digest.update(MODEL_FILE.encode())
        digest.update(self._model_bytes)
        return digest.hexdigest()

    def predict(self, text: str, hints: Sequence[Hint] = ()) -> list[tuple[int, int, str]]:
        """Entity spans ``(start, end, label)`` of ``text``: non-overlapping, sorted, offsets into ``text``.

        The text is featurised once, then tagged sentence by sentence (the
        model was trained on sentences).
        """
        if not text:
            return []
        features = self.extractor(text, hints)
        spans: list[tuple[int, int, str]] = []
        tag = self._tagger.tag
        for start, end in text_chunks(text):
            spans.extend(spans_from_tags(tag(features[start:end]), start))
        return spans

    def predict_many(self, texts_and_hints: Iterable[tuple[str, Sequence[Hint]] | str]) -> list[list[tuple[int, int, str]]]:
        """:meth:`predict` over ``(text, hints)`` pairs (or bare texts)."""
        out = []
        for item in texts_and_hints:
            text, hints = (item, ()) if isinstance(item, str) else item
            out.append(self.predict(text, hints))
        return out
