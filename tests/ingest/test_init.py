"""Whole documents from files and bytes (``kg.ingest``: ``read_document``, ``document_from_bytes``).

Every encoding of the composed 青禾县 page must give the same clean text, with
offsets into that file's own decoded text; the traditional page is matched in
simplified form while its offsets stay on the traditional original.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kg.errors import DocumentError
from kg.ingest import document_from_bytes, read_document, relative_name

if TYPE_CHECKING:
    from conftest import OffsetCheck

ENCODED = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "utf-16 LE with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16 BE with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_every_encoding_gives_the_same_document(encoding: str, page: str, offsets: OffsetCheck) -> None:
    data = ENCODED[encoding](page)
    document = document_from_bytes(data, "news/page.txt", ".txt")
    reference = document_from_bytes(page.encode("utf-8"), "news/page.txt", ".txt")
    assert document.original == page
    assert document.clean.text == reference.clean.text
    assert document.sha1 == hashlib.sha1(data).hexdigest()
    assert document.path == "news/page.txt"
    offsets.exact(document.original, document.clean)
    # The composed page: masthead 2024年3月18日 星期一, one article dated 3月15日, bylined in its lead.
    assert document.date == "2024-03-18"
    assert [(a.title, a.date, a.bylines) for a in document.articles] == [
        ("青禾县新材料产业链推进会召开", "2024-03-15", ["记者林晓晴通讯员周明远"]),
    ]


def test_firm_name_span_maps_to_the_original(page: str, offsets: OffsetCheck) -> None:
    document = document_from_bytes(codecs.BOM_UTF16_LE + page.encode("utf-16-le"), "page.txt", ".txt")
    name = "青禾华材新材料有限公司"
    index = document.clean.text.index(name)
    start, end = document.clean.original_span(index, index + len(name))
    assert document.original[start:end] == name
    assert start == page.index(name)  # offsets count characters of the decoded text, not bytes
    offsets.span(document.original, document.clean, index, index + len(name))


def test_big5_page_is_matched_simplified_offsets_on_the_traditional_text(traditional_page: tuple[str, str],
                                                                           offsets: OffsetCheck) -> None:
    traditional, simplified = traditional_page
    document = document_from_bytes(traditional.encode("big5"), "big5.txt", ".txt")
    assert document.encoding == "big5"
    assert document.original == traditional
    assert document.clean.text == document_from_bytes(simplified.encode("utf-8"), "s.txt", ".txt").clean.text
    offsets.exact(document.original, document.clean)
    for surface, written in [("青禾华材新材料有限公司扩能项目", "青禾華材新材料有限公司擴能項目"), ("县长方志诚", "縣長方志誠")]:
        index = document.clean.text.index(surface)
        start, end = document.clean.original_span(index, index + len(surface))
        assert document.original[start:end] == written
    assert document.articles[0].title == "青禾县新材料产业链推进会召开"
    assert document.articles[0].bylines == ["记者林晓晴"]


HTML = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>青禾新闻</title></head><body>\n"
    "<h2>青禾县碳纤维项目签约</h2>\n"
    "<p>本报讯（记者&nbsp;林晓晴）3月15日,青禾县与<b>青禾华材新材料有限公司</b>签约,"
    "项目&#x5EFA;成后年产值超过30亿元&amp;税收1亿元。</p>\n"
    "</body></html>"
)


@pytest.mark.parametrize(("name", "suffix"), [("page.html", ".html"), ("page.htm", ".htm"), ("page.txt", ".txt")])
def test_html_page_tags_stripped_entities_decoded_offsets_back(name: str, suffix: str, offsets: OffsetCheck) -> None:
    # A .txt file holding an HTML page is read as HTML too.
    document = document_from_bytes(HTML.encode("utf-8"), name, suffix)
    assert document.original == HTML
    assert document.clean.text == (
        "青禾县碳纤维项目签约\n"
        "本报讯（记者林晓晴）3月15日,青禾县与青禾华材新材料有限公司签约,项目建成后年产值超过30亿元&税收1亿元。"
    )
    offsets.exact(HTML, document.clean, markup=True)
    index = document.clean.text.index("建成后")
    start, end = document.clean.original_span(index, index + 3)
    assert HTML[start:end] == "&#x5EFA;成后"
    index = document.clean.text.index("与青禾华材")
    start, end = document.clean.original_span(index, index + 3)
    assert HTML[start:end] == "与<b>青禾"
    assert document.articles[0].title == "青禾县碳纤维项目签约"
    assert document.articles[0].bylines == ["记者林晓晴"]


def test_markdown_file_is_read_as_text(tmp_path: Path, offsets: OffsetCheck) -> None:
    text = "# 青禾县新材料产业链推进会召开\n\n本报讯 3月15日,**青禾县**新材料产业链推进会召开。\n\n- 碳纤维\n- 特种玻璃\n"
    (tmp_path / "notes.md").write_text(text, encoding="utf-8")
    document = read_document(tmp_path / "notes.md", tmp_path)
    assert document.path == "notes.md"
    assert document.original == text
    offsets.exact(text, document.clean)
    # Markdown marks are not text: the heading mark, the emphasis and the list bullets are gone.
    assert document.articles[0].title == "青禾县新材料产业链推进会召开"
    assert "**" not in document.clean.text and "- " not in document.clean.text
    assert "碳纤维" in document.clean.text


def test_invalid_bytes_are_kept_as_replacement_characters(page: str, offsets: OffsetCheck) -> None:
    data = page.encode("utf-8")
    cut = data.index("总投资".encode("utf-8"))
    document = document_from_bytes(data[:cut] + b"\x80" + data[cut:], "damaged.txt", ".txt")
    assert document.encoding == "utf-8"
    assert document.original == page.replace("总投资", "\ufffd总投资")
    assert "\ufffd总投资86亿元" in document.clean.text
    offsets.exact(document.original, document.clean)


def test_relative_names(tmp_path: Path) -> None:
    nested = tmp_path / "2024" / "03" / "page.txt"
    nested.parent.mkdir(parents=True)
    nested.write_text("青禾县新材料产业链推进会召开", encoding="utf-8")
    assert relative_name(nested, tmp_path) == "2024/03/page.txt"
    assert relative_name(nested, nested) == "page.txt"  # a corpus that is one file
    assert read_document(nested, tmp_path).path == "2024/03/page.txt"


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"", "empty file"), (" \n\u3000".encode("utf-8"), "only whitespace"),
     (gzip.compress("青禾县".encode("utf-8")), "binary content, not text")],
    ids=["empty", "blank", "binary"],
)
def test_unreadable_documents_name_the_file_relative_to_the_corpus(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "sub" / "bad.txt"
    path.parent.mkdir()
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert str(caught.value) == f"sub/bad.txt: {problem}"
