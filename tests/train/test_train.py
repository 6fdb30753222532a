"""``kg train`` and its parts on hand-made SPEC v2 gold (invented firms and people, places far from the annotated ones)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.nlp.tagger import EntityTagger, Hint
from kg.train.config import load_config
from kg.train.data import Example, GoldSpan, project_entities
from kg.train.hints import rule_hints
from kg.train.trainer import Scores

DOCS = {
    "qc_a": ("青川县大力发展新材料产业和绿色食品产业。贵州晴岚新材料有限公司在青川县投资建设年产5万吨负极材料项目。"
             "副县长陈慕远到晴岚新材料调研。",
             [{"id": "e1", "type": "Place", "name": "青川县", "aliases": ["青川"]},
              {"id": "e2", "type": "Chain", "name": "新材料", "aliases": ["新材料产业"]},
              {"id": "e3", "type": "Chain", "name": "绿色食品", "aliases": ["绿色食品产业"]},
              {"id": "e4", "type": "Enterprise", "name": "贵州晴岚新材料有限公司", "aliases": ["晴岚新材料"]},
              {"id": "e5", "type": "Project", "name": "年产5万吨负极材料项目", "aliases": []},
              {"id": "e6", "type": "Person", "name": "陈慕远", "aliases": []}]),
    "zj_b": ("织金县重点培育新能源汽车产业链。织金县人民政府与岚川股份签约，共建岚川织金电池工厂。县长吴砚秋出席。",
             [{"id": "e1", "type": "Place", "name": "织金县", "aliases": ["县"]},
              {"id": "e2", "type": "Chain", "name": "新能源汽车", "aliases": ["新能源汽车产业链"]},
              {"id": "e3", "type": "Organization", "name": "织金县人民政府", "aliases": []},
              {"id": "e4", "type": "Enterprise", "name": "岚川股份", "aliases": ["岚川"]},
              {"id": "e5", "type": "Project", "name": "岚川织金电池工厂", "aliases": []},
              {"id": "e6", "type": "Person", "name": "吴砚秋", "aliases": [], "optional": True}]),
    "qc_c": ("青川县推进生物医药产业发展，青川水电站建成投产。晴岚新材料扩建二期项目开工。",
             [{"id": "e1", "type": "Place", "name": "青川县", "aliases": []},
              {"id": "e2", "type": "Chain", "name": "生物医药", "aliases": ["生物医药产业"]},
              {"id": "e3", "type": "Project", "name": "青川水电站", "aliases": []},
              {"id": "e4", "type": "Enterprise", "name": "晴岚新材料", "aliases": []},
              {"id": "e5", "type": "Project", "name": "晴岚新材料扩建二期项目", "aliases": [], "alt_types": ["Place"]}]),
}


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    for stem, (text, entities) in DOCS.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
        gold = {"file": f"{stem}.txt", "entities": entities, "relations": []}
        (folder / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


def _tiny_config(tmp_path: Path, gold_dir: Path) -> Path:
    config = tmp_path / "tiny.toml"
    config.write_text(f"""
[gold]
dirs = []
exclude = ["qc_never"]
heldout_fraction = 0.34
seed = 1
[cluener]
sample = 0.0
[vectors]
enabled = true
texts = ["{gold_dir}"]
dim = 8
clusters = [4, 8]
min_count = 1
[crf]
max_iterations = 30
""", encoding="utf-8")
    return config


def test_projection_longest_first_without_single_characters() -> None:
    text, entities = DOCS["zj_b"]
    spans = {(text[s.start:s.end], s.label, s.optional) for s in project_entities(text, entities)}
    assert ("织金县人民政府", "Organization", False) in spans
    assert ("新能源汽车产业链", "Chain", False) in spans
    assert ("吴砚秋", "Person", True) in spans
    assert not any(surface == "县" for surface, _label, _optional in spans)
    # 岚川 (and 织金) inside the project's name are covered by the longer project span
    projected = project_entities(text, entities)
    project = next(s for s in projected if text[s.start:s.end] == "岚川织金电池工厂")
    assert not any(s is not project and s.start < project.end and project.start < s.end for s in projected)


def test_scores_ignore_optional_and_accept_alternative_types() -> None:
    gold = Example("d", "0123456789", [GoldSpan(0, 2, "Place"), GoldSpan(3, 5, "Person", optional=True),
                                       GoldSpan(6, 9, "Project", alt_labels=frozenset({"Place"}))], "gold")
    scores = Scores()
    scores.add(gold, [(0, 2, "Place"), (3, 5, "Person"), (6, 9, "Place"), (9, 10, "Chain")])
    assert scores.prf() == (0.6666666666666666, 1.0, 0.8, 2)


def test_rule_hints_have_offsets_into_the_file_text(gold_dir: Path) -> None:
    hints = rule_hints(gold_dir)
    assert hints, "the rules found nothing in the hand-made pages"
    for doc, found in hints.items():
        text = (gold_dir / doc).read_text(encoding="utf-8")
        assert all(isinstance(h, Hint) and 0 <= h.start < h.end <= len(text) for h in found)


def test_kg_train_writes_a_model_that_loads_offline_and_predicts(tmp_path: Path, gold_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "model"
    result = CliRunner().invoke(main, ["train", "--config", str(_tiny_config(tmp_path, gold_dir)), "--gold", str(gold_dir),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "| all |" in result.output and "held-out gold documents" in result.output
    for name in ("model.crfsuite", "clusters.tsv", "meta.json", "MODEL_CARD.md"):
        assert (out / name).is_file()
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert len(meta["content_hash"]) == 64 and sorted(meta["data"]["gold_documents"]) == sorted(f"{s}.txt" for s in DOCS)
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Data" in card and "Licence" in card and "kg train" in card

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    tagger = EntityTagger.from_disk(out)
    text = "青川县大力发展新材料产业。"
    spans = tagger.predict(text, [Hint(0, 3, "Place")])
    assert all(0 <= s < e <= len(text) for s, e, _label in spans)


def test_model_card_of_the_shipped_model_lists_data_and_licences() -> None:
    from kg.resources import resource_dir

    card = (resource_dir("models") / "entity_crf" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Data" in card and "Licence" in card and "kg train" in card
    assert "research" in card


def test_config_rejects_unknown_switches(tmp_path: Path) -> None:
    from kg.errors import InputError

    bad = tmp_path / "bad.toml"
    bad.write_text("[features]\nwindow3 = true\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_config(bad)
    assert load_config().features["hints"] is True
