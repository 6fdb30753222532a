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
