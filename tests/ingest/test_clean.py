"""OCR clean-up with an exact offset map (``kg.ingest.clean``).

Three kinds of test: small composed texts whose clean form was worked out by
hand; a hypothesis property over random noisy pages (plain and HTML); and the
five real seed pages in ``samples/seeds``, whose joined lines and repeated
paragraphs were found by reading the files.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import document_from_bytes, read_document
from kg.ingest.clean import clean_text
from kg.model import Document

if TYPE_CHECKING:
    from conftest import OffsetCheck

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff][ \u3000\xa0\t]+[\u4e00-\u9fff]")


def test_spaces_between_cjk_go_spaces_between_latin_words_and_numbers_stay() -> None:
    text = "青禾 县 引进 Ping An 保险 与 3 500 万元"
    clean, dropped = clean_text(text)
    # By hand: a space run survives only with a Latin letter or digit on both sides ("Ping An", "3 500").
    assert clean.text == "青禾县引进Ping An保险与3 500万元"
    assert dropped == 0


def test_wide_and_no_break_spaces_and_tabs(offsets: OffsetCheck) -> None:
    text = "青禾\u3000县\xa0新材料\t产业 A\u3000B"
    clean, _ = clean_text(text)
    assert clean.text == "青禾县新材料产业A B"
    # The kept space between A and B is the ideographic space of the original: 青0 禾1 ␣2 县3 ␣4 新5 材6 料7
    # ␣8 产9 业10 ␣11 A12 ␣13 B14, so offset 13.
    index = clean.text.index(" ")
    assert clean.original_span(index, index + 1) == (13, 14)
    assert text[13] == "\u3000"
    offsets.exact(text, clean)


def test_broken_sentence_is_joined_headline_and_lead_are_not(offsets: OffsetCheck) -> None:
    text = (
        "青禾县新材料产业链推进会召开\r\n\r\n"
        "本报讯 3月15日,青禾县新材料产业链推进会在县经济开发区召\r\n\r\n"
        "开。会议要求加快引进配套企业。\r\n"
        "今年全县计划实施重点项目36个。\r\n"
    )
    clean, _ = clean_text(text)
    # Headline line stays a line; "召 / 开" (a body line with a comma, no full stop) is joined;
    # a line ending in 。 keeps its break; CRLF becomes one break.
    assert clean.text == (
        "青禾县新材料产业链推进会召开\n"
        "本报讯3月15日,青禾县新材料产业链推进会在县经济开发区召开。会议要求加快引进配套企业。\n"
        "今年全县计划实施重点项目36个。"
    )
    offsets.exact(text, clean)
    joined = clean.text.index("召开。会议")
    start, end = clean.original_span(joined, joined + 2)
    assert text[start:end] == "召\r\n\r\n开"


def test_repeated_paragraph_and_truncated_copy_are_dropped(offsets: OffsetCheck) -> None:
    first = "会议指出,要围绕碳纤维、特种玻璃两条产业链,加快引进配套企业。"
    second = "今年,全县计划实施重点项目36个,总投资86亿元,其中新开工项目12个。"
    text = "\n\n".join([
        first,
        second,
        "会议 指出,要围绕“碳纤维”、特种玻璃两条产业链,加快引进配套企业。",  # the same, with a space and quotes
        second[:24],  # a truncated copy (24 characters, more than the 20 that make a repeat)
        "记者 林晓晴 摄",  # short lines repeat legitimately (bylines): kept both times
        "记者 林晓晴 摄",
    ])
    clean, dropped = clean_text(text)
    assert dropped == 2
    assert clean.text == "\n".join([first, second, "记者林晓晴摄", "记者林晓晴摄"])
    offsets.exact(text, clean)


def test_traditional_text_is_simplified_but_offsets_stay_on_it(offsets: OffsetCheck, traditional_page: tuple[str, str]) -> None:
    traditional, simplified = traditional_page
    clean, _ = clean_text(traditional)
    assert clean.text == clean_text(simplified)[0].text  # the hand-converted page, cleaned the same way
    offsets.exact(traditional, clean)
    index = clean.text.index("青禾县新材料产业链推进会")
    start, end = clean.original_span(index, index + len("青禾县新材料产业链推进会"))
    assert traditional[start:end] == "青禾縣新材料產業鏈推進會"


# --- property: random noisy pages keep an exact, monotone map ------------------------------------

CJK_ALPHABET = "青禾县新材料产业链推进会召开碳纤维特种玻璃项目投资企业园区经济开发两条配套引进加快重点实施计划全今年议指出围绕华有限公司万吨尽大镇村"
TRADITIONAL_ALPHABET = "縣產業鏈項開會經濟發區"
LATIN_ALPHABET = "AB36"
PLAIN_NOISE = [" ", "  ", "\u3000", "\xa0", "\t", "\n", "\n\n", "\r\n", "\n \n"]
MARKUP_NOISE = PLAIN_NOISE + ["<b>", "</b>", '<span class="x">', "</span>", "<br>", "<br/>", "&nbsp;", "&amp;",
                              "&ldquo;", "&rdquo;", "<!-- 注 -->"]
PLAIN_SEPARATORS = ["\n", "\n\n", "\r\n\r\n", "\n\u3000\n"]
MARKUP_SEPARATORS = ["\n", "</p><p>", "<br>", "</div>\n<div>", "\n<p>"]


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    """One paragraph: sentences of CJK (some traditional, some Latin or digits) with inner and final punctuation."""
    sentences = draw(st.lists(
        st.tuples(
            st.text(st.sampled_from(CJK_ALPHABET + TRADITIONAL_ALPHABET + LATIN_ALPHABET), min_size=2, max_size=24),
            st.sampled_from(["", ",", "、", ",", "，"]),
            st.text(st.sampled_from(CJK_ALPHABET), min_size=0, max_size=12),
            st.sampled_from(["。", "！", "？", "", "。"]),
        ),
        min_size=1, max_size=4,
    ))
    return "".join(a + inner + b + end for a, inner, b, end in sentences)


def _noisy(draw: st.DrawFn, text: str, markup: bool) -> str:
    """``text`` with noise inserted at random places and, in HTML, some characters written as entities."""
    noise = MARKUP_NOISE if markup else PLAIN_NOISE
    inserts = draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(noise)), max_size=8))
    chars = list(text)
    if markup:
        for position in draw(st.lists(st.integers(0, len(text) - 1), max_size=3)):
            code = ord(text[position])
            chars[position] = draw(st.sampled_from([f"&#{code};", f"&#x{code:X};", f"&#x{code:x};"]))
    for position, piece in sorted(inserts, reverse=True):
        chars.insert(position, piece)
    return "".join(chars)


@st.composite
def noisy_page(draw: st.DrawFn, markup: bool) -> str:
    """A page of paragraphs, some repeated whole or truncated, with OCR noise (and HTML when ``markup``)."""
    paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=5))
    copies = draw(st.lists(st.tuples(st.integers(0, len(paragraphs) - 1), st.integers(20, 120)), max_size=2))
    paragraphs += [paragraphs[index][:cut] for index, cut in copies]
    separators = MARKUP_SEPARATORS if markup else PLAIN_SEPARATORS
    body = "".join(draw(st.sampled_from(separators)) + _noisy(draw, text, markup) for text in paragraphs)
    return f"<html><head><title>青禾</title></head><body><p>{body}</p></body></html>" if markup else body


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_page(offsets: OffsetCheck, text: str, markup: bool, data: st.DataObject) -> None:
    document = document_from_bytes(text.encode("utf-8"), "page.html" if markup else "page.txt", ".html" if markup else ".txt")
    assert document.original == text
    offsets.exact(text, document.clean, markup=markup)
    clean = document.clean.text
    if not clean:
        return
    for _ in range(3):
        start = data.draw(st.integers(0, len(clean) - 1))
        end = data.draw(st.integers(start + 1, len(clean)))
        offsets.span(text, document.clean, start, end, markup=markup, repeats=document.dropped_paragraphs > 0)


@PROPERTY
@given(text=noisy_page(markup=False), data=st.data())
def test_property_plain_pages_keep_an_exact_map(offsets: OffsetCheck, text: str, data: st.DataObject) -> None:
    _check_page(offsets, text, False, data)


@PROPERTY
@given(text=noisy_page(markup=True), data=st.data())
def test_property_html_pages_keep_an_exact_map(offsets: OffsetCheck, text: str, data: st.DataObject) -> None:
    _check_page(offsets, text, True, data)


# --- the five seed pages ------------------------------------------------------------------------

SEED_NAMES = sorted(path.name for path in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    """The seed pages read once: name -> Document."""
    return {name: read_document(SEEDS / name, SEEDS) for name in SEED_NAMES}


def test_there_are_five_seed_pages() -> None:
    assert SEED_NAMES == ["000_6235c91095529e22.txt", "001_21101baec822737d.txt", "002_ebd8ed2b83fc6796.txt",
                          "003_6dfec295fe03cf79.txt", "004_c870d1137ca02fab.txt"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_page_map_is_exact(name: str, seeds: dict[str, Document], offsets: OffsetCheck) -> None:
    document = seeds[name]
    offsets.exact(document.original, document.clean)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_no_cjk_space_cjk_left(name: str, seeds: dict[str, Document]) -> None:
    document = seeds[name]
    # Every page has such spaces (grep counted 6, 5, 5, 316 and 20 in the five originals) and none survive.
    assert CJK_SPACE_CJK.search(document.original)
    assert CJK_SPACE_CJK.findall(document.clean.text) == []


@pytest.mark.parametrize(
    ("name", "broken", "joined"),
    [
        # Each found by reading the page: a body line cut mid-word, a blank line, the rest of the word.
        ("000_6235c91095529e22.txt", "自主或联合建立技术\n\n中心、设计中心", "自主或联合建立技术中心、设计中心"),
        ("001_21101baec822737d.txt", "聚焦主责\n\n主业,持续加强", "聚焦主责主业,持续加强"),
        ("002_ebd8ed2b83fc6796.txt", "大会上,荷\n\n泽高新区", "大会上,荷泽高新区"),
        ("003_6dfec295fe03cf79.txt", "金山湾片区已\n\n有序开展", "金山湾片区已有序开展"),
        ("003_6dfec295fe03cf79.txt", "产业强则经济 强。", "产业强则经济强。"),
        ("004_c870d1137ca02fab.txt", "要坚持强化协\n\n同、提升能级", "要坚持强化协同、提升能级"),
        ("004_c870d1137ca02fab.txt", "经济运\n\n行;坚持规划引领", "经济运行;坚持规划引领"),
    ],
)
def test_lines_broken_mid_sentence_are_joined(name: str, broken: str, joined: str, seeds: dict[str, Document]) -> None:
    document = seeds[name]
    assert broken in document.original
    assert joined in document.clean.text
    index = document.clean.text.index(joined)
    start, end = document.clean.original_span(index, index + len(joined))
    assert document.original[start:end] == broken


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        # A headline after a byline, and a 本报讯 lead after a subtitle, stay on their own lines.
        ("004_c870d1137ca02fab.txt", "记者 黄敬峰\n\n\n\n大项目建设如火如荼", "记者黄敬峰\n大项目建设如火如荼"),
        ("001_21101baec822737d.txt", "在全市抓改革创新促高质量发展工作大局中展现组工担当\n\n本报讯",
         "在全市抓改革创新促高质量发展工作大局中展现组工担当\n本报讯"),
    ],
)
def test_headlines_and_leads_are_not_joined(name: str, before: str, after: str, seeds: dict[str, Document]) -> None:
    document = seeds[name]
    assert before in document.original
    assert after in document.clean.text


def test_repeated_paragraphs_of_004_appear_once(seeds: dict[str, Document]) -> None:
    document = seeds["004_c870d1137ca02fab.txt"]
    original, clean = document.original, document.clean.text
    repeated = "据悉,2021年度,牡丹区创业担保贷款工作走在全市前列"
    speech = "牡丹区人社局局长张绍斌指出,在今后工作中"
    speech_end = "推动全区创业贷款和创业就业工作再上新台阶。"
    # Counted by hand in the original, in page order: 据悉 paragraph, speech, the 据笔者了解 variant
    # (the 据悉 paragraph with its opening clause reworded), speech again, 据悉 again, and a copy of
    # the speech cut off at the end of the page (three starts, two ends).
    assert original.count(repeated) == 2
    assert original.count(speech) == 3 and original.count(speech_end) == 2
    assert original.count("据笔者了解,2021年度") == 1
    assert document.dropped_paragraphs == 4
    assert clean.count(repeated) == 1
    assert clean.count(speech) == 1 and clean.count(speech_end) == 1
    # The reworded variant repeats the report word for word after its opening clause: dropped.
    assert clean.count("据笔者了解,2021年度") == 0
    # The page ends with the first copy of the speech, not with the truncated one.
    assert clean.endswith(speech_end)


@pytest.mark.parametrize("name", ["000_6235c91095529e22.txt", "001_21101baec822737d.txt",
                                  "002_ebd8ed2b83fc6796.txt", "003_6dfec295fe03cf79.txt"])
def test_pages_without_repeats_drop_nothing(name: str, seeds: dict[str, Document]) -> None:
    assert seeds[name].dropped_paragraphs == 0
