"""Every exit code the README documents, against the real ``kg`` command.

The expected code of each case is looked up in README.md's table by the words of its meaning,
so the README and the behaviour cannot drift apart: change a code in ``kg/errors.py`` or a row of
the table, and these tests fail. Each failing case must also print its error as one line naming the
file or thing (click's own usage errors end in one ``Error:`` line), with no traceback. The cases
run at once in a few threads (each is a process of its own); the tests then check them one by one.
Code 5 (schema error) cannot be caused by input alone (a schema problem in a build directory being
read is a contract error, 6); code 130 (interrupted) is tested in ``test_changes_during_build.py``.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.errors import EXIT_CODES, ContractError, DocumentError, ExportError, InputError, KGError, QueryError, SchemaError, StoreError
from tests.conftest import Hand
from tests.robustness.conftest import FEIXIAN, Run, exit_code, kg, readme_exit_codes


def test_readme_table_lists_exactly_the_codes_of_kg_errors() -> None:
    table = readme_exit_codes()
    assert set(table) == set(EXIT_CODES.values()) | {130}
    classes: list[tuple[type[KGError], str]] = [
        (KGError, "any other error"), (InputError, "input error"), (DocumentError, "a document cannot be read"),
        (SchemaError, "schema error"), (ContractError, "a build directory is missing files"),
        (StoreError, "graph store error"), (QueryError, "query error"), (ExportError, "export error"),
    ]
    for error, meaning in classes:
        assert exit_code(meaning) == error.exit_code, error.__name__
    assert exit_code("success") == EXIT_CODES["ok"] == 0
    assert exit_code("wrong usage") == EXIT_CODES["usage"] == 2


@dataclass(frozen=True)
class Case:
    """A command, the README meaning whose code it must exit with, and what its error line must name."""

    meaning: str
    args: Callable[[Path], list[str | Path]]
    names: Callable[[Path], list[str]] = lambda _root: []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free again once closed: nothing listens there


CASES: dict[str, Case] = {
    "build": Case("success", lambda r: ["build", r / "corpus", "--out", r / "built", "--no-store", "--quiet"]),
    "query-list": Case("success", lambda r: ["query"]),
    "export": Case("success", lambda r: ["export", "graphml", r / "hand", "--out", r / "exported.graphml"]),
    "unknown-option": Case("wrong usage", lambda r: ["build", r / "corpus", "--out", r / "o", "--bogus"], lambda r: ["--bogus"]),
    "missing-argument": Case("wrong usage", lambda r: ["build", "--out", r / "o"], lambda r: ["CORPUS"]),
    "missing-out": Case("wrong usage", lambda r: ["build", r / "corpus"], lambda r: ["--out"]),
    "bad-jobs": Case("wrong usage", lambda r: ["build", r / "corpus", "--out", r / "o", "--jobs", "0"], lambda r: ["--jobs"]),
    "unknown-command": Case("wrong usage", lambda r: ["rebuild", r / "corpus"], lambda r: ["rebuild"]),
    "export-out-is-a-folder": Case("wrong usage", lambda r: ["export", "graphml", r / "hand", "--out", r / "corpus"], lambda r: ["--out"]),
    "missing-corpus": Case("input error", lambda r: ["build", r / "no-such-corpus", "--out", r / "o"],
                           lambda r: [str(r / "no-such-corpus"), "no such file or directory"]),
    "no-documents": Case("input error", lambda r: ["build", r / "scans", "--out", r / "o"],
                         lambda r: [str(r / "scans"), "no documents"]),
    "no-gold": Case("input error", lambda r: ["eval", r / "scans", r / "hand"], lambda r: [str(r / "scans"), "gold"]),
    "binary-file": Case("a document cannot be read", lambda r: ["build", r / "picture.txt", "--out", r / "o"],
                        lambda r: [str(r / "picture.txt"), "binary content, not text"]),
    "empty-file": Case("a document cannot be read", lambda r: ["build", r / "empty.txt", "--out", r / "o"],
                       lambda r: [str(r / "empty.txt"), "empty file"]),
    "named-pipe": Case("a document cannot be read", lambda r: ["build", r / "pipe.txt", "--out", r / "o"],
                       lambda r: [str(r / "pipe.txt"), "named pipe"]),
    "eval-not-a-build": Case("a build directory is missing files", lambda r: ["eval", r / "gold", r / "corpus"],
                             lambda r: [str(r / "corpus" / "nodes.jsonl"), "missing"]),
    "query-not-a-build": Case("a build directory is missing files", lambda r: ["query", "chain_masters", "--build", r / "corpus"],
                              lambda r: [str(r / "corpus" / "nodes.jsonl"), "missing"]),
    "export-not-a-build": Case("a build directory is missing files",
                               lambda r: ["export", "graphml", r / "corpus", "--out", r / "x.graphml"],
                               lambda r: [str(r / "corpus" / "nodes.jsonl")]),
    "load-malformed": Case("a build directory is missing files", lambda r: ["load", r / "malformed", "--embedded"],
                           lambda r: [f"{r / 'malformed' / 'nodes.jsonl'}:2", "not valid JSON"]),
    "no-embedded-store": Case("graph store error", lambda r: ["query", "chain_masters", "--build", r / "hand"],
                              lambda r: [str(r / "hand" / "store.lbdb"), "--no-store"]),
    "server-down": Case("graph store error", lambda r: ["load", r / "hand", "--uri", f"bolt://127.0.0.1:{_closed_port()}"],
                        lambda r: ["127.0.0.1", "not reachable"]),
    "unknown-query": Case("query error", lambda r: ["query", "no_such_query", "--build", r / "hand"],
                          lambda r: ["no_such_query", "chain_masters"]),
    "unknown-parameter": Case("query error", lambda r: ["query", "chain_masters", "--build", r / "hand", "--param", "county=费县"],
                              lambda r: ["county"]),
    "export-unwritable": Case("export error", lambda r: ["export", "graphml", r / "hand", "--out", r / "picture.txt" / "x.graphml"],
                              lambda r: [str(r / "picture.txt" / "x.graphml"), "cannot be written", "not a directory"]),
    "export-matches-nothing": Case("export error", lambda r: ["export", "html", r / "hand", "--out", r / "x.html", "--place", "三亚市"],
                                   lambda r: ["三亚市"]),
    "unknown-format": Case("export error", lambda r: ["export", "pdf", r / "hand", "--out", r / "x.pdf"], lambda r: ["pdf"]),
    "query-missing-build": Case("input error", lambda r: ["query", "chain_masters", "--build", r / "no-such-build"],
                                lambda r: [str(r / "no-such-build"), "no such file or directory"]),
    "load-missing-build": Case("input error", lambda r: ["load", r / "no-such-build", "--embedded"],
                               lambda r: [str(r / "no-such-build"), "no such file or directory"]),
    "export-missing-build": Case("input error", lambda r: ["export", "graphml", r / "no-such-build", "--out", r / "x.graphml"],
                                 lambda r: [str(r / "no-such-build"), "no such file or directory"]),
    "eval-missing-gold": Case("input error", lambda r: ["eval", r / "no-such-gold", r / "hand"],
                              lambda r: [str(r / "no-such-gold"), "no such file or directory"]),
    "query-build-is-a-file": Case("input error", lambda r: ["query", "chain_masters", "--build", r / "picture.txt"],
                                  lambda r: [str(r / "picture.txt"), "not a directory"]),
    "out-is-a-file": Case("any other error", lambda r: ["build", r / "corpus", "--out", r / "picture.txt" / "built"],
                          lambda r: [str(r / "picture.txt"), "not a directory"]),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, session_hand: Hand) -> tuple[Path, dict[str, Run]]:
    root = tmp_path_factory.mktemp("exit-codes")
    (root / "corpus").mkdir()
    (root / "corpus" / "feixian.txt").write_text(FEIXIAN, encoding="utf-8")
    (root / "scans").mkdir()
    (root / "scans" / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "empty.txt").write_bytes(b"")
    os.mkfifo(root / "pipe.txt")
    (root / "gold").mkdir()
    (root / "gold" / "feixian.gold.json").write_text(json.dumps(
        {"file": "feixian.txt", "entities": [{"id": "g1", "type": "Place", "name": "费县"}], "relations": []},
        ensure_ascii=False), encoding="utf-8")
    place = Hand.node("p1", "Place", "费县", {"kind": "county", "admin_code": "371325"}, mentions=[("feixian.txt", 0, 2)])
    at = FEIXIAN.index("费县鲁南木业有限公司")
    firm = Hand.node("e1", "Enterprise", "费县鲁南木业有限公司", mentions=[("feixian.txt", at, at + 10)])
    hand = session_hand.build([place, firm], [Hand.edge("r1", "e1", "p1", "LOCATED_IN")], name="exit-codes")
    os.symlink(hand, root / "hand")
    (root / "malformed").mkdir()
    (root / "malformed" / "nodes.jsonl").write_text(
        json.dumps({"id": "p1", "label": "Place", "name": "费县", "aliases": [], "props": {}, "mentions": []},
                   ensure_ascii=False) + "\n{\"id\": \"p2\", \"label\"\n", encoding="utf-8")
    (root / "malformed" / "edges.jsonl").write_text("", encoding="utf-8")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(kg, *case.args(root), timeout=120) for name, case in CASES.items()}
        return root, {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_exit_code_is_the_one_the_readme_documents(runs: tuple[Path, dict[str, Run]], name: str) -> None:
    root, results = runs
    case, run = CASES[name], results[name]
    expected = exit_code(case.meaning)
    assert run.returncode == expected, (run.args, run.returncode, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    if expected == 0:
        assert not [line for line in run.stderr.splitlines() if "error" in line.lower()], run.stderr
        return
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    if expected == exit_code("wrong usage"):
        line = lines[-1]
        assert line.startswith("Error: ") and lines[0].startswith("Usage: kg"), run.stderr
    else:
        # A single-file build also warns as it skips the file: every line is the tool's own, the error comes last.
        assert all(line.startswith("kg: WARNING: ") for line in lines[:-1]), run.stderr
        line = lines[-1]
        assert line.startswith("kg: error: "), run.stderr
    for word in case.names(root):
        assert word in line, (word, line)


def test_a_failed_build_writes_no_build_directory(runs: tuple[Path, dict[str, Run]]) -> None:
    root, _results = runs
    assert (root / "built" / "nodes.jsonl").is_file()  # the one build that succeeded
    assert not (root / "o").exists()  # every failed build, of every kind, aimed at this one
