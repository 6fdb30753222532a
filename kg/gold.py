"""Gold annotation files (``docs/SPEC.md``, version 2): a typed reader and the checks of ``kg validate``.

A gold file ``<stem>.gold.json`` annotates the document ``<stem>.txt``. ``read_gold_file``
turns it into a :class:`GoldFile` of :class:`GoldEntity` and :class:`GoldRelation`, with
SPEC v2's optional fields (``optional``, ``alt_types``, ``alt_heads``, ``alt_tails``), and
refuses, naming the file, what a scorer cannot read. ``check`` runs the annotator's checks
(the ones of ``validate.py`` next to the shared gold files): it reports errors (the file
breaks the format) and warnings (probably a slip), one line each, and never raises.

Examples
--------
>>> record = {"file": "a.txt", "entities": [
...     {"id": "e1", "type": "Place", "name": "青川县", "aliases": ["青川"]},
...     {"id": "e2", "type": "Place", "name": "某某产业园", "alt_types": ["Project"], "optional": True}],
...     "relations": [{"type": "LOCATED_IN", "head": "e2", "tail": "e1", "evidence": "青川县某某产业园"}]}
>>> gold = parse_gold(record, "a.gold.json")
>>> gold.stem, gold.entities[1].types, gold.entities[1].optional
('a', ('Place', 'Project'), True)
>>> gold.relations[0].heads, gold.relations[0].tails
(('e2',), ('e1',))
>>> check_record(record, "青川县某某产业园", "a")
([], [])
>>> errors, warnings = check_record({"file": "b.txt", "entities": [
...     {"id": "e1", "type": "Town", "name": "青川县", "aliases": ["青"]}]}, "青川县", "a")
>>> errors
['"file" should be "a.txt"', "e1: type 'Town' not one of ['Chain', 'Enterprise', 'Organization', 'Person', 'Place', 'Project']"]
>>> warnings
["e1 青川县: single-character alias '青'"]
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError

GOLD_SUFFIX = ".gold.json"
ENTITY_TYPES = ("Place", "Enterprise", "Person", "Chain", "Project", "Organization")
#: SPEC v2's relation types and the (head types, tail types) each may join.
ENDPOINTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "LOCATED_IN": (frozenset({"Enterprise", "Project", "Organization", "Place"}), frozenset({"Place"})),
    "HOLDS_POSITION": (frozenset({"Person"}), frozenset({"Organization", "Place", "Enterprise"})),
    "INSPECTED": (frozenset({"Person"}), frozenset({"Enterprise", "Project", "Place", "Organization"})),
    "DEVELOPS": (frozenset({"Place", "Organization"}), frozenset({"Chain"})),
    "CHAIN_MASTER_OF": (frozenset({"Enterprise"}), frozenset({"Chain"})),
    "LEADS_CHAIN": (frozenset({"Enterprise"}), frozenset({"Chain"})),
    "SUPPORTS": (frozenset({"Project", "Enterprise"}), frozenset({"Enterprise"})),
    "IN_CHAIN": (frozenset({"Project", "Enterprise"}), frozenset({"Chain"})),
    "OPERATES": (frozenset({"Enterprise"}), frozenset({"Project"})),
}
MAX_EVIDENCE = 60
_ELLIPSIS = re.compile(r"…+|\.\.\.+")


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One annotated entity; ``attrs`` keeps the type's other fields (kind, roles, titles …)."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    optional: bool = False
    alt_types: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def types(self) -> tuple[str, ...]:
        """The type and the equally defensible ones: a system node with any of these labels may match."""
        return (self.type, *self.alt_types)


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """One annotated relation between entity ids; ``attrs`` keeps title, date, tier, scale, inferred …"""

    type: str
    head: str
    tail: str
    evidence: str = ""
    optional: bool = False
    alt_heads: tuple[str, ...] = ()
    alt_tails: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def heads(self) -> tuple[str, ...]:
        """Entity ids that are right as the head."""
        return (self.head, *self.alt_heads)

    @property
    def tails(self) -> tuple[str, ...]:
        """Entity ids that are right as the tail."""
        return (self.tail, *self.alt_tails)


@dataclass(slots=True)
class GoldFile:
    """One gold file: the document stem it annotates, its entities and relations."""

    path: Path
    stem: str
    file: str | None
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    by_id: dict[str, GoldEntity] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entities}

    def entity(self, entity_id: str) -> GoldEntity:
        """The entity with this id (every relation end of a parsed file is one)."""
        return self.by_id[entity_id]


def stem_of(path: str | Path) -> str:
    """The document stem a gold file annotates: ``a/b.gold.json`` -> ``b``."""
    name = Path(path).name
    return name[: -len(GOLD_SUFFIX)] if name.endswith(GOLD_SUFFIX) else Path(name).stem


def squash(text: str) -> str:
    """NFKC without whitespace: how names and evidence are looked up in a text."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _structure(record: Any, ids_too: bool = True) -> list[str]:
    """What makes a record unreadable for a scorer, in order; without ``ids_too``, only the shape
    (not repeated ids and relation ends that are no entity id, which ``check_record`` words as validate.py does)."""
    if not isinstance(record, dict):
        return ["expected a JSON object"]
    entities, relations = record.get("entities", []), record.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        return ["'entities' and 'relations' must be lists"]
    problems, ids = [], set()
    for number, entity in enumerate(entities, 1):
        if not isinstance(entity, dict) or not all(isinstance(entity.get(key), str) for key in ("id", "type", "name")):
            problems.append(f"entity {number} needs a string id, type and name")
            continue
        if ids_too and (not entity["id"] or entity["id"] in ids):
            problems.append(f"entity id missing or repeated: {entity['id']}")
        for key in ("aliases", "alt_types"):
            if entity.get(key) is not None and not _strings(entity[key]):
                problems.append(f"entity {entity['id']}: {key} must be a list of strings")
        if entity.get("parent") is not None and not isinstance(entity["parent"], str):
            problems.append(f"entity {entity['id']}: parent must be a string")
        if not isinstance(entity.get("optional", False), bool):
            problems.append(f"entity {entity['id']}: optional must be true or false")
        ids.add(entity["id"])
    for number, relation in enumerate(relations, 1):
        if not isinstance(relation, dict) or not isinstance(relation.get("type"), str):
            problems.append(f"relation {number} needs a string type")
            continue
        where = f"relation {number} ({relation['type']})"
        for end in ("head", "tail") if ids_too else ():
            if relation.get(end) not in ids:
                problems.append(f"{where}: {end} {relation.get(end)!r} is not an entity id")
        for key in ("alt_heads", "alt_tails"):
            value = relation.get(key)
            if value is None:
                continue
            if not _strings(value):
                problems.append(f"{where}: {key} must be a list of entity ids")
            elif ids_too and (unknown := [x for x in value if x not in ids]):
                problems.append(f"{where}: {key} {unknown[0]!r} is not an entity id")
        if not isinstance(relation.get("optional", False), bool):
            problems.append(f"{where}: optional must be true or false")
    return problems


_ENTITY_FIELDS = {"id", "type", "name", "aliases", "parent", "optional", "alt_types"}
_RELATION_FIELDS = {"type", "head", "tail", "evidence", "optional", "alt_heads", "alt_tails"}


def parse_gold(record: Any, path: str | Path) -> GoldFile:
    """A :class:`GoldFile` from a decoded record; :class:`InputError` naming ``path`` if a scorer cannot read it.

    Hand-written files have slips: a relation to an id that is not there, a missing
    type, aliases written as one string (which would match every character).
    """
    if problems := _structure(record):
        raise InputError(f"{path}: {problems[0]}")
    entities = tuple(
        GoldEntity(
            id=e["id"], type=e["type"], name=e["name"], aliases=tuple(e.get("aliases") or ()), parent=e.get("parent"),
            optional=e.get("optional", False), alt_types=tuple(t for t in e.get("alt_types") or () if t != e["type"]),
            attrs={k: v for k, v in e.items() if k not in _ENTITY_FIELDS},
        )
        for e in record.get("entities", [])
    )
    relations = tuple(
        GoldRelation(
            type=r["type"], head=r["head"], tail=r["tail"], evidence=r.get("evidence") or "",
            optional=r.get("optional", False), alt_heads=tuple(r.get("alt_heads") or ()),
            alt_tails=tuple(r.get("alt_tails") or ()),
            attrs={k: v for k, v in r.items() if k not in _RELATION_FIELDS},
        )
        for r in record.get("relations", [])
    )
    file = record.get("file") if isinstance(record.get("file"), str) else None
    return GoldFile(Path(path), stem_of(path), file, entities, relations)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason})") from exc


def read_gold_file(path: str | Path) -> GoldFile:
    """Read and parse one ``*.gold.json`` file."""
    path = Path(path)
    return parse_gold(_load_json(path), path)


def gold_paths(gold_dir: str | Path) -> list[Path]:
    """The ``*.gold.json`` files of a folder, sorted; :class:`InputError` when there is none."""
    files = sorted(Path(gold_dir).glob(f"*{GOLD_SUFFIX}"))
    if not files:
        raise InputError(f"{gold_dir}: no *{GOLD_SUFFIX} files")
    return files


def read_gold_dir(gold_dir: str | Path) -> list[GoldFile]:
    """Every gold file of a folder, read and parsed."""
    return [read_gold_file(path) for path in gold_paths(gold_dir)]


def check_record(record: Any, text: str, stem: str) -> tuple[list[str], list[str]]:
    """Errors and warnings of one decoded gold record against the text of its document.

    Errors: the shape a scorer needs, ``file``, ids, types, relation types and their
    endpoint types, alternative ends, missing evidence. Warnings: single-character
    aliases, an entity none of whose forms is written in the text, evidence longer than
    60 characters or not found in the text (``…`` may join quoted parts), duplicate relations.
    """
    problems = _structure(record, ids_too=False)
    if not isinstance(record, dict) or not isinstance(record.get("entities", []), list) \
            or not isinstance(record.get("relations", []), list):
        return problems, []
    errors, warnings = list(problems), []
    text = squash(text)
    if record.get("file") != f"{stem}.txt":
        errors.insert(0, f'"file" should be "{stem}.txt"')
    entities: dict[str, dict[str, Any]] = {}
    for entity in record.get("entities", []):
        if not isinstance(entity, dict) or not all(isinstance(entity.get(key), str) for key in ("id", "type", "name")):
            continue  # reported by the structure check
        eid = entity["id"]
        if not eid or eid in entities:
            errors.append(f"entity id missing or repeated: {eid}")
            continue
        entities[eid] = entity
        if entity.get("type") not in ENTITY_TYPES:
            errors.append(f"{eid}: type {entity.get('type')!r} not one of {sorted(ENTITY_TYPES)}")
        alt_types = entity.get("alt_types") or []
        for alt in alt_types if _strings(alt_types) else ():
            if alt not in ENTITY_TYPES:
                errors.append(f"{eid}: alt_type {alt!r} unknown")
        name = entity["name"]
        if not name.strip():
            errors.append(f"{eid}: empty name")
        aliases = entity.get("aliases") or []
        aliases = aliases if _strings(aliases) else []
        for alias in aliases:
            if len(squash(alias)) <= 1:
                warnings.append(f"{eid} {name}: single-character alias {alias!r}")
        if not any(squash(form) and squash(form) in text for form in (name, *aliases)):
            warnings.append(f"{eid} {entity.get('type')} {name}: neither the name nor an alias is written in the text")
    seen = set()
    for number, relation in enumerate(record.get("relations", []), 1):
        if not isinstance(relation, dict):
            continue
        rel_type, head, tail = relation.get("type"), relation.get("head"), relation.get("tail")
        where = f"relation {number} {rel_type} {head}->{tail}"
        if rel_type not in ENDPOINTS:
            errors.append(f"{where}: unknown type")
            continue
        if head not in entities or tail not in entities:
            errors.append(f"{where}: head or tail is not an entity id")
            continue
        heads, tails = ENDPOINTS[rel_type]
        if entities[head]["type"] not in heads or entities[tail]["type"] not in tails:
            errors.append(f"{where}: {entities[head]['type']} -> {entities[tail]['type']} not allowed")
        for key in ("alt_heads", "alt_tails"):
            alternatives = relation.get(key) or []
            for alternative in alternatives if _strings(alternatives) else ():
                if alternative not in entities:
                    errors.append(f"{where}: {key} {alternative} is not an entity id")
        evidence = relation.get("evidence") or ""
        if not isinstance(evidence, str) or not evidence:
            errors.append(f"{where}: no evidence")
        else:
            if len(evidence) > MAX_EVIDENCE:
                warnings.append(f"{where}: evidence longer than {MAX_EVIDENCE} characters")
            parts = [part for part in _ELLIPSIS.split(evidence) if part.strip()]
            if not all(squash(part) in text for part in parts):
                warnings.append(f"{where}: evidence not found in the text: {evidence}")
        key = (rel_type, head, tail)
        if key in seen:
            warnings.append(f"{where}: duplicate relation")
        seen.add(key)
    return errors, warnings


@dataclass(slots=True)
class Report:
    """The outcome of checking one gold file."""

    path: Path
    entities: int
    relations: int
    errors: list[str]
    warnings: list[str]


def check(text_dir: str | Path, gold_path: str | Path) -> Report:
    """Check ``gold_path`` against ``text_dir/<stem>.txt``; never raises for what is in the file."""
    gold_path, text_dir = Path(gold_path), Path(text_dir)
    if not gold_path.name.endswith(GOLD_SUFFIX):
        return Report(gold_path, 0, 0, [f"not a *{GOLD_SUFFIX} file"], [])
    try:
        record = _load_json(gold_path)
    except InputError as exc:
        return Report(gold_path, 0, 0, [str(exc).removeprefix(f"{gold_path}: ")], [])
    entities = record.get("entities") if isinstance(record, dict) else None
    relations = record.get("relations") if isinstance(record, dict) else None
    counts = (len(entities) if isinstance(entities, list) else 0, len(relations) if isinstance(relations, list) else 0)
    stem = stem_of(gold_path)
    text_path = text_dir / f"{stem}.txt"
    if not text_path.is_file():
        return Report(gold_path, *counts, [f"no text file {text_path}"], [])
    try:
        text = text_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Report(gold_path, *counts, [f"{text_path}: not UTF-8 ({exc.reason})"], [])
    errors, warnings = check_record(record, text, stem)
    return Report(gold_path, *counts, errors, warnings)


def expand(paths: list[str | Path]) -> list[Path]:
    """Gold files named or held by folders (a folder's ``*.gold.json``, sorted)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: does not exist")
        files += sorted(path.glob(f"*{GOLD_SUFFIX}")) if path.is_dir() else [path]
    if not files:
        raise InputError(f"{', '.join(map(str, paths))}: no *{GOLD_SUFFIX} files")
    return files
