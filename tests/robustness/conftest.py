"""What the robustness tests share: the real ``kg`` command, pages composed for them, the README's exit codes.

The pages are news written for these tests about real counties (费县, 寿光市, 平阴县, 商河县,
莒县, 东莞市, 台中市) and firms that do not exist; nothing is copied from the sample pages.
Administrative codes quoted in the tests were looked up by hand in ``kg/data/places.tsv.gz``
(GB/T 2260 for the mainland, the gazetteer's own ``X`` codes for Hong Kong, Macao and Taiwan).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
KG = Path(sys.executable).with_name("kg")

# Two good pages. 费县 is 371325 (临沂市 3713), 寿光市 is 370783 (潍坊市 3707).
FEIXIAN = (
    "费县木业产业链推进会召开\n"
    "\n"
    "本报讯（记者 张晓明）4月8日,费县木业产业链推进会在县政府召开。县委副书记、县长王建国出席会议并讲话。\n"
    "\n"
    "会议指出,要以费县鲁南木业有限公司为链主企业,推动年产50万立方米板材项目尽快投产。\n"
)
SHOUGUANG = (
    "寿光市蔬菜种业产业链链长制工作会议召开\n"
    "\n"
    "本报讯（通讯员 刘海燕）9月6日,寿光市召开蔬菜种业产业链链长制工作会议。\n"
    "\n"
    "会议确定寿光蔬菜种业集团有限公司为链主企业,推进总投资8亿元的种苗繁育基地项目建设。\n"
)

# One signing report, told of a different county and firm for each encoding or form of a page.
SIGNING = (
    "{place}新材料产业链项目签约\n"
    "\n"
    "本报讯 3月{day}日,{place}与{firm}签约,{firm}将投资6亿元建设年产两万吨碳纤维项目。县长刘志强出席签约仪式。\n"
)

# Traditional-character pages (as Hong Kong and Taiwan papers print them), written by hand.
DONGGUAN_TRADITIONAL = (
    "東莞市新一代電子信息產業鏈推進會召開\n"
    "\n"
    "本報訊（記者 陳嘉欣）5月12日，東莞市新一代電子信息產業鏈推進會在松山湖召開。市委副書記、市長呂成蔚出席會議並講話。\n"
    "\n"
    "會議指出，要發揮鏈主企業帶動作用，推動東莞華科精密電子有限公司年產三百萬套智能終端模組項目儘快投產。"
    "市工業和信息化局局長黃志強介紹了產業鏈發展情況。\n"
)
TAICHUNG_TRADITIONAL = (
    "臺中市精密機械產業鏈座談會舉行\n"
    "\n"
    "本報訊 6月3日，臺中市精密機械產業鏈座談會在臺中市政府舉行。臺中市經濟發展局局長張振豪出席並致辭。\n"
    "\n"
    "張振豪表示，將支持臺中精機股份有限公司擴建智慧工廠，帶動上下游配套企業發展。\n"
)


@dataclass(frozen=True)
class Run:
    """A finished ``kg`` command: its exit code and what it printed."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def kg(*args: str | Path, timeout: float = 180) -> Run:
    """Run the installed ``kg`` script with ``args`` and wait for it (a hang fails the test, it does not stall it)."""
    words = tuple(str(arg) for arg in args)
    done = subprocess.run([str(KG), *words], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    return Run(words, done.returncode, done.stdout, done.stderr)


def records(build_dir: Path, name: str) -> list[dict[str, Any]]:
    """The JSON lines of ``nodes.jsonl`` or ``edges.jsonl`` of a build."""
    return [json.loads(line) for line in (build_dir / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def summary(build_dir: Path) -> dict[str, Any]:
    """A build's ``summary.json``."""
    return json.loads((build_dir / "summary.json").read_text(encoding="utf-8"))


def readme_exit_codes() -> dict[int, str]:
    """The exit-code table of README.md (``| code | meaning |``), read from the file every time."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1]
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", section.split("\n\n|", 1)[-1], re.MULTILINE)
    table = {int(code): meaning for code, meaning in rows}
    assert table, "README.md has no exit-code table under '### Exit codes'"
    return table


def exit_code(meaning: str) -> int:
    """The README's code for the one row whose meaning contains ``meaning``."""
    found = [code for code, text in readme_exit_codes().items() if meaning in text]
    assert len(found) == 1, f"README exit codes: {len(found)} rows mention {meaning!r}"
    return found[0]


def one_line_error(run: Run, *names: str) -> str:
    """The single stderr line of a failed command, checked: ``kg: error: …`` naming each of ``names``, no traceback."""
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    line = lines[0]
    assert line.startswith("kg: error: "), line
    for name in names:
        assert name in line, (name, line)
    return line


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), to show that nothing in it changed."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def numbered_page(number: int) -> str:
    """A short page that differs from every other by its number (for corpora of many pages and for big files)."""
    return (
        f"费县木业产业链第{number}次调度会召开\n"
        "\n"
        f"本报讯 4月8日,费县召开木业产业链第{number}次调度会。县委副书记、县长王建国出席会议并讲话。"
        f"会议要求,以费县鲁南木业有限公司为链主企业,推动第{number}号板材项目尽快投产,全年计划完成投资{number % 50 + 3}亿元。\n"
    )
