"""Cross-document resolution: one node per real entity, never two places merged by a shared name."""

from __future__ import annotations


import pytest

from kg.build import build
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
    result = build(corpus, tmp_path_factory.mktemp("out") / "build", store=False)
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
    counties = [n for n in two_pages["Place"] if n["props"].get("admin_code") == "410325"]
    assert len(counties) == 1
    assert counties[0]["name"] == "嵩县"
    assert {m["doc"] for m in counties[0]["mentions"]} == {"one.txt", "two.txt"}


def test_short_name_rule():
    assert is_short_name_of("鑫瑞光电", "河南鑫瑞光电科技有限公司")
    assert not is_short_name_of("光电科技", "河南鑫瑞光电科技有限公司")
    assert not is_short_name_of("鑫瑞", "河南鑫瑞光电科技有限公司")
