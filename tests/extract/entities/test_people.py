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
