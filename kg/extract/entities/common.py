"""Checks shared by the entity families: is a name body specific enough to be a name?"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.nlp.boundary import _tokens
from kg.nlp.lexicon import GENERIC_ENTITY_BODIES, TIERS

_NUMERIC = re.compile(r"^[0-9０-９.一二三四五六七八九十百千万亿两几数余多个条家项大类批]+$")
_GENERIC = GENERIC_ENTITY_BODIES | frozenset(TIERS)


@lru_cache(maxsize=65536)
def is_generic_body(body: str) -> bool:
    """Whether ``body`` is only generic words (重点, 新兴, 一批 …), so no name.

    Examples
    --------
    >>> is_generic_body("重点"), is_generic_body("两大主导"), is_generic_body("金山湾新材料")
    (True, True, False)
    """
    if not body or _NUMERIC.match(body):
        return True
    words = [word for word, _s, _e in _tokens(body)]
    return all(word in _GENERIC or _NUMERIC.match(word) for word in words)
