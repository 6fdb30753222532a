"""IN_CHAIN and OPERATES."""

from __future__ import annotations


def test_representative_projects_and_firms_are_in_their_chain(extract):
    page = extract("集中开工12个项目,有以宛城光电为代表的3个电子信息项目,以汉冶特钢为代表的5家钢铁企业。")
    in_chain = page.relations("IN_CHAIN")
    assert ("宛城光电", "电子信息") in in_chain
    assert ("汉冶特钢", "钢铁") in in_chain


def test_a_firm_operates_the_project_written_after_it(extract):
    page = extract("走访了南阳鑫源化工有限公司年产5万吨可降解材料项目。")
    assert ("南阳鑫源化工有限公司", "年产5万吨可降解材料项目") in page.relations("OPERATES")
    project = page.mention("Project", "年产5万吨可降解材料项目")
    assert project.attrs.get("capacity") is None or "5万吨" in project.attrs["capacity"]
