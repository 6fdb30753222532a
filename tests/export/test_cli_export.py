"""``kg export`` on the command line: options reach the writers, errors become one line and an exit code."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

from kg.cli import main
from kg.errors import ExportError


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_with_a_selection(tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "yantai.gexf"
    code, stdout, _ = run("export", "gexf", str(tiny_build), "--out", str(out), "--place", "烟台市", "--depth", "1",
                          "--label", "Place", "--label", "Enterprise,Chain")
    assert code == 0
    assert stdout.startswith(f"wrote {out} (")
    assert "4 of 12 nodes" in stdout and "labels Place, Enterprise, Chain" in stdout
    names = sorted(d["label"] for _, d in nx.read_gexf(out).nodes(data=True))
    assert names == sorted(["烟台市", "牟平区", "万华化学集团股份有限公司", "化工新材料"])


def test_every_format_of_the_issue_is_registered(tiny_build: Path, tmp_path: Path) -> None:
    for format_name in ("html", "graphml", "gexf", "cytoscape", "png", "svg"):
        out = tmp_path / f"chain.{format_name}"
        code, stdout, stderr = run("export", format_name, str(tiny_build), "--out", str(out), "--chain", "生物医药",
                                   "--limit", "3")
        assert code == 0, stderr
        assert "3 of 12 nodes" in stdout
        assert out.stat().st_size > 0


def test_an_unknown_seed_is_one_line_and_exit_code_9(tiny_build: Path, tmp_path: Path) -> None:
    code, _, stderr = run("export", "html", str(tiny_build), "--out", str(tmp_path / "x.html"), "--place", "牟平")
    assert code == ExportError.exit_code == 9
    assert stderr == "kg: error: no Place named '牟平' in this build; did you mean 牟平区?\n"


def test_an_unknown_format_lists_the_known_ones(tiny_build: Path, tmp_path: Path) -> None:
    code, _, stderr = run("export", "pdf", str(tiny_build), "--out", str(tmp_path / "x.pdf"))
    assert code == ExportError.exit_code == 9
    assert "unknown export format 'pdf'" in stderr and "cytoscape" in stderr and "html" in stderr


def test_a_malformed_param_is_a_usage_error(tiny_build: Path, tmp_path: Path) -> None:
    code, _, stderr = run("export", "html", str(tiny_build), "--out", str(tmp_path / "x.html"), "--query", "chains",
                          "--param", "oops")
    assert code == 2
    assert "'oops' is not KEY=VALUE" in stderr


def test_the_picture_refuses_politely(tiny_build: Path, tmp_path: Path) -> None:
    code, _, stderr = run("export", "png", str(tiny_build), "--out", str(tmp_path / "x.png"), "--max-nodes", "4")
    assert code == 9
    assert "too many for a readable PNG (at most 4)" in stderr and "--limit 4" in stderr
    assert not (tmp_path / "x.png").exists()


def test_cytoscape_json_from_the_command_line(tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.cyjs"
    code, _, _ = run("export", "cytoscape", str(tiny_build), "--out", str(out), "--node", "张体信", "--depth", "1")
    assert code == 0
    names = sorted(n["data"]["name"] for n in json.loads(out.read_text(encoding="utf-8"))["elements"]["nodes"])
    assert names == sorted(["张体信", "烟台市工业和信息化局", "万华化学集团股份有限公司", "牟平区培育壮大产业体系"])


def test_export_a_named_query(tiny_store_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "wanhua.cyjs"
    code, stdout, stderr = run("export", "cytoscape", str(tiny_store_build), "--out", str(out), "--query",
                               "enterprise_neighbourhood", "--param", "enterprise=万华化学")
    assert code == 0, stderr
    assert "6 of 12 nodes, 6 of 23 edges; query enterprise_neighbourhood(enterprise=万华化学)" in stdout
    edges = json.loads(out.read_text(encoding="utf-8"))["elements"]["edges"]
    assert sorted(e["data"]["id"] for e in edges) == ["in1", "in2", "l2", "m1", "mi-e1-a1", "mi-e1-a2"]


def test_a_query_needs_the_embedded_store(tiny_build: Path, tmp_path: Path) -> None:
    code, _, stderr = run("export", "html", str(tiny_build), "--out", str(tmp_path / "x.html"), "--query", "place_chains")
    assert code == 7  # StoreError
    assert "no embedded store" in stderr and "kg load" in stderr


def test_export_a_named_query_of_the_sample(sample_build: Path, tmp_path: Path) -> None:
    from kg.queries import named
    from kg.queries import run as run_query

    rows = run_query(named("place_chains"), {"place": ""}, build_dir=sample_build).records()
    expected = {row["place_id"] for row in rows} | {row["chain_id"] for row in rows}
    out = tmp_path / "place_chains.cyjs"
    code, _, stderr = run("export", "cytoscape", str(sample_build), "--out", str(out), "--query", "place_chains")
    assert code == 0, stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert {n["data"]["id"] for n in document["elements"]["nodes"]} == expected
    assert {n["data"]["label"] for n in document["elements"]["nodes"]} == {"Place", "Chain"}
