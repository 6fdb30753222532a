"""Cross-document resolution on hand-made extractions: what merges, what stays apart, what is counted.

The firm names are invented; whether one abbreviates another was worked out
by hand from the rule in :func:`kg.resolve.merge.is_short_name_of` (the core
after the registered place and the legal suffix; generic words do not count).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import ArticleInfo, DocumentExtraction, Evidence, Mention, RelationMention
from kg.resolve.merge import Resolver, _short_name_prefixes, is_short_name_of, resolve


def _firm(name: str, start: int, article: int = 0) -> Mention:
    return Mention("Enterprise", name, name, start, start + len(name), article, "test")


def _page(doc: str, mentions: list[Mention], relations: list[RelationMention] | None = None, articles: int = 1) -> DocumentExtraction:
    infos = [ArticleInfo(index, f"标题{index}", None, index * 100, index * 100 + 99, []) for index in range(articles)]
    return DocumentExtraction(doc, "0" * 40, "utf-8", None, infos, mentions, relations or [])


def test_a_short_name_joins_the_one_firm_it_abbreviates() -> None:
    entities, _edges, _rejected = resolve([
        _page("a.txt", [_firm("山东慕迪新材料有限责任公司", 0)]),
        _page("b.txt", [_firm("慕迪新材料", 5)]),
    ])
    firms = [e for e in entities if e.label == "Enterprise"]
    assert len(firms) == 1
    assert firms[0].name == "山东慕迪新材料有限责任公司"
    assert "慕迪新材料" in firms[0].aliases
    assert [m["doc"] for m in firms[0].mentions] == ["a.txt", "b.txt"]
    assert firms[0].props["merged_by"] == ["short name 慕迪新材料 of 山东慕迪新材料有限责任公司"]


def test_a_short_name_of_two_firms_stays_apart() -> None:
    entities, _edges, _rejected = resolve([
        _page("a.txt", [_firm("山东华瑞科技有限公司", 0), _firm("烟台华瑞科技有限公司", 20)]),
        _page("b.txt", [_firm("华瑞科技", 5)]),
    ])
    assert sorted(e.name for e in entities if e.label == "Enterprise") == sorted(["山东华瑞科技有限公司", "烟台华瑞科技有限公司", "华瑞科技"])


def test_mentions_are_counted_per_article_and_evidence_kept_once() -> None:
    evidence = Evidence("a.txt", 0, 30, "山东慕迪新材料有限责任公司支持烟台华瑞科技有限公司。")
    relation = RelationMention("SUPPORTS", 0, 1, evidence, "test")
    page = _page("a.txt", [_firm("山东慕迪新材料有限责任公司", 0), _firm("烟台华瑞科技有限公司", 15),
                           _firm("山东慕迪新材料有限责任公司", 40), _firm("山东慕迪新材料有限责任公司", 140, article=1)],
                 [relation, RelationMention("SUPPORTS", 2, 1, evidence, "test")], articles=2)
    entities, edges, _rejected = resolve([page])
    ids = {e.name: e.id for e in entities}
    counts = {(e.source, e.target): e.props["count"] for e in edges if e.type == "MENTIONED_IN"}
    article_ids = sorted(e.id for e in entities if e.label == "Article")
    firm = ids["山东慕迪新材料有限责任公司"]
    assert sorted(count for (source, _), count in counts.items() if source == firm) == [1, 2]
    supports = [e for e in edges if e.type == "SUPPORTS"]
    assert len(supports) == 1 and len(supports[0].evidence) == 1
    assert len(article_ids) == 2
    assert [e.id for e in edges] == sorted(e.id for e in edges)


def test_add_after_the_result_is_refused() -> None:
    resolver = Resolver()
    resolver.add(_page("a.txt", [_firm("山东慕迪新材料有限责任公司", 0)]))
    resolver.result()
    try:
        resolver.add(_page("b.txt", [_firm("慕迪新材料", 0)]))
    except RuntimeError:
        return
    raise AssertionError("add after result was accepted")


_PIECES = ["山东", "烟台", "牟平", "菏泽", "慕迪", "华瑞", "新材料", "科技", "发展", "集团", "有限公司", "股份有限公司", "中鼎", "药业"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5), st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4))
def test_the_short_name_index_holds_every_short_name_the_rule_accepts(full: list[str], short: list[str]) -> None:
    full_name, short_name = "".join(full), "".join(short)
    if is_short_name_of(short_name, full_name):
        assert short_name in set(_short_name_prefixes(full_name))
