"""A cleaned page split into articles, bylines, sentences and dates (``kg.ingest.articles``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.ingest import document_from_bytes, read_document
from kg.ingest.articles import sentences, split_articles
from kg.ingest.clean import clean_text

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"

# Composed: a headline with a "——" subtitle, a 本报讯 lead with two bylined people, a trailing byline;
# a second article closed by a "记者 … 摄" line; a third with a "文/图：" byline line.
PAGE = """青禾县新材料产业链推进会召开

——碳纤维、特种玻璃两条产业链同步推进

本报讯（记者 林晓晴 通讯员 周明远）3月15日,青禾县新材料产业链推进会在县经济开发区召开。县委副书记、县长方志诚出席会议并讲话。

会议指出,要加快引进配套企业,推动青禾华材新材料有限公司年产两万吨碳纤维项目尽快投产。记者 林晓晴

城关镇特种玻璃产业园开工

近日,城关镇特种玻璃产业园开工建设。该项目总投资12亿元,建成后年产值可达30亿元。

记者 林晓晴 摄

乡村振兴结硕果

文/图：周明远

青禾县今年新建蔬菜大棚300座,带动1200户农民增收。他说:“要加快!”随后考察了基地;
"""


@pytest.fixture(scope="module")
def clean_page() -> str:
    return clean_text(PAGE)[0].text


def test_page_splits_into_three_articles_with_titles(clean_page: str) -> None:
    articles = split_articles(clean_page, 2024)
    # Three headline groups, by reading the page; the subtitle joins the first title with a space.
    assert [a.title for a in articles] == [
        "青禾县新材料产业链推进会召开 ——碳纤维、特种玻璃两条产业链同步推进",
        "城关镇特种玻璃产业园开工",
        "乡村振兴结硕果",
    ]
    assert [a.index for a in articles] == [0, 1, 2]
    # Articles tile the page: each starts at its headline and ends where its last paragraph ends.
    assert clean_page[articles[0].start :].startswith("青禾县新材料产业链推进会召开")
    assert clean_page[articles[1].start :].startswith("城关镇特种玻璃产业园开工")
    assert clean_page[: articles[2].end].endswith("随后考察了基地;")


def test_bylines_lead_trailing_line_and_colon_forms(clean_page: str) -> None:
    articles = split_articles(clean_page, 2024)
    # Spaces between names are noise to the clean-up, so the bylines read without them.
    assert articles[0].bylines == ["记者林晓晴通讯员周明远", "记者林晓晴"]
    assert articles[1].bylines == ["记者林晓晴摄"]
    assert articles[2].bylines == ["文/图：周明远"]
    for article in articles:
        assert [clean_page[s:e] for s, e in article.byline_spans] == article.bylines


def test_byline_line_with_a_colon_stays_its_own_line(clean_page: str) -> None:
    # "文/图：周明远" has a colon, which once made it look like a body line cut mid-sentence,
    # and the next paragraph was glued to the photographer's name.
    assert "\n文/图：周明远\n青禾县今年新建蔬菜大棚300座" in clean_page
    assert clean_text("记者：林晓晴\n\n青禾县今年新建蔬菜大棚300座,带动1200户农民增收。")[0].text == (
        "记者：林晓晴\n青禾县今年新建蔬菜大棚300座,带动1200户农民增收。"
    )


def test_article_date_takes_the_page_year_only_when_there_is_one(clean_page: str) -> None:
    # The lead says 3月15日; only the first article has a 本报讯 lead or a "M月D日," opening.
    assert [a.date for a in split_articles(clean_page, 2024)] == ["2024-03-15", None, None]
    assert [a.date for a in split_articles(clean_page, None)] == ["--03-15", None, None]


def test_impossible_lead_date_is_no_date() -> None:
    page = "青禾县召开项目推进会\n本报讯 2月30日,青禾县召开重点项目推进会。"
    assert split_articles(page, 2024)[0].date is None


def test_sentences_split_on_end_marks_and_keep_closing_quotes(clean_page: str) -> None:
    third = split_articles(clean_page, 2024)[2]
    assert [clean_page[s.start : s.end] for s in third.sentences] == [
        "乡村振兴结硕果",
        "文/图：周明远",
        "青禾县今年新建蔬菜大棚300座,带动1200户农民增收。",
        "他说:“要加快!”",  # the closing quote stays with its sentence
        "随后考察了基地;",
    ]


def test_sentences_of_a_range() -> None:
    text = "甲。乙！丙？？丁…戊\n己"
    found = [text[s.start : s.end] for s in sentences(text, 0, len(text))]
    assert found == ["甲。", "乙！", "丙？？", "丁…", "戊", "己"]
    # Only inside [start, end): from offset 2 ("乙") to 5 (after "丙").
    assert [text[s.start : s.end] for s in sentences(text, 2, 5)] == ["乙！", "丙"]


def test_masthead_is_not_an_article() -> None:
    page = "2024年3月18日 星期一\n\n青禾县新材料产业链推进会召开\n\n本报讯 3月15日,会议召开。"
    document = document_from_bytes(page.encode("utf-8"), "masthead.txt", ".txt")
    assert document.date == "2024-03-18"
    assert [a.title for a in document.articles] == ["青禾县新材料产业链推进会召开"]
    assert document.articles[0].date == "2024-03-15"


# --- the seed pages: every reporter and correspondent named in a byline, read off the pages -------

SEED_BYLINE_NAMES = {
    "000_6235c91095529e22.txt": ["陈力", "海欣", "许丹丹", "继展", "王硕"],
    "001_21101baec822737d.txt": ["张慧", "孔博", "周宝俊", "刘汉功", "黄敬峰", "马源勤", "李若生", "王振宇", "丁忠宪", "刘洋",
                                 "万文闻"],
    "002_ebd8ed2b83fc6796.txt": ["武霏"],
    "003_6dfec295fe03cf79.txt": ["王艳玲", "郭强", "赵叶枫"],
    "004_c870d1137ca02fab.txt": ["黄敬峰", "苑肇波", "郁玉华", "蒋硕", "张小雪", "宋杰", "丁其坤"],
}


@pytest.mark.parametrize("name", sorted(SEED_BYLINE_NAMES))
def test_seed_bylines_name_every_reporter(name: str) -> None:
    document = read_document(SEEDS / name, SEEDS)
    bylines = [byline for article in document.articles for byline in article.bylines]
    for person in SEED_BYLINE_NAMES[name]:
        assert any(person in byline for byline in bylines), (person, bylines)
    # Every byline span points at its text in the clean page.
    for article in document.articles:
        assert [document.clean.text[s:e] for s, e in article.byline_spans] == article.bylines


def test_seed_004_byline_counts() -> None:
    document = read_document(SEEDS / "004_c870d1137ca02fab.txt", SEEDS)
    bylines = [byline for article in document.articles for byline in article.bylines]
    # 004 has seven bylines (grep 记者/通讯员 lines and 本报讯(…) leads): four "记者 黄敬峰 … 摄" lines
    # (two of them add a 通讯员), one "记者 黄敬峰" at the end of a paragraph, and two 本报讯 leads
    # by 通讯员 郁玉华 with colleagues.
    assert sorted(bylines) == sorted([
        "记者黄敬峰", "记者黄敬峰摄", "记者黄敬峰通讯员苑肇波摄", "记者黄敬峰摄", "通讯员郁玉华蒋硕", "记者黄敬峰通讯员张小雪摄",
        "通讯员郁玉华宋杰丁其坤",
    ])


def test_page_date_of_003() -> None:
    document = read_document(SEEDS / "003_6dfec295fe03cf79.txt", SEEDS)
    # The page opens with "2023年11月8日 星期三".
    assert document.original.startswith("2023年11月8日 星期三")
    assert document.date == "2023-11-08"


def test_article_date_of_001_with_and_without_a_page_date() -> None:
    data = (SEEDS / "001_21101baec822737d.txt").read_bytes()
    # The page prints no masthead date; its first article opens "本报讯(记者张慧)2月12日,".
    plain = document_from_bytes(data, "001.txt", ".txt")
    assert plain.date is None
    assert plain.articles[0].date == "--02-12"
    # With a masthead added in front (2025-02-14 was a Friday), the same article gets the year.
    dated = document_from_bytes("2025年2月14日 星期五\n\n".encode("utf-8") + data, "001.txt", ".txt")
    assert dated.date == "2025-02-14"
    assert dated.articles[0].date == "2025-02-12"
