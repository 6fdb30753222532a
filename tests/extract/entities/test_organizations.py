"""Organisations: organs qualified by the page's place, department words, abbreviations."""

from __future__ import annotations


def test_bare_organs_take_the_page_city(extract):
    page = extract("南阳市召开工作会。\n本报讯 市委组织部、市人大常委会和市工信局负责人出席。")
    names = page.names("Organization")
    assert {"南阳市委组织部", "南阳市人大常委会", "南阳市工业和信息化局"} <= names


def test_department_names_with_he_are_one_word(extract):
    page = extract("据悉,宛城区人力资源和社会保障局被评为先进单位。")
    assert "宛城区人力资源和社会保障局" in page.names("Organization")


def test_common_words_ending_like_organs_are_not_organs(extract):
    page = extract("优化产业布局,举办招商大会,全部企业参加,所有部门协同。")
    assert page.names("Organization") == set()


def test_schools_institutes_funds_and_associations(extract):
    page = extract("南阳理工学院、南阳市中药材产业协会与宛西制药研究院合作,设立南阳艾草产业发展基金。")
    assert {"南阳理工学院", "南阳市中药材产业协会", "宛西制药研究院", "南阳艾草产业发展基金"} <= page.names("Organization")
