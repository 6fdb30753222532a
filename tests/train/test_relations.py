"""``kg train-relations`` and its parts on hand-made SPEC v2 gold (invented firms, places in 江西, 贵州, 青海)."""

from __future__ import annotations

import doctest
import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.nlp.relscorer import RelationModel

DOCS = {
    "jx_a": ("江西省大力发展锂电新能源产业。赣岚锂业有限公司投资30亿元建设年产5万吨碳酸锂项目。",
             [{"id": "e1", "type": "Place", "name": "江西省", "aliases": ["江西"]},
              {"id": "e2", "type": "Chain", "name": "锂电新能源", "aliases": ["锂电新能源产业"]},
              {"id": "e3", "type": "Enterprise", "name": "赣岚锂业有限公司", "aliases": ["赣岚锂业"]},
              {"id": "e4", "type": "Project", "name": "年产5万吨碳酸锂项目", "aliases": []}],
             [{"type": "DEVELOPS", "head": "e1", "tail": "e2", "evidence": "江西省大力发展锂电新能源产业"},
              {"type": "OPERATES", "head": "e3", "tail": "e4", "evidence": "赣岚锂业有限公司投资30亿元建设年产5万吨碳酸锂项目"}]),
    "gz_b": ("贵州省重点培育大数据产业。黔晴云计算有限公司投资12亿元建设黔晴数据中心项目。遵义市加快发展白酒产业。",
             [{"id": "e1", "type": "Place", "name": "贵州省", "aliases": []},
              {"id": "e2", "type": "Chain", "name": "大数据", "aliases": ["大数据产业"]},
              {"id": "e3", "type": "Enterprise", "name": "黔晴云计算有限公司", "aliases": []},
              {"id": "e4", "type": "Project", "name": "黔晴数据中心项目", "aliases": []},
              {"id": "e5", "type": "Place", "name": "遵义市", "aliases": ["遵义"]},
              {"id": "e6", "type": "Chain", "name": "白酒", "aliases": ["白酒产业"]}],
             [{"type": "DEVELOPS", "head": "e1", "tail": "e2", "evidence": "贵州省重点培育大数据产业"},
              {"type": "OPERATES", "head": "e3", "tail": "e4", "evidence": "黔晴云计算有限公司投资12亿元建设黔晴数据中心项目"},
              {"type": "DEVELOPS", "head": "e5", "tail": "e6", "evidence": "遵义市加快发展白酒产业", "optional": True}]),
    "qh_c": ("青海省推进盐湖化工产业发展。柴晴化工有限公司投资8亿元建设柴晴钾肥项目。西宁市培育光伏制造产业。",
             [{"id": "e1", "type": "Place", "name": "青海省", "aliases": []},
              {"id": "e2", "type": "Chain", "name": "盐湖化工", "aliases": ["盐湖化工产业"]},
              {"id": "e3", "type": "Enterprise", "name": "柴晴化工有限公司", "aliases": []},
              {"id": "e4", "type": "Project", "name": "柴晴钾肥项目", "aliases": []},
              {"id": "e5", "type": "Place", "name": "西宁市", "aliases": []},
              {"id": "e6", "type": "Chain", "name": "光伏制造", "aliases": ["光伏制造产业"]}],
             [{"type": "DEVELOPS", "head": "e1", "tail": "e2", "evidence": "青海省推进盐湖化工产业发展"},
              {"type": "OPERATES", "head": "e3", "tail": "e4", "evidence": "柴晴化工有限公司投资8亿元建设柴晴钾肥项目"},
              {"type": "DEVELOPS", "head": "e5", "tail": "e6", "alt_heads": ["e1"], "evidence": "西宁市培育光伏制造产业"}]),
}


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    for stem, (text, entities, relations) in DOCS.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        gold = {"file": f"{stem}.txt", "entities": entities, "relations": relations}
        (folder / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


def _tiny_config(tmp_path: Path, folds: int = 3) -> Path:
    config = tmp_path / "tiny.toml"
    config.write_text(f"""
[gold]
dirs = []
exclude = ["jx_never"]
[model]
l2 = 1.0
iterations = 60
min_count = 1
[cv]
folds = {folds}
seed = 1
add_thresholds = [0.5]
filter_thresholds = [0.2]
""", encoding="utf-8")
    return config


def test_pairs_are_labelled_by_the_gold_with_optional_ones_left_out(tmp_path: Path, gold_dir: Path) -> None:
    from kg.train.relations import load_documents, load_relation_config

    documents = {d.stem: d for d in load_documents(load_relation_config(_tiny_config(tmp_path)), [gold_dir])}
    assert set(documents) == set(DOCS)
    gz = {(p.type, p.text): p.label for p in documents["gz_b"].pairs}
    assert gz[("DEVELOPS", "贵州省 -> 大数据产业")] == 1
    assert gz[("DEVELOPS", "遵义市 -> 白酒产业")] is None  # only an optional relation: left out of training
    qh = {(p.type, p.text): p for p in documents["qh_c"].pairs}
    operates = qh[("OPERATES", "柴晴化工有限公司 -> 柴晴钾肥项目")]
    assert operates.label == 1 and not operates.rule  # a relation the rules miss: what "add" learns from
    assert qh[("SUPPORTS", "柴晴钾肥项目 -> 柴晴化工有限公司")].label == 0  # a pair the gold does not state
    # alt_heads count: the province is an equally right developer of 光伏制造 in qh_c, and so is the city
    assert qh[("DEVELOPS", "西宁市 -> 光伏制造产业")].label == 1


def test_kg_train_relations_writes_a_model_that_loads_offline_and_runs_in_a_pipeline(
        tmp_path: Path, gold_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train-relations", "--config", str(_tiny_config(tmp_path)), "--gold", str(gold_dir),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "| OPERATES |" in result.output and "model written to" in result.output
    for name in ("weights.json", "meta.json", "MODEL_CARD.md"):
        assert (out / name).is_file()
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["data"]["documents"] == sorted(DOCS) and set(meta["policies"]) >= {"DEVELOPS", "OPERATES"}
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Licence" in card and "train-relations" in card and "| type | gold |" in card

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access during model loading")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = RelationModel.from_disk(out)
    probabilities = model.probabilities([["OPERATES|bias", "OPERATES|cue_between=投资"], ["DEVELOPS|bias"]])
    assert all(0.0 < p < 1.0 for p in probabilities)

    from kg.builder.work import extract_document
    from kg.extract.pipeline import DEFAULT_CONFIG, load_pipeline
    from kg.ingest import document_from_bytes

    config = tmp_path / "with_scorer.cfg"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").split("[components.kg_relation_scorer]")[0]
    config.write_text(text + f'\n\n[components.kg_relation_scorer]\nfactory = "kg_relation_scorer"\nmodel = "{out}"\n'
                      'policy = {"OPERATES": "both", "DEVELOPS": "both"}\n', encoding="utf-8")
    nlp = load_pipeline(config)
    assert nlp.pipe_names[-1] == "kg_relation_scorer"
    extraction = extract_document(document_from_bytes("青海省大力发展锂电产业。".encode(), "t.txt", ".txt"), nlp)
    assert all(r.type in ("DEVELOPS", "LOCATED_IN", "IN_CHAIN", "OPERATES") for r in extraction.relations)


def test_one_document_trains_without_cross_validation(tmp_path: Path, gold_dir: Path) -> None:
    for stem in ("gz_b", "qh_c"):
        (gold_dir / f"{stem}.gold.json").unlink()
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train-relations", "--config", str(_tiny_config(tmp_path)), "--gold", str(gold_dir),
                                       "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "meta.json").read_text(encoding="utf-8"))["policies"] == {}


def test_the_shipped_model_card_lists_data_licence_cv_and_command() -> None:
    from kg.extract.relations.scorer import default_model

    card = (default_model() / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "kg train-relations" in card and "Licence" in card
    assert "gwr2026_gansu_excerpt" not in card.split("## Data")[1].split("##")[0]  # no test-split document trained on
    assert "kg eval" in card  # the CV table measured with real builds


def test_the_modules_examples_hold() -> None:
    import kg.extract.relations.scorer
    import kg.nlp.relscorer
    import kg.train.relations

    for module in (kg.nlp.relscorer, kg.train.relations, kg.extract.relations.scorer):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, module.__name__
