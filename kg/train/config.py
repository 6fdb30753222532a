"""The training configuration: a TOML file (corpora, weights, feature switches, CRF settings).

Relative paths are resolved against the directory ``kg train`` runs in (the
repository root for the shipped model), so one file serves every checkout.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.nlp.tagger import DEFAULT_FEATURES, MAX_CHUNK

DEFAULT_CONFIG = Path(__file__).with_name("entity_crf.toml")



def read_toml(path: Path) -> dict[str, Any]:
    """A training config file's TOML, or an input error naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such training config") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: not a valid TOML training config ({exc})") from None


def settings_dict(settings: Any) -> dict[str, Any]:
    """A slotted settings object as a JSON-ready dict (paths as strings), for meta.json and model cards."""
    out: dict[str, Any] = {}
    for name in settings.__slots__:
        value = getattr(settings, name)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, list):
            value = [str(v) if isinstance(v, Path) else v for v in value]
        out[name] = value
    return out

@dataclass(slots=True)
class TrainConfig:
    """Everything ``kg train`` needs besides the gold and text folders given on the command line."""

    gold_dirs: list[Path] = field(default_factory=list)
    text_dirs: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    optional: str = "positive"            # optional gold entities: "positive" (their type) or "outside" (O)
    heldout_fraction: float = 0.2         # of the gold documents, for the printed scores
    seed: int = 13
    refit_all: bool = True                # after scoring, retrain on every gold document
    cluener_path: Path | None = None
    cluener_sample: float = 0.0           # fraction of CLUENER train (minus its held-out fifth) mixed in
    cluener_address: str = "admin"        # address -> Place: all | admin | none
    cluener_heldout: float = 0.2
    cluener_seed: int = 20200101
    peoples_daily_path: Path | None = None
    peoples_daily_sample: float = 0.0
    vectors: bool = True
    vector_texts: list[Path] = field(default_factory=list)
    vector_dim: int = 64
    vector_clusters: list[int] = field(default_factory=lambda: [16, 64, 256])
    vector_min_count: int = 3
    features: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_FEATURES))
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 150
    max_chunk: int = MAX_CHUNK
    source: str = ""                      # the file it was read from

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready copy (paths as strings), recorded in meta.json and the model card."""
        return settings_dict(self)


def _paths(values: Any) -> list[Path]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [Path(v) for v in values]


def load_config(path: Path | None = None) -> TrainConfig:
    """Read a TOML training config (the packaged ``entity_crf.toml`` when ``path`` is None).

    Raises
    ------
    InputError
        If the file is missing or is not valid TOML.

    Examples
    --------
    >>> config = load_config()
    >>> config.features["hints"], config.optional
    (True, 'positive')
    """
    path = DEFAULT_CONFIG if path is None else Path(path)
    data = read_toml(path)
    gold = data.get("gold", {})
    cluener = data.get("cluener", {})
    daily = data.get("peoples_daily", {})
    vectors = data.get("vectors", {})
    crf = data.get("crf", {})
    features = dict(DEFAULT_FEATURES)
    unknown = set(data.get("features", {})) - set(DEFAULT_FEATURES)
    if unknown:
        raise InputError(f"{path}: unknown feature switches {sorted(unknown)} (known: {sorted(DEFAULT_FEATURES)})")
    features.update({k: bool(v) for k, v in data.get("features", {}).items()})
    config = TrainConfig(
        gold_dirs=_paths(gold.get("dirs")),
        text_dirs=_paths(gold.get("text_dirs")),
        exclude=list(gold.get("exclude", [])),
        optional=str(gold.get("optional", "positive")),
        heldout_fraction=float(gold.get("heldout_fraction", 0.2)),
        seed=int(gold.get("seed", 13)),
        refit_all=bool(gold.get("refit_all", True)),
        cluener_path=Path(cluener["path"]) if cluener.get("path") else None,
        cluener_sample=float(cluener.get("sample", 0.0)),
        cluener_address=str(cluener.get("address", "admin")),
        cluener_heldout=float(cluener.get("heldout", 0.2)),
        cluener_seed=int(cluener.get("seed", 20200101)),
        peoples_daily_path=Path(daily["path"]) if daily.get("path") else None,
        peoples_daily_sample=float(daily.get("sample", 0.0)),
        vectors=bool(vectors.get("enabled", True)),
        vector_texts=_paths(vectors.get("texts")),
        vector_dim=int(vectors.get("dim", 64)),
        vector_clusters=[int(k) for k in vectors.get("clusters", [16, 64, 256])],
        vector_min_count=int(vectors.get("min_count", 3)),
        features=features,
        c1=float(crf.get("c1", 0.05)),
        c2=float(crf.get("c2", 0.01)),
        max_iterations=int(crf.get("max_iterations", 150)),
        max_chunk=int(crf.get("max_chunk", MAX_CHUNK)),
        source=str(path),
    )
    if config.optional not in ("positive", "outside"):
        raise InputError(f"{path}: gold.optional must be 'positive' or 'outside', not {config.optional!r}")
    if config.cluener_address not in ("all", "admin", "none"):
        raise InputError(f"{path}: cluener.address must be all, admin or none, not {config.cluener_address!r}")
    return config
