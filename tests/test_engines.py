"""The Dask engine, on real local clusters: the same build as the local engine, in corpus order.

One test lets ``kg build --engine dask`` start its own local cluster (the
default); another starts a cluster itself and passes its scheduler address,
as a user with a real cluster would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.builder import build
from kg.builder.cache import CACHE_DIR, ExtractionCache
from kg.builder.dask_engine import extract_file
from kg.errors import KGError
from kg.extract.pipeline import pipeline_version

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds"
KG = Path(sys.executable).with_name("kg")


def _contract(build_dir: Path) -> dict[str, bytes]:
    return {name: (build_dir / name).read_bytes() for name in ("nodes.jsonl", "edges.jsonl", "graph.graphml")}


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample pages built by the local engine, one job, uncached."""
    out = tmp_path_factory.mktemp("local") / "build"
    build(SEEDS, out, use_cache=False, store=False)
    return out


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A running local Dask cluster of two worker processes; yields its scheduler address."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as running:
        yield running.scheduler_address


def test_dask_engine_on_its_own_local_cluster_gives_the_local_build(tmp_path: Path, local_build: Path) -> None:
    out = tmp_path / "dask"
    result = subprocess.run([str(KG), "build", str(SEEDS), "--out", str(out), "--engine", "dask", "--jobs", "2", "--no-store"],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "5 documents read" in result.stdout
    assert "INFO" not in result.stderr
    assert _contract(out) == _contract(local_build)


def test_dask_engine_on_a_running_scheduler_gives_the_local_build(tmp_path: Path, local_build: Path, cluster: str) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "dask"
    summary = build(corpus, out, engine="dask", scheduler=cluster, store=False).summary
    assert summary["documents"] == {"read": 5, "skipped": 0, "extracted": 5, "from_cache": 0}
    assert _contract(out) == _contract(local_build)
    assert sum(1 for _ in (tmp_path / f".dask{CACHE_DIR}").rglob("*.pkl")) == 5


def test_dask_engine_mixes_cached_and_new_documents_in_corpus_order(tmp_path: Path, local_build: Path, cluster: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pages = sorted(SEEDS.glob("*.txt"))
    for path in pages[1::2]:
        shutil.copy(path, corpus / path.name)
    out = tmp_path / "dask"
    build(corpus, out, engine="dask", scheduler=cluster, store=False)
    for path in pages[0::2]:
        shutil.copy(path, corpus / path.name)
    summary = build(corpus, out, engine="dask", scheduler=cluster, store=False).summary
    assert summary["documents"]["extracted"] == 3 and summary["documents"]["from_cache"] == 2
    assert _contract(out) == _contract(local_build)


def test_a_rebuild_from_the_cache_needs_no_cluster(tmp_path: Path, cluster: str) -> None:
    out = tmp_path / "out"
    build(SEEDS, out, engine="dask", scheduler=cluster, store=False)
    summary = build(SEEDS, out, engine="dask", scheduler="tcp://127.0.0.1:9", store=False).summary
    assert summary["documents"]["from_cache"] == 5


def test_an_unreachable_scheduler_is_reported(tmp_path: Path) -> None:
    with pytest.raises(KGError, match="cannot reach the Dask scheduler tcp://127.0.0.1:9"):
        build(SEEDS, tmp_path / "out", engine="dask", scheduler="tcp://127.0.0.1:9", use_cache=False, store=False)
    assert not (tmp_path / "out").exists()


def test_a_worker_refuses_a_file_that_changed_since_it_was_hashed(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("链长制推进会召开\n本报讯 2月1日,烟台市召开会议。", encoding="utf-8")
    stale_key = ExtractionCache.key("0" * 40, "page.txt", pipeline_version())
    outcome = extract_file((str(page), "page.txt", stale_key))
    assert outcome.payload is None and outcome.error is not None and "changed" in outcome.error
