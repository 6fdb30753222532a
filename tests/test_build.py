"""``kg build`` orchestration: the extraction cache, worker processes, atomic output, streaming contract files.

Every test builds real sample pages (``samples/seeds``) with the real pipeline;
expected values come from the test's own construction (which document it
changed, which file it duplicated), never from a previous build's output.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from kg.builder import build
from kg.builder.cache import CACHE_DIR
from kg.errors import InputError
from kg.graph import CONTRACT_FILES, BuildWriter, read_edges, read_nodes
from kg.model import Entity

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
KG = Path(sys.executable).with_name("kg")
ADDED_PARAGRAPH = "\n\n本报讯 3月5日,菏泽市牡丹区召开新能源产业链推进会,山东华瑞鑫达新能源有限公司参加签约。\n"


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    return folder


def _contract(build_dir: Path) -> dict[str, bytes]:
    return {name: (build_dir / name).read_bytes() for name in ("nodes.jsonl", "edges.jsonl", "graph.graphml")}


def _cache_entries(out: Path) -> int:
    cache = out.parent / f".{out.name}{CACHE_DIR}"
    return sum(1 for _ in cache.rglob("*.pkl")) if cache.exists() else 0


@pytest.fixture(scope="module")
def seeds_jobs1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample pages built once in this process, uncached, one job."""
    out = tmp_path_factory.mktemp("jobs1") / "build"
    build(SEEDS, out, jobs=1, use_cache=False, store=False)
    return out


def test_cached_rebuild_extracts_only_the_changed_document(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    first = build(corpus, out, store=False).summary
    assert first["documents"] == {"read": 5, "skipped": 0, "extracted": 5, "from_cache": 0}
    assert _cache_entries(out) == 5

    unchanged = build(corpus, out, store=False).summary
    assert unchanged["documents"]["extracted"] == 0 and unchanged["documents"]["from_cache"] == 5

    changed = sorted(corpus.glob("*.txt"))[2]
    changed.chmod(0o644)
    changed.write_text(changed.read_text(encoding="utf-8") + ADDED_PARAGRAPH, encoding="utf-8")
    again = build(corpus, out, store=False).summary
    assert again["documents"] == {"read": 5, "skipped": 0, "extracted": 1, "from_cache": 4}

    fresh = tmp_path / "fresh"
    build(corpus, fresh, use_cache=False, store=False)
    assert _contract(out) == _contract(fresh)
    assert not (tmp_path / f".fresh{CACHE_DIR}").exists()


def test_damaged_cache_entry_is_extracted_again(tmp_path: Path, seeds_jobs1: Path) -> None:
    out = tmp_path / "out"
    build(SEEDS, out, store=False)
    for entry in (tmp_path / f".out{CACHE_DIR}").rglob("*.pkl"):
        entry.write_bytes(b"not a pickle")
    summary = build(SEEDS, out, store=False).summary
    assert summary["documents"]["extracted"] == 5
    assert _contract(out) == _contract(seeds_jobs1)


def test_two_jobs_give_the_same_build_as_one(tmp_path: Path, seeds_jobs1: Path) -> None:
    out = tmp_path / "jobs2"
    summary = build(SEEDS, out, jobs=2, use_cache=False, store=False).summary
    assert _contract(out) == _contract(seeds_jobs1)
    expected = json.loads((seeds_jobs1 / "summary.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in summary.items() if k not in ("seconds", "corpus")} == {
        k: v for k, v in expected.items() if k not in ("seconds", "corpus")
    }


def test_two_jobs_with_a_partly_cached_corpus(tmp_path: Path, seeds_jobs1: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pages = sorted(SEEDS.glob("*.txt"))
    for path in pages[:2]:
        shutil.copy(path, corpus / path.name)
    out = tmp_path / "out"
    build(corpus, out, jobs=2, store=False)
    for path in pages[2:]:
        shutil.copy(path, corpus / path.name)
    summary = build(corpus, out, jobs=2, store=False).summary
    assert summary["documents"]["extracted"] == 3 and summary["documents"]["from_cache"] == 2
    assert _contract(out) == _contract(seeds_jobs1)


def test_contract_files_agree_with_each_other_and_the_summary(seeds_jobs1: Path) -> None:
    nodes = list(read_nodes(seeds_jobs1))
    edges = list(read_edges(seeds_jobs1))
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)
    assert [e["id"] for e in edges] == sorted(e["id"] for e in edges)
    summary = json.loads((seeds_jobs1 / "summary.json").read_text(encoding="utf-8"))
    by_label: dict[str, int] = {}
    for node in nodes:
        by_label[node["label"]] = by_label.get(node["label"], 0) + 1
    assert summary["nodes"] == dict(sorted(by_label.items()))
    assert sum(summary["edges"].values()) == len(edges)
    graphml = nx.read_graphml(seeds_jobs1 / "graph.graphml")
    assert set(graphml.nodes) == {n["id"] for n in nodes}
    assert {key for _s, _t, key in graphml.edges(keys=True)} == {e["id"] for e in edges}
    article = next(n for n in nodes if n["label"] == "Article")
    assert graphml.nodes[article["id"]]["index"] == article["props"]["index"]
    assert graphml.nodes[article["id"]]["label"] == "Article"


def test_duplicate_and_unreadable_documents_are_skipped_with_reasons(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    first = sorted(corpus.glob("*.txt"))[0]
    shutil.copy(first, corpus / "zz_copy.txt")
    (corpus / "zz_binary.txt").write_bytes(bytes(range(256)) * 8)
    summary = build(corpus, tmp_path / "out", store=False).summary
    reasons = {skip["doc"]: skip["reason"] for skip in summary["skipped"]}
    assert reasons["zz_copy.txt"] == f"same content as {first.name}"
    assert "binary" in reasons["zz_binary.txt"]
    assert summary["documents"]["read"] == 5 and summary["documents"]["skipped"] == 2


def test_a_corpus_without_documents_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(InputError, match="no documents"):
        build(tmp_path / "corpus", tmp_path / "out", store=False)
    assert not (tmp_path / "out").exists()


def test_build_killed_half_way_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run([str(KG), "build", str(SEEDS), "--out", str(out), "--no-store", "--quiet"], check=True, cwd=ROOT)
    before = {name: (out / name).read_bytes() for name in CONTRACT_FILES}
    cached = _cache_entries(out)

    big = tmp_path / "big"
    big.mkdir()
    for copy in range(12):
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            (big / f"{copy:02d}_{path.name}").write_text(f"第{copy + 1}版\n\n{text}", encoding="utf-8")
    process = subprocess.Popen([str(KG), "build", str(big), "--out", str(out), "--no-store", "--quiet"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _cache_entries(out) < cached + 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the build finished before it could be killed half-way"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert {name: (out / name).read_bytes() for name in CONTRACT_FILES} == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.name != f".out{CACHE_DIR}"]
    subprocess.run([str(KG), "build", str(big), "--out", str(out), "--no-store", "--quiet"], check=True, cwd=ROOT)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"]["read"] == 60 and summary["documents"]["from_cache"] >= 3


def test_a_build_interrupted_while_writing_keeps_the_previous_output(tmp_path: Path, seeds_jobs1: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_jobs1, out)
    before = _contract(out)
    with pytest.raises(KeyboardInterrupt), BuildWriter(out) as writer:
        writer.add_node(Entity("p1", "Place", "牟平区", [], {"kind": "district"}, []))
        raise KeyboardInterrupt
    assert _contract(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_build_killed_between_its_two_renames_is_recovered(tmp_path: Path, seeds_jobs1: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_jobs1, tmp_path / ".out.old")
    (tmp_path / ".out.old" / "store.lbdb").write_bytes(b"kept")
    build(SEEDS, out, use_cache=False, store=False)
    assert _contract(out) == _contract(seeds_jobs1)
    assert (out / "store.lbdb").read_bytes() == b"kept"
    assert not (tmp_path / ".out.old").exists()


def test_build_without_the_dask_engine_never_imports_dask(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from kg.builder import build; "
        f"build(Path({str(SEEDS)!r}), Path({str(tmp_path / 'out')!r}), jobs=2, store=False); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    result = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_cli_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    result = subprocess.run([str(KG), "build", str(SEEDS), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "--scheduler needs --engine dask" in result.stderr
    assert not (tmp_path / "out").exists()


def test_rebuild_from_cached_states_after_edits_removals_and_additions_equals_a_full_build(tmp_path: Path) -> None:
    from kg.builder.cache import ExtractionCache, cache_dir_for
    from kg.resolve.state import DocumentState

    corpus = _corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    build(corpus, out, store=False)
    pages = sorted(corpus.glob("*.txt"))
    pages[1].chmod(0o644)
    pages[1].write_text(pages[1].read_text(encoding="utf-8") + ADDED_PARAGRAPH, encoding="utf-8")
    pages[3].unlink()
    (corpus / "sub").mkdir()
    (corpus / "sub" / "new.txt").write_text("青禾县链长制推进会召开\n本报讯 4月2日,青禾县召开碳纤维产业链推进会,"
                                             "青禾华材新材料有限公司作为链主企业参加。\n", encoding="utf-8")
    again = build(corpus, out, jobs=2, store=False).summary
    assert again["documents"] == {"read": 5, "skipped": 0, "extracted": 2, "from_cache": 3}
    fresh = tmp_path / "fresh"
    build(corpus, fresh, use_cache=False, store=False)
    assert _contract(out) == _contract(fresh)
    entries = list(cache_dir_for(out).rglob("*.pkl"))
    cache = ExtractionCache(cache_dir_for(out))
    assert all(isinstance(cache.get(path.stem), DocumentState) for path in entries) and len(entries) == 7
