"""``kg build`` through the real command: the output contract, provenance offsets, stable ids, bad input.

The sample corpus is built by the installed ``kg`` script in a subprocess, twice
at the same time with different hash seeds (the second run is the rebuild whose
ids must not change; running both at once costs no extra wall time), once per
session. Offsets are checked against each document's decoded text read here
independently (the seeds are UTF-8; the mixed corpus's GBK page is decoded as
GBK by the test), and a handful of mentions are checked against positions found
in the pages by hand.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError
from kg.schema import COMMON_EDGE_PROPERTIES, COMMON_NODE_PROPERTIES, load_schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
KG = Path(sys.executable).with_name("kg")
NODE_KEYS = {"id", "label", "name", "aliases", "props", "mentions"}
EDGE_KEYS = {"id", "source", "target", "type", "props", "evidence"}
SUMMARY_KEYS = {"corpus", "documents", "skipped", "nodes", "edges", "rejected_edges", "characters", "seconds"}


@dataclass(frozen=True)
class Run:
    """A finished ``kg build``: where it wrote and what it printed."""

    out: Path
    returncode: int
    stdout: str
    stderr: str

    def records(self, name: str) -> list[dict[str, Any]]:
        """The JSON lines of ``nodes.jsonl`` or ``edges.jsonl``."""
        return [json.loads(line) for line in (self.out / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _start(corpus: str, out: Path, seed: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(KG), "build", corpus, "--out", str(out), "--no-store"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": seed})


def _finish(process: subprocess.Popen[str], out: Path) -> Run:
    stdout, stderr = process.communicate(timeout=300)
    return Run(out, process.returncode, stdout, stderr)


@pytest.fixture(scope="session")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    """``kg build samples/seeds --out DIR --no-store``, twice at once (hash seeds 1 and 2)."""
    root = tmp_path_factory.mktemp("cli-build")
    processes = [(_start("samples/seeds", root / name, seed), root / name) for name, seed in (("first", "1"), ("second", "2"))]
    first, second = (_finish(process, out) for process, out in processes)
    return first, second


@pytest.fixture(scope="session")
def sample(sample_builds: tuple[Run, Run]) -> Run:
    run = sample_builds[0]
    assert run.returncode == 0, run.stderr
    return run


def _seed_texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def _in_order(needle: str, haystack: str) -> bool:
    """Whether ``needle`` reads in order in ``haystack``, an original span that may hold markup and character references."""
    rest: Iterator[str] = iter(html.unescape(haystack))
    return all(char in rest for char in needle)


def _check_contract(run: Run, originals: dict[str, str]) -> None:
    """Every record has the contract's keys and types, every offset lands on its text, all within the schema."""
    schema = load_schema()
    nodes = run.records("nodes.jsonl")
    labels = {}
    for node in nodes:
        assert set(node) == NODE_KEYS, node
        assert re.fullmatch(r"[0-9a-f]{16}", node["id"]) and node["id"] not in labels
        labels[node["id"]] = node["label"]
        assert node["label"] in schema.nodes
        assert isinstance(node["name"], str) and node["name"].strip()
        assert isinstance(node["aliases"], list) and all(isinstance(alias, str) for alias in node["aliases"])
        allowed = set(schema.node_properties(node["label"])) - set(COMMON_NODE_PROPERTIES)
        assert set(node["props"]) <= allowed, (node["label"], set(node["props"]) - allowed)
        assert node["mentions"], node
        names = {_squeeze(name) for name in (node["name"], *node["aliases"])}
        for mention in node["mentions"]:
            assert set(mention) == {"doc", "start", "end"}
            original = originals[mention["doc"]]  # a path relative to the corpus, one of its documents
            assert 0 <= mention["start"] < mention["end"] <= len(original)
            surface = _squeeze(original[mention["start"] : mention["end"]])
            assert surface, (node["name"], mention)
            if node["label"] == "Article":
                assert _in_order(_squeeze(node["props"]["title"]), surface), (node["name"], mention)
            else:
                assert surface in names, (node["label"], node["name"], node["aliases"], surface)
    for edge in run.records("edges.jsonl"):
        assert set(edge) == EDGE_KEYS, edge
        assert edge["type"] in schema.relations
        assert schema.allows(edge["type"], labels[edge["source"]], labels[edge["target"]]), edge
        assert set(edge["props"]) <= set(schema.edge_properties(edge["type"])) - set(COMMON_EDGE_PROPERTIES)
        assert edge["evidence"], edge
        for evidence in edge["evidence"]:
            assert set(evidence) == {"doc", "start", "end", "sentence"}
            original = originals[evidence["doc"]]
            assert 0 <= evidence["start"] < evidence["end"] <= len(original)
            sentence = _squeeze(evidence["sentence"])
            assert sentence and _in_order(sentence, original[evidence["start"] : evidence["end"]]), evidence
    summary = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) == SUMMARY_KEYS
    assert summary["nodes"] == dict(sorted(Counter(node["label"] for node in nodes).items()))
    assert summary["edges"] == dict(sorted(Counter(edge["type"] for edge in run.records("edges.jsonl")).items()))


def test_sample_build_runs_and_reports(sample: Run) -> None:
    summary = json.loads((sample.out / "summary.json").read_text(encoding="utf-8"))
    assert summary["corpus"] == "samples/seeds"
    assert summary["documents"] == {"read": 5, "skipped": 0, "extracted": 5, "from_cache": 0}
    assert summary["skipped"] == [] and summary["rejected_edges"] == {}
    assert sample.stdout.startswith("built samples/seeds: 5 documents read, 0 skipped (0 from cache), ")
    assert sample.stderr == ""  # no progress bar when not on a terminal, no warnings
    assert sorted(path.name for path in sample.out.iterdir()) == ["edges.jsonl", "graph.graphml", "nodes.jsonl", "summary.json"]


def test_sample_build_satisfies_the_contract(sample: Run) -> None:
    originals = _seed_texts()
    _check_contract(sample, originals)
    docs = {m["doc"] for node in sample.records("nodes.jsonl") for m in node["mentions"]}
    assert docs == set(originals)  # every page contributes, each named relative to the corpus


def _node(run: Run, label: str, name: str) -> dict[str, Any]:
    found = [node for node in run.records("nodes.jsonl") if node["label"] == label and node["name"] == name]
    assert len(found) == 1, (label, name, len(found))
    return found[0]


def _mentions(node: dict[str, Any]) -> set[tuple[str, int, int]]:
    return {(m["doc"], m["start"], m["end"]) for m in node["mentions"]}


def test_hand_checked_place_mentions(sample: Run) -> None:
    texts = _seed_texts()
    mudan = _node(sample, "Place", "牡丹区")
    # 牡丹区 is a district of 菏泽市, code 371702 in GB/T 2260.
    assert mudan["props"]["kind"] == "district" and mudan["props"]["parent"] == "菏泽市"
    assert mudan["props"]["admin_code"] == "371702000000"
    # The headline "牡丹区将新开工建设25个项目" of 004, and "牡丹区吴 店镇针对产业链项目" of 003.
    page = texts["004_c870d1137ca02fab.txt"]
    at = page.index("牡丹区将新开工建设25个项目")
    assert ("004_c870d1137ca02fab.txt", at, at + 3) in _mentions(mudan)
    page = texts["003_6dfec295fe03cf79.txt"]
    at = page.index("牡丹区吴 店镇针对")
    assert ("003_6dfec295fe03cf79.txt", at, at + 3) in _mentions(mudan)
    # 吴店镇 itself is cut by an OCR space: its span covers "吴 店镇", four characters.
    wudian = _node(sample, "Place", "吴店镇")
    assert ("003_6dfec295fe03cf79.txt", at + 3, at + 7) in _mentions(wudian)
    assert page[at + 3 : at + 7] == "吴 店镇"
    assert wudian["props"]["kind"] == "town" and wudian["props"]["parent"] == "牡丹区"


def test_hand_checked_firm_mentions(sample: Run) -> None:
    texts = _seed_texts()
    duohe = _node(sample, "Enterprise", "菏泽多禾农业发展有限公司")
    page = texts["000_6235c91095529e22.txt"]
    full = page.index("菏泽多禾农业发展有限公司总经理顾文刚")
    short = page.index("多禾农业在自身发展的同时")
    assert {("000_6235c91095529e22.txt", full, full + 12), ("000_6235c91095529e22.txt", short, short + 4)} <= _mentions(duohe)
    assert "多禾农业" in duohe["aliases"]
    # 石药百克 (a firm's short name) is split by an OCR space in 003: "以石药百 克、东诚医药".
    page = texts["003_6dfec295fe03cf79.txt"]
    at = page.index("以石药百 克、东诚医药") + 1
    assert ("003_6dfec295fe03cf79.txt", at, at + 5) in _mentions(_node(sample, "Enterprise", "石药百克"))


def test_hand_checked_relation_evidence(sample: Run) -> None:
    nodes = {node["id"]: node for node in sample.records("nodes.jsonl")}
    page = _seed_texts()["001_21101baec822737d.txt"]
    sentence = "市委常委、组织部部长王军出席并讲话。"  # 18 characters, once in 001
    assert page.count(sentence) == 1
    at = page.index(sentence)
    found = [edge for edge in sample.records("edges.jsonl") if edge["type"] == "HOLDS_POSITION"
             and nodes[edge["source"]]["name"] == "王军" and nodes[edge["target"]]["name"] == "菏泽市委组织部"]
    assert len(found) == 1
    assert found[0]["props"] == {"title": "部长"}
    assert {"doc": "001_21101baec822737d.txt", "start": at, "end": at + 18, "sentence": sentence} in found[0]["evidence"]


def test_bylines_are_kept_on_articles_not_taken_for_people(sample: Run) -> None:
    nodes = sample.records("nodes.jsonl")
    bylines = {byline for node in nodes if node["label"] == "Article" for byline in node["props"]["bylines"]}
    # Read off 004 and 001 (see tests/ingest/test_articles.py for every page).
    assert {"通讯员郁玉华蒋硕", "记者黄敬峰通讯员张小雪摄", "记者张慧", "记者孔博"} <= bylines
    people = {node["name"] for node in nodes if node["label"] == "Person"}
    assert not people & {"黄敬峰", "郁玉华", "蒋硕", "张小雪", "张慧", "孔博", "陈力", "武霏", "马源勤", "李若生", "王振宇"}


def test_rebuild_gives_identical_ids(sample_builds: tuple[Run, Run]) -> None:
    first, second = sample_builds
    assert second.returncode == 0, second.stderr
    for name in ("nodes.jsonl", "edges.jsonl"):
        ids_first = {record["id"]: record for record in first.records(name)}
        ids_second = {record["id"]: record for record in second.records(name)}
        assert set(ids_first) == set(ids_second)
        assert ids_first == ids_second  # and the same record behind each id


# --- a mixed corpus: encodings, HTML, a binary file and an empty one -----------------------------

QINGHE = (
    "青禾县新材料产业链推进会召开\n\n"
    "本报讯（记者 林晓晴 通讯员 周明远）3月15日,青禾县新材料产业链推进会在县经济开发区召开。"
    "县委副书记、县长方志诚出席会议并讲话。\n\n"
    "会议指出,要围绕碳纤维、特种玻璃两条产业链,加快引进配套企业,推动青禾华材新材料有限公司年产两万吨碳纤维项目尽快投产。\n"
)
GLASS_GBK = (
    "青禾县特种玻璃产业园开工\n\n本报讯（通讯员 周明远）3月20日,青禾县城关镇特种玻璃产业园项目开工奠基,"
    "项目由江北玻璃集团股份有限公司投资建设,总投资12亿元。县委书记李振国出席开工仪式。\n"
)
NEWS_HTML = (
    "<html><body><h1>青禾县碳纤维项目签约</h1><p>本报讯 3月25日,<b>青禾华材新材料有限公司</b>与县政府签约,"
    "项目&#x5EFA;成后年产值超过30亿元。</p></body></html>"
)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, dict[str, str]]:
    root = tmp_path_factory.mktemp("mixed")
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "qinghe.txt").write_text(QINGHE, encoding="utf-8")
    (corpus / "sub" / "glass-gbk.txt").write_bytes(GLASS_GBK.encode("gbk"))
    (corpus / "news.html").write_text(NEWS_HTML, encoding="utf-8")
    (corpus / "broken.txt").write_bytes(gzip.compress(QINGHE.encode("utf-8")))  # binary, renamed .txt
    (corpus / "empty.txt").write_bytes(b"")
    run = _finish(_start(str(corpus), root / "out", "0"), root / "out")
    return run, {"qinghe.txt": QINGHE, "sub/glass-gbk.txt": GLASS_GBK, "news.html": NEWS_HTML}


def test_unreadable_files_are_skipped_with_reasons_the_others_built(mixed: tuple[Run, dict[str, str]]) -> None:
    run, _ = mixed
    assert run.returncode == 0, run.stderr
    summary = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"]["read"] == 3 and summary["documents"]["skipped"] == 2
    assert summary["skipped"] == [{"doc": "broken.txt", "reason": "binary content, not text"},
                                  {"doc": "empty.txt", "reason": "empty file"}]
    assert "  skipped broken.txt: binary content, not text\n" in run.stdout
    assert "  skipped empty.txt: empty file\n" in run.stdout


def test_mixed_corpus_satisfies_the_contract(mixed: tuple[Run, dict[str, str]]) -> None:
    run, originals = mixed
    _check_contract(run, originals)
    docs = {m["doc"] for node in run.records("nodes.jsonl") for m in node["mentions"]}
    assert docs == set(originals)


def test_offsets_count_decoded_characters_and_html_source(mixed: tuple[Run, dict[str, str]]) -> None:
    run, originals = mixed
    # In the GBK page the offsets are characters of the decoded text (the byte offset would be about double).
    glass = _node(run, "Enterprise", "江北玻璃集团股份有限公司")
    at = GLASS_GBK.index("江北玻璃集团股份有限公司")
    assert ("sub/glass-gbk.txt", at, at + 12) in _mentions(glass)
    # In the HTML page they are offsets into the page source, tags included before the name.
    huacai = _node(run, "Enterprise", "青禾华材新材料有限公司")
    at = NEWS_HTML.index("青禾华材新材料有限公司")
    assert ("news.html", at, at + 11) in _mentions(huacai)
    at_txt = QINGHE.index("青禾华材新材料有限公司")
    assert ("qinghe.txt", at_txt, at_txt + 11) in _mentions(huacai)


# --- bad input: one-line errors and their exit codes ---------------------------------------------


def _build(corpus: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), "build", str(corpus), "--out", str(out), "--no-store"], capture_output=True, text=True,
                          timeout=120)


def test_missing_corpus_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    run = _build(missing, tmp_path / "out")
    assert run.returncode == InputError.exit_code == 3
    assert run.stderr == f"kg: error: {missing}: no such file or directory\n"
    assert run.stdout == ""
    assert not (tmp_path / "out").exists()


def test_directory_without_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "empty-folder").mkdir(parents=True)
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    run = _build(corpus, tmp_path / "out")
    assert run.returncode == InputError.exit_code
    assert run.stderr == f"kg: error: {corpus}: no documents (.txt, .md, .html, .htm) found\n"
    assert not (tmp_path / "out").exists()


def test_directory_whose_documents_are_all_unreadable(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "blank.txt").write_text(" \n\u3000\n", encoding="utf-8")
    (corpus / "image.txt").write_bytes(gzip.compress(b"not a page"))
    run = _build(corpus, tmp_path / "out")
    assert run.returncode == InputError.exit_code
    lines = run.stderr.splitlines()
    # One warning a skipped file as it happens, then the one-line error naming the corpus and the reasons.
    assert lines[-1] == (f"kg: error: {corpus}: no document could be read "
                         "(blank.txt: only whitespace; image.txt: binary content, not text)")
    assert lines[:-1] == ["kg: WARNING: blank.txt: only whitespace", "kg: WARNING: image.txt: binary content, not text"]
    assert not (tmp_path / "out").exists()
