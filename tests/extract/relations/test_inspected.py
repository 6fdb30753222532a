"""INSPECTED: officials, the places, firms and projects of their visits, and the date."""

from __future__ import annotations


def test_a_visit_with_its_dateline_and_list(extract):
    page = extract(
        "2024年5月9日 星期四\n\n副市长调研重点项目\n"
        "本报讯(记者刘洋)5月8日,副市长高明深入镇平县,调研重点项目建设。"
        "高明先后来到镇平县华丰玉雕有限公司、南阳宝天曼生态旅游开发项目等地,详细了解项目进度。"
    )
    visits = page.relations("INSPECTED")
    assert {("高明", "镇平县"), ("高明", "镇平县华丰玉雕有限公司"), ("高明", "南阳宝天曼生态旅游开发项目")} <= visits
    assert page.relation_props("INSPECTED", "高明", "镇平县")[0]["date"] == "2024-05-08"


def test_a_leader_of_a_delegation(extract):
    page = extract("观摩团在市工信局局长钱伟的带领下到宛城区观摩。")
    assert ("钱伟", "宛城区") in page.relations("INSPECTED")


def test_a_manager_showing_round_is_no_inspection(extract):
    page = extract("南阳宏发食品有限公司总经理吴建军带领记者参观了生产车间。")
    assert page.relations("INSPECTED") == set()


def test_the_people_accompanying_are_not_visited(extract):
    page = extract("市委常委王强到卧龙区检查工作,卧龙区委书记李明陪同。")
    visits = page.relations("INSPECTED")
    assert ("王强", "卧龙区") in visits
    assert not any(target.endswith("区委") for _person, target in visits)


def test_everyone_of_a_title_list_inspects(extract):
    page = extract("本报讯 6月5日，宁都县委书记刘海涛、县长陈晓明到宁都工业园调研。")
    inspected = page.relations("INSPECTED")
    assert {("刘海涛", "宁都工业园"), ("陈晓明", "宁都工业园")} <= inspected


def test_a_clause_break_ends_the_list_of_visitors(extract):
    page = extract("本报讯 6月5日，宁都县委书记刘海涛主持会议，县长陈晓明到宁都工业园调研。")
    assert ("刘海涛", "宁都工业园") not in page.relations("INSPECTED")
