"""Training the entity tagger: gold projection, corpora, hints, vectors, ``kg train``.

The runtime side is :mod:`kg.nlp.tagger`; nothing here is imported at build time.
"""

from __future__ import annotations

from kg.train.config import TrainConfig, load_config
from kg.train.hints import rule_hints

__all__ = ["TrainConfig", "load_config", "rule_hints"]
