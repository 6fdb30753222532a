"""Page-level propagation: what one article of a page established holds in its other articles.

Reads every article's chosen mentions. A person introduced with a title is
the same person when named alone later; a firm named in full is the same firm
under the short name the page derives from it (山东某某新材料有限责任公司 ->
某某新材料). Emits ``Person`` and ``Enterprise`` mentions where those names
recur in free text.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.nlp.spans import ArticleState, Candidate, DocumentState, Priority, document_component

_FIRM_LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司)$")
_FIRM_GENERIC_TAIL = re.compile(r"(?:发展|科技|实业|投资|控股|技术|有限|股份|集团|开发|工程|服务|管理|贸易|国际|中国)+$")
_MIN_SHORT_NAME = 4


def _free(article: ArticleState, start: int, end: int) -> bool:
    if any(start < e and s < end for s, e in article.bylines):
        return False
    return not any(start < m.end and m.start < end for m in article.mentions)


def _firm_short_names(full: str, inner: list[dict]) -> list[str]:
    """Short names a page uses for a firm it also names in full (江西澄岳新材料有限责任公司 -> 澄岳新材料)."""
    core = _FIRM_LEGAL_SUFFIX.sub("", full)
    for place in inner:
        if place["start"] == 0:
            core = core[place["end"] - place["start"] :]
    core = re.sub(r"[（(][^）)]*[）)]", "", core)
    forms = {core, _FIRM_GENERIC_TAIL.sub("", core)}
    return [form for form in forms if len(form) >= _MIN_SHORT_NAME]


@document_component("kg_propagate")
def propagate(doc: Doc, document: DocumentState) -> None:
    """Spread people and firm short names found in one article to every article of the page."""
    people: dict[str, Candidate] = {}
    firms: dict[str, str] = {}
    for article in document.articles:
        for mention in article.mentions:
            surface = article.surface(mention)
            if mention.label == "Person" and mention.attrs.get("titles"):
                people.setdefault(surface, mention)
            elif mention.label == "Enterprise" and _FIRM_LEGAL_SUFFIX.search(surface):
                relative = [
                    {"start": p["start"] - mention.start, "end": p["end"] - mention.start}
                    for p in mention.attrs.get("inner_places") or []
                ]
                for short in _firm_short_names(surface, relative):
                    firms.setdefault(short, surface)
    for article in document.articles:
        added: list[Candidate] = []
        for name, original in people.items():
            for match in re.finditer(re.escape(name), article.text):
                if _free(article, match.start(), match.end()) and not any(match.start() < c.end and c.start < match.end() for c in added):
                    added.append(Candidate("Person", match.start(), match.end(), "propagated", Priority.PROPAGATED, {"kind": original.attrs.get("kind"), "titles": []}))
        for short, full in firms.items():
            for match in re.finditer(re.escape(short), article.text):
                if _free(article, match.start(), match.end()) and not any(match.start() < c.end and c.start < match.end() for c in added):
                    added.append(Candidate("Enterprise", match.start(), match.end(), "propagated", Priority.PROPAGATED, {"alias_of": full}))
        article.mentions.extend(added)
        article.mentions.sort(key=lambda m: m.start)


