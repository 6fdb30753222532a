"""``kg export neo4j-admin``: CSV files with neo4j-admin headers and the exact import command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.errors import ExportError
from kg.export import export

WEIRD = "O'Neil \"园\" \\ },\n第二行"


@pytest.fixture
def exported(hand, tmp_path: Path) -> Path:
    folder = hand.build(
        [hand.node("j", "Project", "津药医疗", {"investment_yuan": 2_700_000_000, "investment_amount": 27.0,
                                               "investment_approx": False, "status": "started"},
                   aliases=["津药医疗项目", WEIRD], mentions=[("004.txt", 384, 388), ("004.txt", 500, 504)]),
         hand.node("e", "Enterprise", "石药百克", {}),
         hand.node("c", "Chain", "生物医药", {})],
        [hand.edge("o", "e", "j", "OPERATES", {}, [("004.txt", 1, 9, WEIRD)]),
         hand.edge("m", "e", "c", "CHAIN_MASTER_OF", {"inferred": True})])
    out = tmp_path / "import"
    message = export("neo4j-admin", folder, out)
    assert message.startswith(f"wrote {out}: 3 nodes and 2 relationships in 5 CSV files")
    return out


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_node_files_have_neo4j_admin_headers_and_typed_values(exported: Path) -> None:
    header, row = read_csv(exported / "nodes_Project.csv")
    assert header == ["id:ID(Project)", ":LABEL", "name", "aliases:string[]", "investment_yuan:long",
                      "investment_amount:double", "investment_currency", "investment_approx:boolean", "investment_text",
                      "status", "capacity", "merged_by:string[]", "mentions:string[]"]
    values = dict(zip(header, row))
    assert values["id:ID(Project)"] == "j" and values[":LABEL"] == "Project"
    assert values["aliases:string[]"].split("\x1f") == ["津药医疗项目", WEIRD]
    assert (values["investment_yuan:long"], values["investment_amount:double"], values["investment_approx:boolean"]) == \
        ("2700000000", "27.0", "false")
    assert values["investment_currency"] == "" and values["merged_by:string[]"] == ""
    assert values["mentions:string[]"].split("\x1f") == ['{"doc":"004.txt","end":388,"start":384}',
                                                         '{"doc":"004.txt","end":504,"start":500}']


def test_relation_files_name_both_id_spaces(exported: Path) -> None:
    header, row = read_csv(exported / "relationships_OPERATES_Enterprise_Project.csv")
    assert header == [":START_ID(Enterprise)", ":END_ID(Project)", ":TYPE", "id", "evidence:string[]"]
    assert row[:4] == ["e", "j", "OPERATES", "o"]
    assert row[4] == '{"doc":"004.txt","end":9,"sentence":"O\'Neil \\"园\\" \\\\ },\\n第二行","start":1}'
    header, row = read_csv(exported / "relationships_CHAIN_MASTER_OF_Enterprise_Chain.csv")
    assert header[4] == "inferred:boolean" and row[4] == "true"


def test_the_readme_holds_the_exact_import_command(exported: Path) -> None:
    readme = (exported / "README").read_text(encoding="utf-8")
    files = sorted(p.name for p in exported.glob("*.csv"))
    command = "neo4j-admin database import full neo4j \\\n" + " \\\n".join(
        [f"        --nodes={exported / name}" for name in files if name.startswith("nodes_")]
        + [f"        --relationships={exported / name}" for name in files if name.startswith("relationships_")]
        + ["        --id-type=string", "        --array-delimiter=U+001F", "        --multiline-fields=true"])
    assert f"    {command}\n" in readme
    assert "CREATE CONSTRAINT `kg_Project_id` IF NOT EXISTS FOR (n:`Project`) REQUIRE n.`id` IS UNIQUE;" in readme


def test_export_replaces_its_own_folder_only(exported: Path, hand, tmp_path: Path) -> None:
    smaller = hand.build([hand.node("p", "Place", "菏泽市", {})], [], name="smaller")
    export("neo4j-admin", smaller, exported)
    assert sorted(p.name for p in exported.iterdir()) == ["README", "nodes_Place.csv"]
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ExportError, match="not an earlier neo4j-admin export"):
        export("neo4j-admin", smaller, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep"
