"""The extraction pipeline, built from a spaCy config file.

The default config ships beside this module (``pipeline.cfg``); ``kg build
--config FILE`` runs another one. Every component is a registered factory
(rules in :mod:`kg.extract.entities` and :mod:`kg.extract.relations`, the
trained tagger in :mod:`kg.extract.entities.tagger`, or any spaCy
component a config sources from a trained pipeline), so a component is
swapped by editing the config, not code. :func:`pipeline_version` changes
whenever extraction could: it hashes the config, the content of the packaged
data and models and of any model folder the config names, and the source.

Examples
--------
>>> nlp = load_pipeline()
>>> nlp.pipe_names[:2]
['kg_places', 'kg_enterprises']
>>> pipeline_version() == pipeline_version(DEFAULT_CONFIG)
True
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config, load_model_from_config
from thinc.api import Config

import kg.extract.entities.chains
import kg.extract.entities.chooser
import kg.extract.entities.enterprises
import kg.extract.entities.inner
import kg.extract.entities.lists
import kg.extract.entities.model_candidates
import kg.extract.entities.organizations
import kg.extract.entities.people
import kg.extract.entities.places
import kg.extract.entities.projects
import kg.extract.entities.propagate
import kg.extract.entities.tagger
import kg.extract.relations.chain_roles
import kg.extract.relations.develops
import kg.extract.relations.holds_position
import kg.extract.relations.in_chain
import kg.extract.relations.inspected
import kg.extract.relations.located_in
import kg.extract.relations.operates
import kg.extract.relations.scorer
import kg.extract.relations.supports  # noqa: F401  (registers the factories)
from kg.errors import InputError
from kg.resources import resource_dir

DEFAULT_CONFIG = Path(__file__).with_name("pipeline.cfg")
#: The same pipeline without the trained tagger: the rules' own answer (and the tagger's hints in training).
RULES_CONFIG = Path(__file__).with_name("rules.cfg")
#: The environment variable that names the build's pipeline config, so that
#: worker processes (forked, spawned or Dask's local cluster) run the same one.
CONFIG_VARIABLE = "KG_PIPELINE_CONFIG"


@contextmanager
def selected_config(path: Path | None) -> Iterator[None]:
    """Run ``path`` (None: the default) in this process and the workers it starts, then restore the previous choice."""
    if path is not None:
        read_config(Path(path))  # fail here, once, on a bad file
    previous = os.environ.get(CONFIG_VARIABLE)
    _set_variable(str(Path(path).resolve()) if path is not None else None)
    try:
        yield
    finally:
        _set_variable(previous)


def _set_variable(value: str | None) -> None:
    if value is None:
        os.environ.pop(CONFIG_VARIABLE, None)
    else:
        os.environ[CONFIG_VARIABLE] = value


def active_config() -> Path | None:
    """The config selected by :func:`selected_config` (None: the default)."""
    value = os.environ.get(CONFIG_VARIABLE)
    return Path(value) if value else None


def read_config(path: Path | None = None) -> Config:
    """The pipeline config at ``path`` (the shipped default when None), as a thinc ``Config``."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        return load_config(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable pipeline config ({exc.__class__.__name__}: {exc})") from exc


def load_pipeline(path: Path | None = None) -> Language:
    """The pipeline the config at ``path`` describes (the active one when None; cached per path)."""
    return _load(path if path is not None else active_config())


@lru_cache(maxsize=4)
def _load(path: Path | None) -> Language:
    config = read_config(path)
    try:
        return load_model_from_config(config, auto_fill=True, validate=True)
    except Exception as exc:  # spaCy reports config errors as several exception types
        raise InputError(f"{path or DEFAULT_CONFIG}: the pipeline config does not build: {str(exc).splitlines()[0]}") from exc


def _content_digest(paths: list[Path]) -> str:
    """sha1 over the names and bytes of every file under ``paths`` (content, not sizes)."""
    digest = hashlib.sha1()
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _named_paths(config: Config) -> list[Path]:
    """Folders and files the config's settings point at (a sourced model, a tagger's model folder)."""
    found: list[Path] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, str) and ("/" in value or value.startswith(".")):
            candidate = Path(value)
            if candidate.exists():
                found.append(candidate)

    walk(config.get("components", {}))
    return found


def pipeline_version(path: Path | None = None) -> str:
    """A string that changes whenever extraction could change: package, config, data, models, source."""
    return _version(path if path is not None else active_config())


@lru_cache(maxsize=4)
def _version(path: Path | None) -> str:
    try:
        package = metadata.version("chainkg")
    except metadata.PackageNotFoundError:
        package = "source"
    config_path = Path(path) if path is not None else DEFAULT_CONFIG
    config = read_config(config_path)
    config_digest = hashlib.sha1(config.to_str().encode()).hexdigest()[:12]
    packaged = []
    for folder in ("data", "models"):
        try:
            packaged.append(resource_dir(folder))
        except FileNotFoundError:
            continue
    source = Path(__file__).resolve().parent.parent
    return "-".join((package, config_digest, _content_digest(packaged + _named_paths(config)), _content_digest([source])))
