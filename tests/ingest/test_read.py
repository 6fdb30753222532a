"""Finding documents and decoding their bytes (``kg.ingest.read``).

Every fixture is made here from the composed 青禾县 page (``conftest.PAGE``): the
expected text of a decode is always that page itself, so no expected value
comes from the decoder's own output.
"""

from __future__ import annotations

import codecs
import gzip
import struct
from pathlib import Path

import pytest

from kg.errors import DocumentError, InputError
from kg.ingest.read import decode, discover, read_document_bytes

# A name with a character GBK lacks (㙟, U+365F, four bytes in GB18030), checked with str.encode by hand.
GB18030_ONLY = "㙟头村党支部书记王军说,"


def _encodings(page: str) -> list[tuple[str, bytes, str]]:
    """(case, bytes, encoding label the decoder must report) for every encoding users send."""
    return [
        ("utf-8", page.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", codecs.BOM_UTF8 + page.encode("utf-8"), "utf-8 with BOM"),
        ("gbk", page.encode("gbk"), "gb18030"),
        ("gb18030", (GB18030_ONLY + page).encode("gb18030"), "gb18030"),
        ("utf-16 LE with BOM", codecs.BOM_UTF16_LE + page.encode("utf-16-le"), "utf-16"),
        ("utf-16 BE with BOM", codecs.BOM_UTF16_BE + page.encode("utf-16-be"), "utf-16"),
    ]


@pytest.mark.parametrize("case", ["utf-8", "utf-8 with BOM", "gbk", "gb18030", "utf-16 LE with BOM", "utf-16 BE with BOM"])
def test_every_encoding_decodes_to_the_page(case: str, page: str) -> None:
    data, label = next((d, lab) for c, d, lab in _encodings(page) if c == case)
    decoded = decode(data, f"{case}.txt")
    expected = GB18030_ONLY + page if case == "gb18030" else page
    assert decoded.text == expected  # the BOM is not part of the text
    assert decoded.encoding == label
    assert decoded.replaced == 0


def test_gb18030_only_character_really_is_outside_gbk() -> None:
    # The gb18030 case above means something only if GBK cannot encode the name.
    with pytest.raises(UnicodeEncodeError):
        GB18030_ONLY.encode("gbk")
    assert len("㙟".encode("gb18030")) == 4


def test_big5_traditional_page_is_decoded_as_written(traditional_page: tuple[str, str]) -> None:
    traditional, _ = traditional_page
    decoded = decode(traditional.encode("big5"), "big5.txt")
    assert decoded.encoding == "big5"
    assert decoded.text == traditional  # decoding never converts: the original stays traditional


def test_invalid_bytes_inside_utf8_are_kept_replaced_and_counted(page: str) -> None:
    data = page.encode("utf-8")
    cut = data.index("会议指出".encode("utf-8"))  # a character boundary, found by hand in the page
    damaged = data[:cut] + b"\xff" + data[cut:cut + 6] + b"\xfe" + data[cut + 6:]
    decoded = decode(damaged, "damaged.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.replaced == 2
    # Each bad byte became one U+FFFD; everything else is the page.
    assert decoded.text == page.replace("会议指出", "\ufffd会议\ufffd指出")


def test_a_page_that_is_mostly_not_utf8_is_not_read_as_utf8_with_replacements(page: str) -> None:
    # GBK bytes are invalid UTF-8 almost everywhere: they must be detected as GB18030, never "fixed" as UTF-8.
    decoded = decode(page.encode("gbk"), "gbk.txt")
    assert decoded.encoding == "gb18030" and "\ufffd" not in decoded.text


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\n\t  \r\n", "only whitespace"),
        ("\u3000\u3000\n\u3000".encode("utf-8"), "only whitespace"),  # ideographic spaces are whitespace too
        (codecs.BOM_UTF8 + b" \n", "only whitespace"),
        (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "only whitespace"),
    ],
    ids=["empty", "spaces", "ideographic-spaces", "bom-and-space", "utf16-bom-and-space"],
)
def test_empty_and_blank_files_are_refused_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(DocumentError) as caught:
        decode(data, "news/blank.txt")
    assert caught.value.path == "news/blank.txt"
    assert caught.value.problem == problem
    assert str(caught.value) == f"news/blank.txt: {problem}"


def test_binary_file_renamed_txt_is_refused(page: str) -> None:
    compressed = gzip.compress(page.encode("utf-8"))  # a real gzip stream: invalid UTF-8 and control bytes
    with pytest.raises(DocumentError) as caught:
        decode(compressed, "archive.txt")
    assert str(caught.value) == "archive.txt: binary content, not text"


def test_binary_file_that_happens_to_be_valid_utf8_is_refused() -> None:
    # 64 little-endian int32 values 0..63: every byte is below 0x80, so the bytes are valid UTF-8,
    # but three quarters of them are NUL. Such a file is binary, not a page.
    table = struct.pack("<64i", *range(64))
    table.decode("utf-8")  # really valid UTF-8
    with pytest.raises(DocumentError) as caught:
        decode(table, "table.txt")
    assert caught.value.problem == "binary content, not text"


def test_discover_is_recursive_sorted_and_keeps_only_documents(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "sub/c.HTML", "sub/deeper/d.htm", "sub/e.TXT", "notes.pdf", "image.png", "x.docx"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("青禾县", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()  # a directory with a document suffix is not a document
    found = [path.relative_to(tmp_path).as_posix() for path in discover(tmp_path)]
    # Sorted by path, suffix matched case-insensitively; pdf/png/docx and the folder left out.
    assert found == ["a.md", "b.txt", "sub/c.HTML", "sub/deeper/d.htm", "sub/e.TXT"]


def test_discover_single_file_yields_itself(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("青禾县", encoding="utf-8")
    assert list(discover(path)) == [path]


def test_discover_missing_path_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    with pytest.raises(InputError) as caught:
        list(discover(missing))
    assert str(caught.value) == f"{missing}: no such file or directory"


def test_read_document_bytes_of_a_vanished_file_names_it(tmp_path: Path) -> None:
    gone = tmp_path / "gone.txt"
    with pytest.raises(DocumentError) as caught:
        read_document_bytes(gone)
    assert caught.value.path == str(gone)
    assert caught.value.problem == "disappeared before it could be read"


def test_read_document_bytes_of_a_directory_is_a_document_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(DocumentError) as caught:
        read_document_bytes(folder)
    assert caught.value.path == str(folder)
    assert caught.value.problem.startswith("cannot be read")
