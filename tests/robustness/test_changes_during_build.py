"""The corpus changes under a running ``kg build``, or a build fails or is interrupted: nothing is lost.

The races are real, made reliable by watching the build: documents are extracted one by one
in corpus order, and each extraction lands in the per-document cache (``.<out>.kg-cache``) as
soon as it is done. The test waits for the first cache entry (the corpus has been listed by
then), changes files that sort last, and checks that the build had not reached them yet (fewer
cache entries than the pages before them): the changes happen *during* the build, after the
listing and before the reads. A build that fails (missing corpus, nothing readable, one
unreadable file) or is interrupted (SIGINT) must leave the previous build directory, its
embedded store included, byte for byte as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.robustness.conftest import KG, ROOT, Run, exit_code, kg, numbered_page, one_line_error, snapshot, summary

PAGES = 40


def _corpus(folder: Path, first: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(PAGES):
        (folder / f"a{number:02d}.txt").write_text(numbered_page(first + number), encoding="utf-8")
    return folder


def _start(corpus: Path, out: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(KG), "build", str(corpus), "--out", str(out), *options], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _cached(out: Path) -> int:
    return len(list(out.with_name(f".{out.name}.kg-cache").glob("*/*.pkl")))


def _wait_for_cache_entries(process: subprocess.Popen[str], out: Path, more_than: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while _cached(out) <= more_than:
        assert process.poll() is None, f"the build ended before extracting anything: {process.communicate()}"
        assert time.monotonic() < deadline, "the build extracted nothing in time"
        time.sleep(0.005)


def _finish(process: subprocess.Popen[str]) -> Run:
    stdout, stderr = process.communicate(timeout=240)
    return Run(tuple(process.args), process.returncode, stdout, stderr)  # type: ignore[arg-type]


def test_files_that_vanish_or_turn_unreadable_during_the_build_are_counted_skips(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    changes: dict[str, tuple[Callable[[Path], None], str]] = {
        "z1-vanishes.txt": (lambda path: path.unlink(), "disappeared before it could be read"),
        "z2-becomes-a-folder.txt": (lambda path: (path.unlink(), path.mkdir()), "cannot be read (a directory, not a regular file)"),
        "z3-becomes-a-broken-link.txt": (lambda path: (path.unlink(), path.symlink_to(tmp_path / "nowhere.txt")),
                                         "cannot be read (a broken symbolic link)"),
    }
    for number, name in enumerate(changes, PAGES):
        (corpus / name).write_text(numbered_page(number), encoding="utf-8")
    out = tmp_path / "out"
    process = _start(corpus, out, "--no-store")
    _wait_for_cache_entries(process, out, 0)
    for name, (change, _reason) in changes.items():
        change(corpus / name)
    assert _cached(out) < PAGES, "the build reached the changed files before they changed: the race was lost"
    run = _finish(process)

    assert run.returncode == exit_code("success"), run.stderr
    built = summary(out)
    assert built["documents"]["read"] == PAGES
    assert built["skipped"] == [{"doc": name, "reason": reason} for name, (_change, reason) in changes.items()]
    assert run.stderr.splitlines() == [f"kg: WARNING: {name}: {reason}" for name, (_change, reason) in changes.items()]
    assert [line for line in run.stdout.splitlines() if line.startswith("  skipped")] == [
        f"  skipped {name}: {reason}" for name, (_change, reason) in changes.items()]


@dataclass(frozen=True)
class Previous:
    """A finished build (with its embedded store) and every byte of it."""

    out: Path
    files: dict[str, bytes]


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Previous:
    root = tmp_path_factory.mktemp("previous")
    out = root / "out"
    run = kg("build", _corpus(root / "corpus"), "--out", out)
    assert run.returncode == 0, run.stderr
    files = snapshot(out)
    assert {"nodes.jsonl", "edges.jsonl", "graph.graphml", "summary.json"} <= set(files)
    assert any(name.startswith("store.lbdb") for name in files)
    return Previous(out, files)


def _untouched(previous: Previous) -> None:
    assert snapshot(previous.out) == previous.files
    # No staging folder or backup of a half-made build is left beside it.
    assert sorted(path.name for path in previous.out.parent.iterdir()) == [".out.kg-cache", "corpus", "out"]


def test_a_corpus_path_that_does_not_exist_leaves_the_previous_build_untouched(previous: Previous, tmp_path: Path) -> None:
    missing = tmp_path / "moved-away"
    run = kg("build", missing, "--out", previous.out)
    assert run.returncode == exit_code("input error")
    assert one_line_error(run, str(missing)) == f"kg: error: {missing}: no such file or directory"
    _untouched(previous)


def test_a_corpus_with_nothing_readable_leaves_the_previous_build_untouched(previous: Previous, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    os.mkfifo(corpus / "pipe.txt")
    run = kg("build", corpus, "--out", previous.out)
    assert run.returncode == exit_code("input error")
    assert run.stderr.splitlines()[-1] == (f"kg: error: {corpus}: no document could be read "
                                           "(empty.txt: empty file; pipe.txt: cannot be read (a named pipe, not a regular file))")
    _untouched(previous)


def test_a_single_unreadable_file_leaves_the_previous_build_untouched(previous: Previous, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"\x00\x01" * 512)
    run = kg("build", page, "--out", previous.out)
    assert run.returncode == exit_code("a document cannot be read")
    assert run.stderr.splitlines()[-1] == f"kg: error: {page}: binary content, not text"
    _untouched(previous)


def test_an_interrupted_rebuild_leaves_the_previous_build_untouched(previous: Previous, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "changed", first=1000)  # every page new: nothing comes from the cache
    before = _cached(previous.out)
    process = _start(corpus, previous.out)
    _wait_for_cache_entries(process, previous.out, before)
    process.send_signal(signal.SIGINT)
    run = _finish(process)
    assert run.returncode == exit_code("interrupted")
    assert run.stderr == "kg: interrupted; nothing half-written was kept\n" and run.stdout == ""
    _untouched(previous)
