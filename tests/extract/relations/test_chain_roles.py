"""CHAIN_MASTER_OF and LEADS_CHAIN: chain-master and leading firms and their chains."""

from __future__ import annotations


def test_chain_masters_of_the_chain_the_article_is_built_around(extract):
    page = extract(
        "邓州市以光电信息产业为主,培育壮大智能装备产业。"
        "引进瑞光科技、华屹电子、鼎新精密等“链主”企业,带动产业集聚。"
    )
    masters = page.relations("CHAIN_MASTER_OF")
    assert {("瑞光科技", "光电信息"), ("华屹电子", "光电信息"), ("鼎新精密", "光电信息")} <= masters
    assert page.relation_props("CHAIN_MASTER_OF", "瑞光科技", "光电信息")[0]["inferred"] is True
    assert "chain_master" in page.mention("Enterprise", "瑞光科技").attrs["roles"]


def test_leading_firms_of_a_named_chain(extract):
    page = extract("壮大生物医药产业,以宛西制药、福森药业等龙头企业为引领。")
    assert {("宛西制药", "生物医药"), ("福森药业", "生物医药")} <= page.relations("LEADS_CHAIN")
