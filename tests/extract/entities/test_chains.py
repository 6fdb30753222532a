"""Chains: enumerations before N条产业链, suffixes, scale and tier words, systems that are no chains."""

from __future__ import annotations


def test_an_enumeration_of_chains(extract):
    page = extract("宛城区重点打造装备制造、现代农业、文化旅游、电子信息四条产业链。")
    assert {"装备制造", "现代农业", "文化旅游", "电子信息"} <= page.names("Chain")


def test_scale_and_tier_words_are_not_part_of_the_chain(extract):
    page = extract("打造光电信息五百亿级产业集群,培育新能源汽车和智能装备两大主导产业。")
    assert {"光电信息", "新能源汽车", "智能装备"} <= page.names("Chain")


def test_industry_systems_and_tier_words_are_no_chains(extract):
    page = extract("构建“1+3+N”现代产业体系,壮大重点产业和新兴产业,推动美丽产业发展。")
    assert page.names("Chain") == set()


def test_places_in_front_of_an_industry_are_not_chains(extract):
    page = extract("南阳市召开大会,为南阳产业升级注入动力。")
    assert "南阳" not in page.names("Chain")
