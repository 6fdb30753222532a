"""Training examples: SPEC v2 gold projected onto its text, CLUENER 2020 and People's Daily.

A SPEC v2 gold file lists entities, not mentions: each entity's name and
aliases are found again in the text (every occurrence, longest first, never
overlapping, never a single character) and become character spans. Optional
entities are kept apart so that a scorer can ignore them, and so can training
(``optional="outside"`` tags them O, ``"positive"`` tags them with their type).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.nlp.tagger import LABELS, Hint

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One projected mention: offsets, type, whether optional, and equally right other types."""

    start: int
    end: int
    label: str
    optional: bool = False
    alt_labels: frozenset[str] = frozenset()
    kind: str = ""  # the source corpus's own type (CLUENER company/name/...), for its per-type scores


@dataclass(slots=True)
class Example:
    """One training or evaluation text: a whole document or a corpus sentence."""

    doc: str
    text: str
    spans: list[GoldSpan]
    source: str
    hints: list[Hint] = field(default_factory=list)


def project_entities(text: str, entities: Sequence[dict]) -> list[GoldSpan]:
    """Every occurrence of every entity's name and aliases, longest first, non-overlapping.

    Examples
    --------
    >>> ents = [{"type": "Place", "name": "青川县", "aliases": ["青川", "县"]},
    ...         {"type": "Enterprise", "name": "青川晴岚科技有限公司", "aliases": []}]
    >>> [(s.start, s.end, s.label) for s in project_entities("青川晴岚科技有限公司落户青川", ents)]
    [(0, 10, 'Enterprise'), (12, 14, 'Place')]
    """
    surfaces: dict[str, tuple[str, bool, set[str]]] = {}
    for entity in entities:
        label = entity.get("type", "")
        if label not in LABELS:
            continue
        optional = bool(entity.get("optional"))
        alts = {t for t in entity.get("alt_types", []) or [] if t in LABELS}
        for surface in [entity.get("name", ""), *(entity.get("aliases") or [])]:
            surface = (surface or "").strip()
            if len(surface) < 2:
                continue
            known = surfaces.get(surface)
            if known is None or (known[1] and not optional):
                surfaces[surface] = (label, optional, set(alts))
            elif known[0] != label:
                known[2].add(label)
    candidates: list[tuple[int, int, str]] = []
    for surface in surfaces:
        start = text.find(surface)
        while start >= 0:
            candidates.append((start, start + len(surface), surface))
            start = text.find(surface, start + 1)
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = bytearray(len(text))
    spans: list[GoldSpan] = []
    for start, end, surface in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        label, optional, alts = surfaces[surface]
        spans.append(GoldSpan(start, end, label, optional, frozenset(alts - {label})))
    spans.sort(key=lambda s: s.start)
    return spans


def find_text(stem: str, dirs: Sequence[Path]) -> Path | None:
    """The text file of a gold stem in the first of ``dirs`` that has it."""
    for folder in dirs:
        for suffix in TEXT_SUFFIXES:
            candidate = folder / f"{stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def gold_files(gold_dirs: Sequence[Path], exclude: Iterable[str] = (), include: Iterable[str] | None = None) -> list[Path]:
    """``*.gold.json`` under ``gold_dirs`` (not recursive), minus ``exclude`` stems, sorted by stem."""
    excluded = set(exclude)
    wanted = set(include) if include is not None else None
    found: dict[str, Path] = {}
    for folder in gold_dirs:
        for path in sorted(Path(folder).glob("*.gold.json")):
            stem = path.name[: -len(".gold.json")]
            if stem in excluded or (wanted is not None and stem not in wanted):
                continue
            found.setdefault(stem, path)
    return [found[stem] for stem in sorted(found)]


def load_gold(gold_paths: Sequence[Path], text_dirs: Sequence[Path]) -> list[Example]:
    """One :class:`Example` per gold file whose text is found (next to the gold or in ``text_dirs``)."""
    examples = []
    for path in gold_paths:
        gold = json.loads(path.read_text(encoding="utf-8"))
        stem = path.name[: -len(".gold.json")]
        file_name = gold.get("file") or f"{stem}.txt"
        text_path = path.parent / file_name
        if not text_path.is_file():
            text_path = find_text(Path(file_name).stem, [path.parent, *text_dirs]) or text_path
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        examples.append(Example(text_path.name, text, project_entities(text, gold.get("entities", [])), "gold"))
    return examples


# --- CLUENER 2020 ----------------------------------------------------------------

CLUENER_LABELS = {"company": "Enterprise", "name": "Person", "government": "Organization", "organization": "Organization",
                  "address": "Place"}
_ADMIN_ENDINGS = ("省", "市", "县", "区", "镇", "乡", "村", "州", "盟", "旗", "街道", "自治区", "开发区", "新区", "园区")


def _address_is_place(surface: str, place_names: set[str]) -> bool:
    """A CLUENER address that SPEC would call a Place: an administrative unit or zone, not a street address."""
    return surface in place_names or (surface.endswith(_ADMIN_ENDINGS) and len(surface) <= 8)


def load_cluener(path: Path, address: str = "admin", mapping: dict[str, str] | None = None) -> list[Example]:
    """CLUENER 2020 sentences with mapped labels; ``address`` is ``all``, ``admin`` or ``none`` (then O).

    Unmapped CLUENER types (game, book, movie, position, scene) are tagged O.
    """
    from kg.nlp.gazetteer import load_gazetteer

    mapping = dict(CLUENER_LABELS if mapping is None else mapping)
    place_names = {surface for surface, _payload in load_gazetteer().place_names.items()} if address == "admin" else set()
    examples = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        spans = []
        for kind, by_surface in record.get("label", {}).items():
            label = mapping.get(kind)
            if label is None:
                continue
            for surface, offsets in by_surface.items():
                if kind == "address" and (address == "none" or (address == "admin" and not _address_is_place(surface, place_names))):
                    continue
                for start, last in offsets:
                    spans.append(GoldSpan(start, last + 1, label, kind=kind))
        examples.append(Example(f"cluener:{index}", text, _non_overlapping(spans), "cluener"))
    return examples


def cluener_types(example: Example) -> list[tuple[int, int, str]]:
    """The CLUENER type of each span (kept in ``kind`` by :func:`load_cluener`)."""
    return [(s.start, s.end, s.kind) for s in example.spans]


def split_heldout(examples: Sequence[Example], fraction: float = 0.2, seed: int = 20200101) -> tuple[list[Example], list[Example], str]:
    """A fixed random held-out part and its fingerprint (sha256 of the held-out ids, first 16 hex).

    Examples
    --------
    >>> exs = [Example(str(i), "文本", [], "x") for i in range(10)]
    >>> train, held, fingerprint = split_heldout(exs, 0.2, seed=1)
    >>> len(train), len(held), len(fingerprint)
    (8, 2, 16)
    """
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    cut = int(round(len(order) * fraction))
    held_ids = sorted(order[:cut])
    held = [examples[i] for i in held_ids]
    held_set = set(held_ids)
    train = [e for i, e in enumerate(examples) if i not in held_set]
    fingerprint = hashlib.sha256(",".join(e.doc for e in held).encode()).hexdigest()[:16]
    return train, held, fingerprint


# --- People's Daily 1998 --------------------------------------------------------

PEOPLES_DAILY_LABELS = {"PER": "Person", "LOC": "Place", "ORG": "Organization"}


def load_peoples_daily(path: Path) -> list[Example]:
    """``char TAG`` lines, blank line between sentences (BIO over PER/LOC/ORG)."""
    examples: list[Example] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            text = "".join(chars)
            spans = []
            start, kind = -1, ""
            for i, tag in enumerate([*tags, "O"]):
                if tag == "O" or tag.startswith("B-") or tag[2:] != kind:
                    if kind and kind in PEOPLES_DAILY_LABELS:
                        spans.append(GoldSpan(start, i, PEOPLES_DAILY_LABELS[kind]))
                    start, kind = (i, tag[2:]) if tag != "O" else (-1, "")
            examples.append(Example(f"pd:{len(examples)}", text, spans, "peoples_daily"))
        chars.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 2:
            flush()
            continue
        chars.append(parts[0])
        tags.append(parts[1])
    flush()
    return examples


def _non_overlapping(spans: list[GoldSpan]) -> list[GoldSpan]:
    spans = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
    taken: set[int] = set()
    kept = []
    for span in spans:
        if taken.isdisjoint(range(span.start, span.end)):
            taken.update(range(span.start, span.end))
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def sample(examples: Sequence[Example], fraction: float, seed: int) -> list[Example]:
    """A fixed random fraction (all when ``fraction >= 1``)."""
    if fraction >= 1:
        return list(examples)
    rng = random.Random(seed)
    return [e for e in examples if rng.random() < fraction]


def iter_texts(paths: Iterable[Path]) -> Iterator[str]:
    """Unlabelled text for vectors: text files (recursively) and JSON-lines files with a ``text`` field."""
    for path in paths:
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix in TEXT_SUFFIXES:
                yield file.read_text(encoding="utf-8", errors="replace")
            elif file.suffix in (".json", ".jsonl"):
                for line in file.read_text(encoding="utf-8", errors="replace").splitlines():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    if isinstance(record, dict) and isinstance(record.get("text"), str):
                        yield record["text"]
