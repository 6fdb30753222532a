"""Places: gazetteer names and short forms, ambiguous towns, zones, villages, countries."""

from __future__ import annotations


def test_full_and_short_names_resolve_to_one_admin_code(extract):
    page = extract("宜兴市丁蜀镇召开陶瓷产业推进会。\n本报讯 会上,宜兴将加快陶瓷产业升级。")
    place = page.mention("Place", "宜兴市")
    assert place.attrs["admin_code"] == "320282000000"
    assert place.attrs["parent"] == "无锡市"
    assert "丁蜀镇" in page.names("Place")


def test_a_county_written_without_suffix_needs_its_full_name_on_the_page(extract):
    # 惠民 is 惠民县 in 山东, but here it is "benefiting the people".
    assert "惠民县" not in extract("各地深入实施文化惠民工程,开展惠民演出。").names("Place")


def test_an_ambiguous_town_takes_the_county_the_page_is_about(extract):
    # 城关镇 exists in many counties (three of them in 洛阳市 alone); the page names 汝阳县.
    page = extract("洛阳市汝阳县城关镇新建钼产业园区。汝阳县委书记王一强到城关镇调研。")
    town = page.mention("Place", "城关镇")
    assert town.attrs["admin_code"].startswith("410326")


def test_zone_names_expand_to_the_city_zone(extract):
    page = extract("近日,洛阳高新区召开大会。会上,高新区管委会负责人介绍,高新区将打造高端装备制造产业集群。")
    zone_names = {m.name for m in page.extraction.mentions if m.label == "Place" and m.attrs.get("kind") == "zone"}
    assert len(zone_names) == 1  # 洛阳高新区 and the bare 高新区 are one zone
    assert "高新区" in {a for m in page.extraction.mentions if m.label == "Place" for a in m.aliases}


def test_parks_villages_and_countries(extract):
    page = extract(
        "该镇积极推进青石岭、王家庄、河西等村集中连片发展。\n"
        "园区内的滨河智能制造产业园已入驻企业30家,产品远销日本、德国等地。"
    )
    places = page.names("Place")
    assert {"青石岭村", "王家庄村", "河西村"} <= places
    assert "滨河智能制造产业园" in places
    assert {"日本", "德国"} <= places


def test_kinds_of_park_and_slogans_are_no_places(extract):
    page = extract("巩固化工园区安全整治成果,打造“宜居宜业示范区”,用好各类爱国主义教育基地。")
    assert page.names("Place") == set()


def test_the_page_city_for_its_own_words(extract):
    page = extract("南阳市召开会议。会议指出,全市要加快发展生物医药产业。")
    reference = next(m for m in page.extraction.mentions if m.surface == "全市")
    assert reference.name == "南阳市"
