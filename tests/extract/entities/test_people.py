"""People: titles before and after names, title chains, bylines."""

from __future__ import annotations


def test_title_then_name(extract):
    page = extract("2月3日,副市长李海峰出席会议。市发展和改革委员会主任赵晓东主持。")
    assert {"李海峰", "赵晓东"} <= page.names("Person")
    assert page.mention("Person", "李海峰").attrs["kind"] == "official"


def test_name_then_title(extract):
    page = extract("三年级二班刘子涵同学和马丽华老师作了发言。")
    assert {"刘子涵", "马丽华"} <= page.names("Person")
    assert page.mention("Person", "马丽华").attrs["kind"] == "other"


def test_executives(extract):
    page = extract("南阳华鑫机械有限公司董事长孙志刚介绍,公司订单饱满。")
    person = page.mention("Person", "孙志刚")
    assert person.attrs["kind"] == "executive"
    assert person.attrs["org"] == "南阳华鑫机械有限公司"


def test_bylines_are_not_people(extract):
    page = extract("南阳召开会议\n本报讯(记者王晓明通讯员刘芳)3月1日,会议召开。\n记者张红摄")
    assert page.names("Person") == set()


def test_a_chain_leader_keeps_the_chain_in_the_title(extract):
    page = extract("寿光市召开会议。寿光市副市长、蔬菜种业产业链链长赵立新到寿光市蔬菜高科技示范园调研。")
    person = page.mention("Person", "赵立新")
    assert person.attrs["titles"] == ["副市长", "蔬菜种业产业链链长"]
    assert person.attrs["kind"] == "official"
    assert page.names("Chain") == {"蔬菜种业"}
    assert page.relations("HOLDS_POSITION") == {("赵立新", "寿光市")}  # no edge to the chain


def test_a_party_title_before_a_chain_leader_is_no_chain(extract):
    page = extract("市委书记、新能源汽车产业链总链长王刚出席会议。")
    assert page.names("Chain") == {"新能源汽车"}
    assert page.mention("Person", "王刚").attrs["titles"] == ["书记", "新能源汽车产业链总链长"]


def test_a_duty_of_chain_leaders_is_no_person(extract):
    page = extract("链长要定期组织有关部门调研梳理产业链发展现状。")
    assert page.names("Person") == set()
