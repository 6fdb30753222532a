"""Enterprises: legal names with a sound left boundary, listed firms, enumerations of firms."""

from __future__ import annotations


def test_legal_name_starts_after_the_list_mark_or_verb(extract):
    page = extract("副县长走访了河南恒通精密机械有限公司、洛阳华瑞新材料科技股份有限公司等企业。")
    assert {"河南恒通精密机械有限公司", "洛阳华瑞新材料科技股份有限公司"} <= page.names("Enterprise")


def test_only_the_last_place_before_a_firm_belongs_to_its_name(extract):
    page = extract("记者走进孟津区会盟镇洛阳宏达包装印刷有限公司生产车间。")
    assert "洛阳宏达包装印刷有限公司" in page.names("Enterprise")
    assert "孟津区会盟镇洛阳宏达包装印刷有限公司" not in page.names("Enterprise")


def test_a_listed_firm_by_short_name_takes_its_legal_name(extract):
    page = extract("会上,三全食品与多家企业签约。")
    firm = page.mention("Enterprise", "三全食品股份有限公司")
    assert firm.surface == "三全食品"
    assert firm.attrs["stock_code"] == "002216"


def test_members_of_a_firm_enumeration(extract):
    page = extract("全区引进了宏科智造、瑞丰光电和恒川电气等链主企业。")
    assert {"宏科智造", "瑞丰光电", "恒川电气"} <= page.surfaces("Enterprise")


def test_generic_firm_words_are_not_firms(extract):
    page = extract("该公司是一家上市公司,可以向石化公司出售产品,并培育独角兽、瞪羚等企业。")
    assert page.names("Enterprise") == set()
