"""Dirty corpora through the real ``kg build``: every bad file is skipped with a reason naming it, every other is built.

One corpus holds every kind of bad file next to two good pages, pages in every encoding users send,
an HTML page and two traditional-character pages, and is built once by the installed ``kg`` script in
a subprocess (a file that makes the build hang fails the test through the timeout). Offsets are
checked against the texts the test itself encoded, so a mention's slice of the decoded original must
be the name as written, whatever the bytes on disk.
"""

from __future__ import annotations

import codecs
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.robustness.conftest import (
    DONGGUAN_TRADITIONAL,
    FEIXIAN,
    SHOUGUANG,
    SIGNING,
    TAICHUNG_TRADITIONAL,
    Run,
    kg,
    records,
    summary,
)

# A PNG signature, a header chunk and deflated data: what a picture renamed .txt holds.
PICTURE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + zlib.compress(bytes(range(256)) * 4)

# (file, county, firm, day) of the signing report in each encoding; the firm is what the offsets are checked on.
GB18030 = ("encodings/gb18030.txt", "平阴县", "济南华材新材料有限公司", 10)
UTF16 = ("encodings/utf16-bom.txt", "商河县", "山东碳谷科技有限公司", 11)
UTF8_BOM = ("encodings/utf8-bom.txt", "莒县", "日照玻纤复合材料有限公司", 12)
DAMAGED = ("encodings/damaged-utf8.txt", "沂水县", "沂水恒泰新材料有限公司", 13)
HTML = ("encodings/page.html", "蒙阴县", "蒙阴卓越碳材料有限公司", 14)
# 㙟 (U+365F) is outside GBK and takes four bytes in GB18030: the page is GB18030 proper, not GBK.
GB18030_PREFIX = "㙟头村讯 "


def _signing(case: tuple[str, str, str, int]) -> str:
    _name, place, firm, day = case
    return SIGNING.format(place=place, firm=firm, day=day)


def _html_page(text: str) -> str:
    """``text`` as a web page: a head, a script, block tags, an entity and the firm in bold."""
    title, _, body = text.partition("\n\n")
    body = body.strip().replace(HTML[2], f"<b>{HTML[2]}</b>", 1).replace("签约", "&#31614;约", 1)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<script>var page = '{title}';</script></head>\n<body><h1>{title}</h1>\n<p>{body}</p>\n</body></html>\n")


@dataclass(frozen=True)
class Matrix:
    """The built matrix corpus: the run, its build directory, and the decoded original of each built page."""

    run: Run
    out: Path
    originals: dict[str, str]

    def node(self, label: str, name: str) -> dict[str, Any]:
        found = [n for n in records(self.out, "nodes.jsonl") if n["label"] == label and n["name"] == name]
        assert len(found) == 1, (label, name, len(found))
        return found[0]

    def slices(self, node: dict[str, Any], doc: str) -> list[str]:
        """What each mention of ``node`` in ``doc`` covers of that document's decoded original."""
        return [self.originals[doc][m["start"] : m["end"]] for m in node["mentions"] if m["doc"] == doc]


# (document, reason) of every file the build must skip, in corpus order.
SKIPS = [
    ("bad/blank.txt", "only whitespace"),
    ("bad/broken-link.txt", "cannot be read (a broken symbolic link)"),
    ("bad/empty.txt", "empty file"),
    ("bad/picture.txt", "binary content, not text"),
    ("bad/pipe.txt", "cannot be read (a named pipe, not a regular file)"),
    ("same/feixian.txt", "same content as good/feixian.txt"),
]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    root = tmp_path_factory.mktemp("matrix")
    corpus = root / "corpus"
    for folder in ("good", "bad", "same", "encodings", "traditional"):
        (corpus / folder).mkdir(parents=True)
    originals: dict[str, str] = {}

    def put(name: str, text: str, data: bytes) -> None:
        (corpus / name).write_bytes(data)
        originals[name] = text

    put("good/feixian.txt", FEIXIAN, FEIXIAN.encode("utf-8"))
    put("good/shouguang.txt", SHOUGUANG, SHOUGUANG.encode("utf-8"))
    (corpus / "same/feixian.txt").write_bytes(FEIXIAN.encode("utf-8"))
    (corpus / "bad/empty.txt").write_bytes(b"")
    (corpus / "bad/blank.txt").write_text(" \n\u3000\u3000\n\t\r\n  \n", encoding="utf-8")
    (corpus / "bad/picture.txt").write_bytes(PICTURE)
    (corpus / "bad/broken-link.txt").symlink_to(root / "moved-away.txt")
    os.mkfifo(corpus / "bad/pipe.txt")  # nothing ever writes to it: reading it would block for ever
    (corpus / "bad/notes.pdf").write_bytes(b"%PDF-1.4\n")  # not a document suffix: not read, not counted

    text = GB18030_PREFIX + _signing(GB18030)
    put(GB18030[0], text, text.encode("gb18030"))
    text = _signing(UTF16)
    put(UTF16[0], text, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    text = _signing(UTF8_BOM)
    put(UTF8_BOM[0], text, codecs.BOM_UTF8 + text.encode("utf-8"))
    # Three stray bytes in a UTF-8 page: 0xFF and 0xFE can start no UTF-8 sequence, so each decodes to one U+FFFD.
    text = _signing(DAMAGED)
    head, tail = text.split("签约,", 1)
    put(DAMAGED[0], f"{head}\ufffd签约,\ufffd\ufffd{tail}",
        head.encode("utf-8") + b"\xff" + "签约,".encode("utf-8") + b"\xfe\xfe" + tail.encode("utf-8"))
    text = _html_page(_signing(HTML))
    put(HTML[0], text, text.encode("utf-8"))
    put("traditional/dongguan.txt", DONGGUAN_TRADITIONAL, DONGGUAN_TRADITIONAL.encode("utf-8"))
    put("traditional/taichung.txt", TAICHUNG_TRADITIONAL, TAICHUNG_TRADITIONAL.encode("big5"))

    out = root / "out"
    run = kg("build", corpus, "--out", out, "--no-store", timeout=240)
    assert run.returncode == 0, run.stderr
    yield Matrix(run, out, originals)


def test_every_bad_file_is_a_counted_skip_with_its_reason(matrix: Matrix) -> None:
    built = summary(matrix.out)
    assert built["skipped"] == [{"doc": doc, "reason": reason} for doc, reason in SKIPS]
    assert built["documents"]["skipped"] == len(SKIPS)
    assert built["documents"]["read"] == len(matrix.originals) == 9


def test_the_summary_on_stdout_names_each_skipped_file(matrix: Matrix) -> None:
    lines = matrix.run.stdout.splitlines()
    assert lines[0].startswith(f"built {matrix.out.parent / 'corpus'}: 9 documents read, {len(SKIPS)} skipped ")
    assert [line for line in lines if line.startswith("  skipped ")] == [f"  skipped {doc}: {reason}" for doc, reason in SKIPS]


def test_each_unreadable_file_is_one_warning_line_on_stderr(matrix: Matrix) -> None:
    # The duplicate is no warning: nothing is wrong with it, it is reported in the summary only.
    assert "Traceback" not in matrix.run.stderr
    assert matrix.run.stderr.splitlines() == [f"kg: WARNING: {doc}: {reason}" for doc, reason in SKIPS[:-1]]


def test_good_pages_are_built_next_to_the_bad_ones(matrix: Matrix) -> None:
    feixian = matrix.node("Place", "费县")
    assert feixian["props"]["admin_code"] == "371325000000" and feixian["props"]["parent"] == "临沂市"
    firm = matrix.node("Enterprise", "费县鲁南木业有限公司")
    at = FEIXIAN.index("费县鲁南木业有限公司")
    assert {"doc": "good/feixian.txt", "start": at, "end": at + 10} in firm["mentions"]
    assert matrix.node("Place", "寿光市")["props"]["admin_code"] == "370783000000"
    firm = matrix.node("Enterprise", "寿光蔬菜种业集团有限公司")
    at = SHOUGUANG.index("寿光蔬菜种业集团有限公司")
    assert {"doc": "good/shouguang.txt", "start": at, "end": at + 12} in firm["mentions"]
    assert "chain_master" in firm["props"]["roles"]


def test_no_skipped_file_is_anywhere_in_the_graph(matrix: Matrix) -> None:
    docs = {m["doc"] for n in records(matrix.out, "nodes.jsonl") for m in n["mentions"]}
    docs |= {e["doc"] for edge in records(matrix.out, "edges.jsonl") for e in edge["evidence"]}
    assert docs == set(matrix.originals)  # every built page contributes; no skipped one (nor the duplicate) does


@pytest.mark.parametrize("case", [GB18030, UTF16, UTF8_BOM, DAMAGED, HTML], ids=lambda case: case[0].split("/")[1])
def test_offsets_point_into_the_decoded_original(matrix: Matrix, case: tuple[str, str, str, int]) -> None:
    doc, place, firm, _day = case
    original = matrix.originals[doc]
    node = matrix.node("Enterprise", firm)
    first = original.index(firm)  # a character offset of the decoded text, computed here from the text the test wrote
    assert {"doc": doc, "start": first, "end": first + len(firm)} in node["mentions"]
    assert set(matrix.slices(node, doc)) == {firm}
    # The county is named alone and, without its 县, at the head of the firm's name.
    assert place in matrix.slices(matrix.node("Place", place), doc)
    assert set(matrix.slices(matrix.node("Place", place), doc)) <= {place, place[:-1]}
    if doc == HTML[0]:
        assert original[first - 3 : first] == "<b>"  # the offset counts the page source, tags and all


def test_invalid_utf8_bytes_do_not_shift_later_offsets(matrix: Matrix) -> None:
    doc, _place, firm, _day = DAMAGED
    original = matrix.originals[doc]
    assert original.count("\ufffd") == 3
    # The firm is named before the first replacement character and again right after the last two.
    node = matrix.node("Enterprise", firm)
    starts = sorted(m["start"] for m in node["mentions"] if m["doc"] == doc)
    assert starts == [original.index(firm), original.rindex(firm)]
    assert original.index("\ufffd") > starts[0]
    assert original[starts[1] - 3 : starts[1]] == ",\ufffd\ufffd"


def test_every_mention_and_evidence_of_the_built_pages_lies_in_its_original(matrix: Matrix) -> None:
    for node in records(matrix.out, "nodes.jsonl"):
        for mention in node["mentions"]:
            assert 0 <= mention["start"] < mention["end"] <= len(matrix.originals[mention["doc"]]), (node["name"], mention)
    for edge in records(matrix.out, "edges.jsonl"):
        for evidence in edge["evidence"]:
            assert 0 <= evidence["start"] < evidence["end"] <= len(matrix.originals[evidence["doc"]]), evidence


# Traditional -> simplified for the names checked below, by hand (臺/台, 東/东, 莞, 呂/吕, 黃/黄, 張/张, …).
DONGGUAN_NAMES = [
    ("Chain", "新一代电子信息", "新一代電子信息"),
    ("Person", "吕成蔚", "呂成蔚"),
    ("Person", "黄志强", "黃志強"),
    ("Enterprise", "东莞华科精密电子有限公司", "東莞華科精密電子有限公司"),
]
TAICHUNG_NAMES = [
    ("Place", "台中市", "臺中市"),
    ("Chain", "精密机械", "精密機械"),
    ("Person", "张振豪", "張振豪"),
    ("Organization", "台中市经济发展局", "臺中市經濟發展局"),
    ("Enterprise", "台中精机股份有限公司", "臺中精機股份有限公司"),
]


@pytest.mark.parametrize(("doc", "names"), [("traditional/dongguan.txt", DONGGUAN_NAMES),
                                            ("traditional/taichung.txt", TAICHUNG_NAMES)], ids=["utf-8", "big5"])
def test_traditional_pages_are_matched_simplified_with_provenance_on_the_traditional_text(
        matrix: Matrix, doc: str, names: list[tuple[str, str, str]]) -> None:
    for label, simplified, written in names:
        node = matrix.node(label, simplified)
        slices = matrix.slices(node, doc)
        # a chain's mention may span its 產業鏈 suffix too (the tagger's spans do; the name drops it either way)
        forms = {written, written + "產業鏈"} if label == "Chain" else {written}
        assert slices and set(slices) <= forms, (label, simplified, slices)
        form = slices[0]
        first = matrix.originals[doc].index(form)
        assert {"doc": doc, "start": first, "end": first + len(form)} in node["mentions"]


def test_traditional_pages_give_places_people_with_titles_and_chains(matrix: Matrix) -> None:
    dongguan = [n for n in records(matrix.out, "nodes.jsonl") if n["label"] == "Place" and n["name"] == "东莞市"]
    assert len(dongguan) == 1
    assert dongguan[0]["props"]["admin_code"] in {"441900000000"}  # 东莞市 has no counties: its city code
    assert set(matrix.slices(dongguan[0], "traditional/dongguan.txt")) <= {"東莞市", "東莞", "市"}
    # 台中市 is 710400000000 in the gazetteer: Taiwan's GB/T 2260 province digits 71, then its fourth city in the source.
    taichung = matrix.node("Place", "台中市")
    assert taichung["props"]["admin_code"] == "710400000000"
    official = matrix.node("Person", "张振豪")
    assert official["props"]["titles"] == ["局长"] and official["props"]["org"] == "台中市经济发展局"
    assert matrix.node("Person", "黄志强")["props"]["titles"] == ["局长"]
    mayor = matrix.node("Person", "吕成蔚")
    assert "市长" in mayor["props"]["titles"]
    titles = {n["props"]["title"] for n in records(matrix.out, "nodes.jsonl") if n["label"] == "Article"}
    assert {"东莞市新一代电子信息产业链推进会召开", "台中市精密机械产业链座谈会举行"} <= titles
