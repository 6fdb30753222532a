"""Builds for the export tests: a small hand-made one with known values, and the sample corpus
built once per session (whose counts the tests read from its own files, never hard-code), and
Debian's Chromium for the HTML page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")


def _node(node_id: str, label: str, name: str, props: dict[str, Any], aliases: list[str] | None = None,
          mentions: list[tuple[str, int, int]] | None = None) -> dict[str, Any]:
    return {"id": node_id, "label": label, "name": name, "aliases": aliases or [], "props": props,
            "mentions": [{"doc": d, "start": s, "end": e} for d, s, e in (mentions or [("a.txt", 0, 2)])]}


def _edge(edge_id: str, source: str, target: str, rel_type: str, props: dict[str, Any],
          evidence: list[tuple[str, int, int, str]]) -> dict[str, Any]:
    return {"id": edge_id, "source": source, "target": target, "type": rel_type, "props": props,
            "evidence": [{"doc": d, "start": s, "end": e, "sentence": t} for d, s, e, t in evidence]}


# The hand-made graph. Hops from 烟台市 (p1), either direction, articles not walked through:
#   1: p2 牟平区, e1 万华化学, c1 化工新材料, o1 工信局, a1 (article)
#   2: j1 津药医疗项目, c2 生物医药, a2 (article), h1 张体信
#   never through a1: o2 发改委 (mentioned in a1 only); x1 北京市 (mentioned in a2 only)
TINY_NODES = [
    _node("p1", "Place", "烟台市", {"kind": "city", "admin_code": "370600", "merged_by": ["烟台"]}, aliases=["烟台"]),
    _node("p2", "Place", "牟平区", {"kind": "district", "admin_code": "370612", "parent": "烟台市"}),
    _node("x1", "Place", "北京市", {"kind": "province"}, mentions=[("b.txt", 5, 8)]),
    _node("e1", "Enterprise", "万华化学集团股份有限公司",
          {"roles": ["chain_master"], "honours": ["制造业单项冠军", "专精特新"], "stock_code": "600309"},
          aliases=["万华化学"], mentions=[("a.txt", 10, 14), ("b.txt", 20, 24)]),
    _node("c1", "Chain", "化工新材料", {"industry_code": "C26"}),
    _node("c2", "Chain", "生物医药", {}),
    _node("j1", "Project", "津药医疗项目",
          {"investment_yuan": 500000000, "investment_amount": 5.0, "investment_currency": "CNY",
           "investment_approx": False, "investment_text": "5亿元", "status": "started"}),
    _node("h1", "Person", "张体信", {"kind": "official", "titles": ["局长"], "org": "烟台市工业和信息化局"}),
    _node("o1", "Organization", "烟台市工业和信息化局", {"kind": "government"}),
    _node("o2", "Organization", "烟台市发展和改革委员会", {"kind": "government"}),
    _node("a1", "Article", "牟平区培育壮大产业体系",
          {"doc": "a.txt", "index": 0, "title": "牟平区培育壮大产业体系", "date": "2024-02-01", "start": 0, "end": 500,
           "bylines": ["记者马源勤"]}, mentions=[("a.txt", 0, 500)]),
    _node("a2", "Article", "生物医药专题",
          {"doc": "b.txt", "index": 0, "title": "生物医药专题", "date": None, "start": 0, "end": 300, "bylines": []},
          mentions=[("b.txt", 0, 300)]),
]

SENTENCE_HOLDS = "市工业和信息化局局长张体信介绍了全市工业运行情况。"
SENTENCE_INSPECTED_A = "张体信到万华化学调研。"
SENTENCE_INSPECTED_B = "张体信再次到万华化学调研新材料项目。"

TINY_EDGES = [
    _edge("l1", "p2", "p1", "LOCATED_IN", {"basis": "admin_code"}, [("a.txt", 20, 30, "烟台市牟平区召开会议。")]),
    _edge("l2", "e1", "p1", "LOCATED_IN", {"basis": "text"}, [("a.txt", 40, 50, "万华化学位于烟台市。")]),
    _edge("l3", "j1", "p2", "LOCATED_IN", {"basis": "text"}, [("a.txt", 60, 70, "津药医疗项目落户牟平区。")]),
    _edge("l4", "o1", "p1", "LOCATED_IN", {"basis": "text"}, [("a.txt", 80, 90, "烟台市工业和信息化局。")]),
    _edge("m1", "e1", "c1", "CHAIN_MASTER_OF", {"inferred": False},
          [("a.txt", 100, 120, "万华化学是化工新材料产业链链主企业。")]),
    _edge("d1", "p1", "c1", "DEVELOPS", {"tier": "主导", "scale": "千亿级"},
          [("a.txt", 130, 150, "烟台市大力发展千亿级化工新材料产业。")]),
    _edge("d2", "p2", "c2", "DEVELOPS", {"tier": "重点"}, [("b.txt", 30, 45, "牟平区重点发展生物医药产业。")]),
    _edge("i1", "j1", "c2", "IN_CHAIN", {"inferred": True}, []),
    _edge("hp", "h1", "o1", "HOLDS_POSITION", {"title": "局长"}, [("a.txt", 160, 185, SENTENCE_HOLDS)]),
    _edge("in1", "h1", "e1", "INSPECTED", {"date": "2024-02-01", "date_text": "2月1日", "verb": "调研"},
          [("a.txt", 190, 200, SENTENCE_INSPECTED_A)]),
    _edge("in2", "h1", "e1", "INSPECTED", {"date": "--03-05", "date_text": "3月5日", "verb": "调研"},
          [("b.txt", 50, 68, SENTENCE_INSPECTED_B), ("a.txt", 210, 228, SENTENCE_INSPECTED_B)]),
    *[
        _edge(f"mi-{n}-a1", n, "a1", "MENTIONED_IN", {"count": 1}, [("a.txt", 0, 500, "牟平区培育壮大产业体系")])
        for n in ("p1", "p2", "e1", "c1", "j1", "h1", "o1", "o2")
    ],
    *[
        _edge(f"mi-{n}-a2", n, "a2", "MENTIONED_IN", {"count": 2}, [("b.txt", 0, 300, "生物医药专题")])
        for n in ("p2", "c2", "x1", "e1")
    ],
]


def write_build_dir(folder: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> Path:
    """A build directory with the contract's JSON-lines files, written by hand."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "nodes.jsonl").open("w", encoding="utf-8") as handle:
        for record in nodes:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (folder / "edges.jsonl").open("w", encoding="utf-8") as handle:
        for record in edges:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    (folder / "summary.json").write_text(json.dumps({"corpus": "tiny"}), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made build above (12 nodes, 23 edges)."""
    return write_build_dir(tmp_path_factory.mktemp("tiny") / "build", TINY_NODES, TINY_EDGES)


@pytest.fixture(scope="session")
def tiny_store_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made build with its embedded store, for ``--query``."""
    from loaders.embedded import refresh_store

    folder = write_build_dir(tmp_path_factory.mktemp("tiny-store") / "build", TINY_NODES, TINY_EDGES)
    refresh_store(folder)
    return folder


@pytest.fixture(scope="session")
def sample_build(sample_dir: Path) -> Path:
    """``samples/seeds`` built once for the whole session (tests/conftest.py's ``sample_dir``, with its store)."""
    return sample_dir


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/export/``, emptied at the start of the session (git-ignored)."""
    folder = ARTIFACTS / "export"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright, with no background network traffic."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-system-deps.sh as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()
