"""LOCATED_IN: place chains, firms after places, 位于, visits, organs' names, an article's place."""

from __future__ import annotations


def test_places_written_in_a_row(extract):
    page = extract("唐河县源潭镇张庄村新建了服装加工车间。")
    assert {("源潭镇", "唐河县"), ("张庄村", "源潭镇")} <= page.relations("LOCATED_IN")


def test_a_firm_after_its_town(extract):
    page = extract("记者来到源潭镇的南阳宏远纺织有限公司。")
    assert ("南阳宏远纺织有限公司", "源潭镇") in page.relations("LOCATED_IN")


def test_stated_with_weiyu(extract):
    page = extract("南阳光电孵化器位于南阳高新区光电产业园3号楼。")
    assert any(head == "南阳光电孵化器" and tail.endswith("光电产业园") for head, tail in page.relations("LOCATED_IN"))


def test_an_organ_written_with_its_level(extract):
    page = extract("南阳市召开会议。市税务局负责人出席。")
    assert ("南阳市税务局", "南阳市") in page.relations("LOCATED_IN")


def test_the_projects_of_an_article_about_a_county(extract):
    page = extract(
        "唐河县春季重大项目集中开工\n"
        "本报讯 3月2日,唐河县春季重大项目集中开工仪式举行,主要有投资15亿元的唐河牧原肉食产业园、2亿元的城南污水处理厂扩建工程等项目。"
    )
    located = page.relations("LOCATED_IN")
    assert ("唐河牧原肉食产业园", "唐河县") in located
    assert ("城南污水处理厂扩建工程", "唐河县") in located


def test_partners_of_a_deal_are_not_located_here(extract):
    page = extract("唐河县召开招商会\n本报讯 会上,唐河县与深圳华强电子有限公司签署合作协议。")
    assert not any(head == "深圳华强电子有限公司" for head, _tail in page.relations("LOCATED_IN"))


def test_a_report_builds_in_its_subject_place(extract):
    page = extract("2026年江西省政府工作报告\n全省加快建设赣深高铁北延工程，推进昌景黄铁路建设项目。")
    located = page.relations("LOCATED_IN")
    assert any(tail == "江西省" and "昌景黄铁路" in head for head, tail in located)
