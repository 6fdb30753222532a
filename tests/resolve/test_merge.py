"""Cross-document resolution: one node per real entity, never two places merged by a shared name.

The pages are built with the rules alone (``rules.cfg``), so that what is tested is how
resolution merges the mentions it is given, not which mentions the trained tagger finds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.builder import build
from kg.extract.pipeline import RULES_CONFIG
from kg.resolve.merge import is_short_name_of


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    corpus = tmp_path_factory.mktemp("corpus")
    # Page one names the firm in full; page two as 鑫瑞光电公司. Both name a 城关镇,
    # one in 河南 (嵩县, 洛阳市), one in 甘肃 (永登县, 兰州市).
    (corpus / "one.txt").write_text(
        "嵩县推进链长制\n本报讯 5月6日,洛阳市嵩县城关镇召开会议,河南鑫瑞光电科技有限公司负责人作了发言。"
        "嵩县重点打造光电信息产业链。\n",
        encoding="utf-8",
    )
    (corpus / "two.txt").write_text(
        "永登县召开项目推进会\n本报讯 兰州市永登县城关镇召开会议。鑫瑞光电公司在嵩县投资建设了新厂。\n",
        encoding="utf-8",
    )
    result = build(corpus, tmp_path_factory.mktemp("out") / "build", store=False, config=RULES_CONFIG)
    nodes: dict[str, list[dict]] = {}
    for node_id, data in result.graph.nodes(data=True):
        nodes.setdefault(data["label"], []).append({"id": node_id, **data})
    return nodes


def test_a_short_and_a_full_firm_name_in_two_documents_are_one_node(two_pages):
    firms = [n for n in two_pages["Enterprise"] if "鑫瑞光电" in n["name"]]
    assert len(firms) == 1
    firm = firms[0]
    assert firm["name"] == "河南鑫瑞光电科技有限公司"
    assert "鑫瑞光电公司" in firm["aliases"]
    assert {m["doc"] for m in firm["mentions"]} == {"one.txt", "two.txt"}
    assert any("short name" in reason for reason in firm["props"]["merged_by"])


def test_two_towns_of_one_name_in_two_provinces_are_two_nodes(two_pages):
    towns = [n for n in two_pages["Place"] if n["name"] == "城关镇"]
    assert len(towns) == 2
    codes = sorted(n["props"]["admin_code"][:2] for n in towns)
    assert codes == ["41", "62"]  # 河南 and 甘肃


def test_a_county_with_and_without_its_suffix_is_one_node(two_pages):
    counties = [n for n in two_pages["Place"] if n["props"].get("admin_code") == "410325000000"]
    assert len(counties) == 1
    assert counties[0]["name"] == "嵩县"
    assert {m["doc"] for m in counties[0]["mentions"]} == {"one.txt", "two.txt"}


def test_short_name_rule():
    assert is_short_name_of("鑫瑞光电", "河南鑫瑞光电科技有限公司")
    assert not is_short_name_of("光电科技", "河南鑫瑞光电科技有限公司")
    assert not is_short_name_of("鑫瑞", "河南鑫瑞光电科技有限公司")


# The resolver's compact internals, on hand-made extractions (invented firms; the merges were worked out by
# hand from is_short_name_of). Written with the streaming resolver; they hold whatever its data structures.

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import ArticleInfo, DocumentExtraction, Evidence, Mention, RelationMention
from kg.resolve.merge import _LEGAL_SUFFIX, Resolver, resolve


def _firm(name: str, start: int, article: int = 0) -> Mention:
    return Mention("Enterprise", name, name, start, start + len(name), article, "test")


def _page(doc: str, mentions: list[Mention], relations: list[RelationMention] | None = None, articles: int = 1) -> DocumentExtraction:
    infos = [ArticleInfo(index, f"标题{index}", None, index * 100, index * 100 + 99, []) for index in range(articles)]
    return DocumentExtraction(doc, "0" * 40, "utf-8", None, infos, mentions, relations or [])


def test_mentions_are_counted_per_article_and_evidence_kept_once() -> None:
    evidence = Evidence("a.txt", 0, 30, "山东慕迪新材料有限责任公司支持烟台华瑞科技有限公司。")
    page = _page("a.txt", [_firm("山东慕迪新材料有限责任公司", 0), _firm("烟台华瑞科技有限公司", 15),
                           _firm("山东慕迪新材料有限责任公司", 40), _firm("山东慕迪新材料有限责任公司", 140, article=1)],
                 [RelationMention("SUPPORTS", 0, 1, evidence, "test"), RelationMention("SUPPORTS", 2, 1, evidence, "test")], articles=2)
    entities, edges, _rejected = resolve([page])
    firm = next(e.id for e in entities if e.name == "山东慕迪新材料有限责任公司")
    assert sorted(e.props["count"] for e in edges if e.type == "MENTIONED_IN" and e.source == firm) == [1, 2]
    supports = [e for e in edges if e.type == "SUPPORTS"]
    assert len(supports) == 1 and len(supports[0].evidence) == 1
    assert [e.id for e in entities] == sorted(e.id for e in entities)
    assert [e.id for e in edges] == sorted(e.id for e in edges)


def test_a_short_name_of_two_firms_stays_apart() -> None:
    entities, _edges, _rejected = resolve([
        _page("a.txt", [_firm("山东华瑞科技有限公司", 0), _firm("烟台华瑞科技有限公司", 20)]),
        _page("b.txt", [_firm("华瑞科技", 5)]),
    ])
    assert sorted(e.name for e in entities if e.label == "Enterprise") == sorted(["山东华瑞科技有限公司", "烟台华瑞科技有限公司", "华瑞科技"])


def test_add_after_the_result_is_refused() -> None:
    resolver = Resolver()
    resolver.add(_page("a.txt", [_firm("山东慕迪新材料有限责任公司", 0)]))
    resolver.result()
    with pytest.raises(RuntimeError):
        resolver.add(_page("b.txt", [_firm("慕迪新材料", 0)]))


_PIECES = ["山东", "烟台", "牟平", "菏泽", "慕迪", "华瑞", "新材料", "科技", "发展", "集团", "公司", "有限公司", "股份有限公司", "中鼎", "药业"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5), st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4))
def test_resolution_merges_a_short_name_exactly_when_the_rule_says_so(full: list[str], short: list[str]) -> None:
    full_name, short_name = "".join(full), "".join(short)
    entities, _edges, _rejected = resolve([_page("a.txt", [_firm(full_name, 0)]), _page("b.txt", [_firm(short_name, 0)])])
    firms = [e for e in entities if e.label == "Enterprise"]
    merged = len(firms) == 1 and full_name != short_name

    def abbreviates(short: str, full: str) -> bool:
        # a name with a legal suffix is a full name, never a short one; either drawn name may be the short one
        return not _LEGAL_SUFFIX.search(short) and is_short_name_of(short, full)

    assert merged == (abbreviates(short_name, full_name) or abbreviates(full_name, short_name))


def test_one_project_name_in_two_counties_of_a_city_is_two_projects(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pages = {
        "a.txt": "东明县召开项目推进会\n本报讯 5月6日,菏泽市东明县召开重点项目推进会。东明县标准化厂房建设项目已开工建设。\n",
        "b.txt": "鄄城县项目建设提速\n本报讯 5月8日,菏泽市鄄城县召开会议。鄄城县标准化厂房建设项目主体完工。\n",
        "c.txt": "东明县项目观摩\n本报讯 6月1日,菏泽市东明县组织观摩,东明县标准化厂房建设项目进展顺利。\n",
    }
    for name, text in pages.items():
        (corpus / name).write_text(text, encoding="utf-8")
    graph = build(corpus, tmp_path / "build", store=False, config=RULES_CONFIG).graph
    projects = [data for _id, data in graph.nodes(data=True) if data["label"] == "Project" and "厂房建设项目" in data["name"]]
    assert sorted(sorted({m["doc"] for m in p["mentions"]}) for p in projects) == [["a.txt", "c.txt"], ["b.txt"]]
