"""Projects: names ending in 项目/车间/生产线, representatives, project enumerations, categories."""

from __future__ import annotations


def test_a_project_after_its_firm(extract):
    page = extract("副市长先后来到南阳牧原食品有限公司年产30万吨饲料项目建设现场。")
    project = page.mention("Project", "年产30万吨饲料项目")
    assert project.attrs.get("status") == "under_construction"
    assert ("南阳牧原食品有限公司", "年产30万吨饲料项目") in page.relations("OPERATES")


def test_projects_listed_with_their_investment(extract):
    page = extract("主要有投资12亿元的卧龙岗文旅综合体、3.5亿元的白河湿地修复工程等项目。")
    first = page.mention("Project", "卧龙岗文旅综合体")
    assert first.attrs["investment_yuan"] == 1_200_000_000
    second = page.mention("Project", "白河湿地修复工程")
    assert second.attrs["investment_yuan"] == 350_000_000


def test_the_representative_of_a_group_of_projects(extract):
    page = extract("集中开工16个项目,有以宛城光电为代表的4个电子信息项目。")
    assert "宛城光电" in page.names("Project")
    assert ("宛城光电", "电子信息") in page.relations("IN_CHAIN")


def test_kinds_and_counts_of_projects_are_no_projects(extract):
    page = extract("今年全市谋划一批重点项目,其中民生项目8个,5个生物医药项目已开工。")
    assert page.names("Project") == set()


def test_an_investment_amount_and_its_verb_are_not_part_of_the_name(extract):
    page = extract("该县总投资5亿元建设年产10万吨新材料项目,计划年底投产。")
    assert page.surfaces("Project") == {"年产10万吨新材料项目"}


def test_a_road_named_for_construction_keeps_its_name(extract):
    page = extract("今年将实施建设路改造工程。")
    assert page.surfaces("Project") == {"建设路改造工程"}

