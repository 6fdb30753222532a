"""DEVELOPS: the place that builds each chain, with tier and scale."""

from __future__ import annotations


def test_the_clause_subject_develops_the_chains(extract):
    page = extract("邓州市重点打造装备制造、现代农业、生物医药三条产业链。")
    assert {("邓州市", "装备制造"), ("邓州市", "现代农业"), ("邓州市", "生物医药")} <= page.relations("DEVELOPS")
    assert page.relation_props("DEVELOPS", "邓州市", "装备制造")[0]["tier"] == "重点"


def test_scale_is_kept(extract):
    page = extract("邓州市将打造装备制造千亿级产业集群。")
    assert page.relation_props("DEVELOPS", "邓州市", "装备制造")[0]["scale"] == "千亿级"


def test_the_article_place_develops_chains_of_sentences_without_one(extract):
    page = extract("邓州市推进链长制\n本报讯 今年以来,邓州市聚焦主导产业。培育壮大新能源和新材料两大主导产业。")
    developed = page.relations("DEVELOPS")
    assert {("邓州市", "新能源"), ("邓州市", "新材料")} <= developed


def test_a_report_subject_develops_the_chains_of_its_lists(extract):
    page = extract(
        "2026年贵州省政府工作报告\n"
        "全省将大力发展新能源汽车、集成电路、生物医药、新材料、低空经济、现代物流、数字经济、大数据等八大新兴产业。"
    )
    developed = page.relations("DEVELOPS")
    assert ("贵州省", "新能源汽车") in developed and ("贵州省", "大数据") in developed
    assert not any(head != "贵州省" for head, _tail in developed)


def test_a_clause_that_names_a_city_scopes_its_chain_in_a_report(extract):
    page = extract("2026年贵州省政府工作报告\n全省加快转型。支持遵义市打造航空航天产业集群。")
    assert ("遵义市", "航空航天") in page.relations("DEVELOPS")
    assert ("贵州省", "航空航天") not in page.relations("DEVELOPS")
