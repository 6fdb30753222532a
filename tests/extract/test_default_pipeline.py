"""The shipped pipeline, trained tagger included, on report sentences written for these tests.

The places are in provinces no annotated document covers (江西, 贵州), so what
the tagger finds here it learned as a pattern, not as a name.
"""

from __future__ import annotations

JIANGXI = (
    "2026年江西省政府工作报告\n"
    "全省将加快建设昌九城市群，大力发展航空制造、电子信息、新能源、生物医药等产业，推进昌景黄高铁、赣深高铁北延等重大工程。"
)
GUIZHOU = "2026年贵州省政府工作报告\n支持遵义市打造白酒产业集群，推动贵阳都市圈建设，加快乌江水电站扩建。"


def test_a_city_cluster_and_railways_without_xiangmu(extract_default):
    page = extract_default(JIANGXI)
    assert "昌九城市群" in page.names("Place")
    assert {"昌景黄高铁", "赣深高铁北延"} <= page.names("Project")


def test_the_report_subject_develops_and_contains(extract_default):
    page = extract_default(JIANGXI)
    assert {("江西省", "航空制造"), ("江西省", "生物医药")} <= page.relations("DEVELOPS")
    assert ("昌景黄高铁", "江西省") in page.relations("LOCATED_IN")


def test_a_metropolitan_area_and_a_power_station(extract_default):
    page = extract_default(GUIZHOU)
    assert "贵阳都市圈" in page.names("Place")
    assert "乌江水电站" in page.names("Project")
    assert ("遵义市", "白酒") in page.relations("DEVELOPS")


def test_the_subject_named_in_the_title_stays_a_place(extract_default):
    page = extract_default(GUIZHOU)
    assert "贵州省" in page.names("Place")
    assert ("遵义市", "贵州省") in page.relations("LOCATED_IN")


def test_the_rules_alone_miss_what_the_tagger_finds(extract):
    page = extract(JIANGXI)
    assert "昌九城市群" not in page.names("Place")
    assert not page.names("Project") & {"昌景黄高铁", "赣深高铁北延"}


def test_a_firm_and_a_city_inside_a_plant_name(extract_default):
    page = extract_default("2026年江西省政府工作报告\n全省加快推进东岭新能赣州储能电池基地项目建设。")
    plant = next(name for name in page.names("Project") if name.startswith("东岭新能赣州储能电池基地"))
    assert ("东岭新能", plant) in page.relations("OPERATES")
    assert (plant, "赣州市") in page.relations("LOCATED_IN")
    assert ("赣州市", "江西省") in page.relations("LOCATED_IN")


def test_two_industries_joined_by_he_are_two_chains(extract_default):
    page = extract_default("2026年贵州省政府工作报告\n全省大力发展生物医药和现代物流产业。")
    assert {"生物医药", "现代物流"} <= page.names("Chain")
    assert "生物医药和现代物流" not in page.names("Chain")
