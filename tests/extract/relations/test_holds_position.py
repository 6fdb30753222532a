"""HOLDS_POSITION: titles and the organ, place or firm each belongs to, title chains included."""

from __future__ import annotations


def test_a_title_chain_gives_one_position_per_title(extract):
    page = extract("南阳市召开会议\n本报讯 市委常委、统战部部长周文华出席并讲话。")
    assert {("周文华", "南阳市委"), ("周文华", "南阳市委统战部")} <= page.relations("HOLDS_POSITION")
    assert page.relation_props("HOLDS_POSITION", "周文华", "南阳市委统战部")[0]["title"] == "部长"


def test_a_zone_organ_chain(extract):
    page = extract("南阳高新区召开会议。高新区党工委副书记、管委会主任赵立新主持。")
    relations = page.relations("HOLDS_POSITION")
    assert any(person == "赵立新" and organ.endswith("党工委") for person, organ in relations)
    assert any(person == "赵立新" and organ.endswith("管委会") for person, organ in relations)


def test_a_head_of_government_title_names_the_government(extract):
    page = extract("南阳市召开大会。副市长孙晓丽出席。")
    assert ("孙晓丽", "南阳市人民政府") in page.relations("HOLDS_POSITION")


def test_a_manager_of_a_firm(extract):
    page = extract("南阳宏发食品有限公司总经理吴建军介绍了企业情况。")
    assert ("吴建军", "南阳宏发食品有限公司") in page.relations("HOLDS_POSITION")


def test_a_town_official(extract):
    page = extract("宛城区召开会议,瓦店镇组织委员郭亮获得表彰。")
    assert ("郭亮", "瓦店镇") in page.relations("HOLDS_POSITION")


def test_a_title_list_shares_its_firm(extract):
    page = extract("本报讯 青梧科技有限公司董事长王建国、总经理李卫东介绍了项目进展。")
    held = page.relations("HOLDS_POSITION")
    assert {("王建国", "青梧科技有限公司"), ("李卫东", "青梧科技有限公司")} <= held


def test_a_county_head_serves_the_county_government(extract):
    page = extract("本报讯 6月5日，宁都县委书记刘海涛、县长陈晓明出席会议。")
    held = page.relations("HOLDS_POSITION")
    assert ("刘海涛", "宁都县委") in held and ("陈晓明", "宁都县人民政府") in held
