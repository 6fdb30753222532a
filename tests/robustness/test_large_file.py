"""A 50 MB page: read in bounded time and memory, every paragraph kept, offsets exact to the end.

A full ``kg build`` of 50 MB takes far more than a test may (extraction runs at roughly 25 000
characters a second here, and one document is one unit of work, so ``--jobs`` does not help), so
the 50 MB file goes through the ingest layer (``kg.ingest.document_from_bytes``: decode, clean-up,
articles) in a subprocess, and a 1 MB file of the same paragraphs through the whole ``kg build``,
both at once. Each subprocess reports its own peak memory (``ru_maxrss``). The paragraphs differ
by a counter but all open with the same 20 characters (the length the repeated-paragraph check
indexes on): the clean-up was quadratic in such pages (2 MB took 2 s, so 50 MB would have taken
some 20 minutes) until that check became a binary search. A notice repeated before every thousandth paragraph must be dropped
each time but the first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.robustness.conftest import FEIXIAN, ROOT, records, summary

MB = 1_000_000
FIRM = "费县鲁南木业有限公司"
NOTICE = "费县融媒体中心出品，欢迎关注费县发布微信公众号获取更多木业产业链资讯。"
# Paragraph i; its first 20 characters are the same for every i.
OPENING = "会议纪要：费县木业产业链链长制工作专班第"


def _paragraph(number: int) -> str:
    return (f"{OPENING}{number}项调度事项，由县工业和信息化局牵头，推动{FIRM}第{number}号"
            f"年产{number % 90 + 10}万立方米板材项目尽快投产，计划投资{number % 50 + 3}亿元。\n")


def _page(size: int) -> tuple[str, int]:
    """A page of at least ``size`` UTF-8 bytes: a headline and the notice before every thousandth paragraph."""
    parts: list[str] = []
    total = number = 0
    while total < size:
        if number % 1000 == 0:
            parts += [f"费县木业产业链调度简报第{number // 1000 + 1}期\n", NOTICE + "\n"]
        parts.append(_paragraph(number))
        total += len(parts[-1].encode("utf-8"))
        number += 1
    return "".join(parts), number


# Runs kg.ingest on one file and prints what the test checks, with this process's peak memory.
INGEST = """
import json, resource, sys, time
from pathlib import Path
from kg.ingest import document_from_bytes
data = Path(sys.argv[1]).read_bytes()
started = time.perf_counter()
document = document_from_bytes(data, "big.txt", ".txt")
seconds = time.perf_counter() - started
clean, firm = document.clean, sys.argv[2]
spans = [clean.original_span(at, at + len(firm)) for at in (clean.text.index(firm), clean.text.rindex(firm))]
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "original": len(document.original), "firm": clean.text.count(firm), "notice": clean.text.count(sys.argv[3]),
                  "dropped": document.dropped_paragraphs, "spans": spans, "encoding": document.encoding}))
"""

# Runs the kg command in this process and prints its peak memory last on stderr (extraction runs here with --jobs 1).
KG_WITH_PEAK = """
import json, resource, sys
from kg.cli import main
try:
    main(sys.argv[1:], prog_name="kg")
finally:
    print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""


@dataclass(frozen=True)
class Large:
    """The two runs: the 50 MB ingest's report, and the 1 MB build with its page and peak memory."""

    ingest: dict[str, Any]
    text: str
    paragraphs: int
    build_out: Path
    build_page: str
    build_paragraphs: int
    build_returncode: int
    build_stderr: str
    build_peak_mib: float


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Large:
    root = tmp_path_factory.mktemp("large")
    text, paragraphs = _page(50 * MB)
    big = root / "big.txt"
    big.write_text(text, encoding="utf-8")
    corpus = root / "corpus"
    corpus.mkdir()
    page, page_paragraphs = _page(1 * MB)
    (corpus / "big.txt").write_text(page, encoding="utf-8")
    (corpus / "feixian.txt").write_text(FEIXIAN, encoding="utf-8")
    out = root / "out"
    build = subprocess.Popen([sys.executable, "-c", KG_WITH_PEAK, "build", str(corpus), "--out", str(out), "--no-store"],
                             cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ingest = subprocess.run([sys.executable, "-c", INGEST, str(big), FIRM, NOTICE], cwd=ROOT, text=True,
                            capture_output=True, timeout=300)
    _stdout, stderr = build.communicate(timeout=300)
    assert ingest.returncode == 0, ingest.stderr
    *messages, peak = stderr.splitlines()
    return Large(json.loads(ingest.stdout), text, paragraphs, out, page, page_paragraphs, build.returncode,
                 "\n".join(messages), json.loads(peak)["peak_mib"])


def test_the_50mb_file_is_50mb_of_distinct_paragraphs(large: Large) -> None:
    assert len(large.text.encode("utf-8")) >= 50 * MB
    assert large.text.count(OPENING) == large.paragraphs > 200_000
    assert large.ingest["original"] == len(large.text) and large.ingest["encoding"] == "utf-8"


def test_50mb_are_read_in_bounded_time_and_memory(large: Large) -> None:
    # Measured here: about 8 s alone (18 s beside the build) and 950 MiB (the text is held a few times over, with two 8-byte offsets
    # per character). The bounds leave room for a slower machine, not for another quadratic step.
    assert large.ingest["seconds"] < 60, large.ingest
    assert large.ingest["peak_mib"] < 2000, large.ingest


def test_50mb_keep_every_paragraph_and_drop_each_repeat_of_the_notice(large: Large) -> None:
    repeats = large.text.count(NOTICE) - 1
    assert repeats > 200
    assert large.ingest["dropped"] == repeats and large.ingest["notice"] == 1
    assert large.ingest["firm"] == large.paragraphs  # named once in each paragraph, none lost


def test_50mb_offsets_are_exact_from_first_to_last_paragraph(large: Large) -> None:
    first, last = large.text.index(FIRM), large.text.rindex(FIRM)
    assert large.ingest["spans"] == [[first, first + len(FIRM)], [last, last + len(FIRM)]]
    assert len(large.text) - last < 100  # in the last paragraph, past every dropped notice


def test_a_1mb_file_is_built_whole_next_to_a_small_page(large: Large) -> None:
    assert large.build_returncode == 0, large.build_stderr
    assert large.build_stderr == ""
    built = summary(large.build_out)
    assert built["documents"]["read"] == 2 and built["skipped"] == []
    firm = [n for n in records(large.build_out, "nodes.jsonl") if n["label"] == "Enterprise" and n["name"] == FIRM]
    assert len(firm) == 1
    in_big = sorted(m["start"] for m in firm[0]["mentions"] if m["doc"] == "big.txt")
    assert len(in_big) == large.build_paragraphs  # one mention per paragraph, through every article of the page
    assert in_big[-1] == large.build_page.rindex(FIRM)
    assert any(m["doc"] == "feixian.txt" for m in firm[0]["mentions"])


def test_a_1mb_build_stays_within_sane_memory(large: Large) -> None:
    # Measured here: about 300 MiB for a build of one short page (the pipeline and gazetteers), about 410 MiB with this file.
    assert large.build_peak_mib < 1000
