"""The extraction pipeline: a blank Chinese spaCy pipeline with registered rule components.

Components are registered by name (``@Language.component``) in their own
modules and wired here from a config, in two phases: entity components run
on every article of a page, then page-level propagation runs, then relation
components. ``PIPELINE_VERSION`` changes whenever the config, the package or
its packaged data change, which invalidates the extraction cache.

Examples
--------
>>> nlp = build_pipeline()
>>> nlp.pipe_names[:2]
['kg_places', 'kg_enterprises']
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from functools import lru_cache
from importlib import metadata

import spacy
from spacy.language import Language

import kg.extract.entities.chains
import kg.extract.entities.chooser
import kg.extract.entities.enterprises
import kg.extract.entities.lists
import kg.extract.entities.organizations
import kg.extract.entities.people
import kg.extract.entities.places
import kg.extract.entities.projects
import kg.extract.relations.chain_roles
import kg.extract.relations.develops
import kg.extract.relations.holds_position
import kg.extract.relations.in_chain
import kg.extract.relations.inspected
import kg.extract.relations.located_in
import kg.extract.relations.operates
import kg.extract.relations.supports  # noqa: F401  (registers the components)
from kg.resources import resource_dir

ENTITY_COMPONENTS: tuple[str, ...] = (
    "kg_places",
    "kg_enterprises",
    "kg_organizations",
    "kg_lists",
    "kg_projects",
    "kg_chains",
    "kg_choose_entities",
    "kg_inner_firms",
    "kg_people",
)
RELATION_COMPONENTS: tuple[str, ...] = (
    "kg_holds_position",
    "kg_inspected",
    "kg_develops",
    "kg_chain_roles",
    "kg_supports",
    "kg_in_chain",
    "kg_operates",
    "kg_located_in",
)
PIPELINE_CONFIG: dict[str, object] = {
    "lang": "zh",
    "segmenter": "char",
    "entities": list(ENTITY_COMPONENTS),
    "relations": list(RELATION_COMPONENTS),
}


def _data_fingerprint() -> str:
    digest = hashlib.sha1()
    for folder in ("data", "models"):
        try:
            root = resource_dir(folder)
        except FileNotFoundError:
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:8]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A string that changes whenever extraction could change."""
    try:
        package = metadata.version("chainkg")
    except metadata.PackageNotFoundError:
        package = "source"
    config = hashlib.sha1(repr(sorted(PIPELINE_CONFIG.items())).encode()).hexdigest()[:8]
    return f"{package}-{config}-{_data_fingerprint()}-{_source_fingerprint()}"


def _source_fingerprint() -> str:
    digest = hashlib.sha1()
    package_root = Path(__file__).resolve().parent.parent
    for path in sorted(package_root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def build_pipeline() -> Language:
    """A blank ``zh`` pipeline with the entity and relation components, in order."""
    nlp = spacy.blank(str(PIPELINE_CONFIG["lang"]), config={"nlp": {"tokenizer": {"segmenter": PIPELINE_CONFIG["segmenter"]}}})
    for name in (*ENTITY_COMPONENTS, *RELATION_COMPONENTS):
        nlp.add_pipe(name)
    return nlp
