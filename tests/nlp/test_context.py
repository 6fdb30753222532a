"""Page context: which administrative place a written name means."""

from __future__ import annotations

from kg.nlp.context import build_context


def _codes(text: str) -> dict[str, str | None]:
    return {hit.surface: hit.code for hit in build_context(text, [], None).hits}


def test_a_city_without_districts_is_the_city_not_its_county_row():
    # The division tables list 东莞市 twice: the prefecture 4419 and the one county-level row 441900 under it.
    assert _codes("东莞市松山湖高新区召开会议,中山市也派员参加。") == {"东莞市": "441900000000", "中山市": "442000000000"}


def test_a_name_two_provinces_share_stays_undecided_without_support():
    # 朝阳区 is a district of both 北京市 and 长春市; a page naming neither cannot tell.
    assert _codes("朝阳区召开会议。")["朝阳区"] is None


def _subject(text: str, articles_with_bylines: int = 0) -> tuple[str, str | None]:
    from kg.nlp.context import set_subject

    context = build_context(text, [], None)
    set_subject(context, text, articles_with_bylines)
    return context.genre, context.place(context.subject).name if context.subject else None


def test_a_report_title_line_names_the_subject():
    assert _subject("2026年贵州省政府工作报告\n今年要坚持稳中求进。遵义市要加快发展。") == ("report", "贵州省")


def test_a_text_that_says_quansheng_is_about_its_province():
    text = "全省上下齐心协力。支持遵义市、安顺市加快发展，全省经济稳中向好。"
    assert _subject(text) == ("report", "贵州省")


def test_a_municipality_calls_itself_quanshi():
    assert _subject("全市推进城市更新。渝北区、江北区加快建设，全市经济向好。") == ("report", "重庆市")


def test_an_autonomous_region_calls_itself_zizhiqu():
    assert _subject("自治区将加快建设。支持柳州、桂林发展，全区上下奋发有为。")[1] == "广西壮族自治区"


def test_a_page_of_bylined_articles_has_no_single_subject():
    assert _subject("全省推进。全省发展。", articles_with_bylines=3) == ("page", None)


def test_a_short_article_naming_a_county_is_an_article():
    assert _subject("本报讯 宁都县新建了一座水厂。") == ("article", None)
