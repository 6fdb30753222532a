"""HTML pages to text with an exact map back (``kg.ingest.markup``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.ingest.markup import looks_like_html, strip_html

if TYPE_CHECKING:
    from conftest import OffsetCheck

# Composed for the test: a head with a title and a style, a comment, a script holding a fake paragraph,
# named, decimal and hexadecimal entities, inline and block tags.
HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>青禾新闻网</title><style>p { color: red }</style></head>\n"
    "<body><h1>青禾县碳纤维<b>产业链</b>签约</h1><!-- 广告位 -->\n"
    "<p>本报讯&nbsp;青禾县与&ldquo;华材&rdquo;公司签约,总投资12亿元&amp;年产两万吨。</p>\n"
    "<script>document.write('<p>不应出现</p>')</script>"
    "<p>项目&#x5EFA;成后年产值&#36229;过30亿元。<br/>A&amp;B</p></body></html>"
)


def test_tags_are_stripped_and_entities_decoded() -> None:
    mapped = strip_html(HTML_PAGE)
    # Read off the page by hand: block tags (h1, p, br, body?) become line breaks, inline <b> vanishes,
    # head/style/script/comment/doctype vanish with their content.
    text = mapped.text
    assert "青禾县碳纤维产业链签约" in text
    assert "本报讯\xa0青禾县与“华材”公司签约,总投资12亿元&年产两万吨。" in text  # &nbsp; is U+00A0
    assert "项目建成后年产值超过30亿元。\nA&B" in text  # &#x5EFA; = 建, &#36229; = 超
    for hidden in ("青禾新闻网", "color", "广告位", "不应出现", "document.write", "DOCTYPE"):
        assert hidden not in text


def test_every_character_maps_back_to_its_source(offsets: OffsetCheck) -> None:
    mapped = strip_html(HTML_PAGE)
    offsets.exact(HTML_PAGE, mapped, markup=True)


def test_entity_and_block_tag_offsets() -> None:
    mapped = strip_html(HTML_PAGE)
    # The character 建 comes from the whole entity "&#x5EFA;".
    index = mapped.text.index("建成后")
    start, end = mapped.original_span(index, index + 1)
    assert HTML_PAGE[start:end] == "&#x5EFA;"
    # The line break before "A&B" comes from the <br/> tag.
    newline = mapped.text.index("\nA&B")
    start, end = mapped.original_span(newline, newline + 1)
    assert HTML_PAGE[start:end] == "<br/>"
    # A span over a decoded entity and an inline tag covers both in the original.
    index = mapped.text.index("碳纤维产业链")
    start, end = mapped.original_span(index, index + 6)
    assert HTML_PAGE[start:end] == "碳纤维<b>产业链"


def test_plain_text_is_mapped_one_to_one() -> None:
    text = "青禾县 3<5 的说法不是标签,a & b 也不是实体。"
    mapped = strip_html(text)
    # No tag or entity: the text passes unchanged, each character to itself.
    assert mapped.text == text
    assert mapped.starts.tolist() == list(range(len(text)))
    assert mapped.ends.tolist() == list(range(1, len(text) + 1))


def test_looks_like_html() -> None:
    assert looks_like_html(HTML_PAGE)
    assert looks_like_html("  <BODY><p>青禾县</p></BODY>")
    assert not looks_like_html("青禾县新材料产业链推进会召开。<这不是网页>")
