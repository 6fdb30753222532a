"""The shipped CRF entity tagger (kg/models/entity_crf) on sentences written for these tests.

The places (青川县, 织金县) are real but far from every annotated document; the firms and people are invented.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from kg.nlp.tagger import LABELS, EntityTagger, FeatureExtractor, Hint, spans_from_tags, tags_from_spans
from kg.resources import resource_dir

MODEL = resource_dir("models") / "entity_crf"


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger.from_disk(MODEL)


def _found(tagger: EntityTagger, text: str, hints: list[Hint] | None = None) -> set[tuple[str, str]]:
    return {(text[s:e], label) for s, e, label in tagger.predict(text, hints or [])}


def test_loads_offline_from_its_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = EntityTagger.from_disk(MODEL)
    assert model.predict("织金县发展新能源产业。")


def test_spans_are_sorted_non_overlapping_and_inside_the_text(tagger: EntityTagger) -> None:
    text = "青川县人民政府与贵州晴岚新材料有限公司签署合作协议，共建年产5万吨负极材料项目。" * 3
    spans = tagger.predict(text, [Hint(8, 19, "Enterprise"), Hint(0, 3, "Place")])
    assert spans == sorted(spans)
    assert all(0 <= s < e <= len(text) and label in LABELS for s, e, label in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_empty_and_whitespace_texts(tagger: EntityTagger) -> None:
    assert tagger.predict("") == []
    assert tagger.predict("\n  \n") == []


def test_places_chains_and_a_person_without_hints(tagger: EntityTagger) -> None:
    # items joined by 、 (和/及 is ambiguous: SPEC keeps 新能源汽车及汽车零部件 as one chain)
    found = _found(tagger, "织金县大力发展新能源汽车、生物医药、现代物流等产业。")
    assert ("织金县", "Place") in found
    assert ("新能源汽车", "Chain") in found and ("生物医药", "Chain") in found
    assert ("陈慕远", "Person") in _found(tagger, "副县长陈慕远一行到织金县经济开发区调研。")


def test_infrastructure_projects_without_the_word_project(tagger: EntityTagger) -> None:
    found = _found(tagger, "青川至织金高速公路、青川水电站等工程加快建设。")
    assert ("青川至织金高速公路", "Project") in found
    assert ("青川水电站", "Project") in found


def test_a_rule_hint_for_a_legal_firm_name_is_taken(tagger: EntityTagger) -> None:
    text = "青川县人民政府与贵州晴岚新材料有限公司签署合作协议。"
    start = text.index("贵州晴岚")
    hints = [Hint(start, start + len("贵州晴岚新材料有限公司"), "Enterprise"), Hint(0, 7, "Organization")]
    found = _found(tagger, text, hints)
    assert ("贵州晴岚新材料有限公司", "Enterprise") in found
    assert ("青川县人民政府", "Organization") in found


def test_offsets_point_into_the_whole_text(tagger: EntityTagger) -> None:
    text = "本报讯。\n青川县人民政府发布通知。织金县大力发展新能源汽车产业。"
    start = text.index("新能源汽车")
    spans = tagger.predict(text, [Hint(text.index("青川县"), text.index("发布"), "Organization")])
    assert (start, start + len("新能源汽车产业"), "Chain") in spans or (start, start + len("新能源汽车"), "Chain") in spans
    assert (text.index("青川县"), text.index("发布"), "Organization") in spans


def test_round_trip_through_disk_keeps_predictions_and_records_a_hash(tagger: EntityTagger, tmp_path: Path) -> None:
    tagger.to_disk(tmp_path / "copy")
    meta = json.loads((tmp_path / "copy" / "meta.json").read_text(encoding="utf-8"))
    assert len(meta["content_hash"]) == 64
    again = EntityTagger.from_disk(tmp_path / "copy")
    text = "副县长陈慕远一行到织金县调研晴岚科技的负极材料项目。"
    assert again.predict(text) == tagger.predict(text)
    assert again.predict_many([text, (text, [Hint(0, 3, "Person")])])[0] == tagger.predict(text)


def test_pickles_for_worker_processes(tagger: EntityTagger) -> None:
    import pickle

    text = "织金县大力发展新能源汽车产业。"
    assert pickle.loads(pickle.dumps(tagger)).predict(text) == tagger.predict(text)


def test_features_mark_gazetteer_places_cues_and_hints() -> None:
    rows = FeatureExtractor(clusters={})("在青川县建设项目", [Hint(1, 4, "Place")])
    assert "h=B-Place" in rows[1] and "h=E-Place" in rows[3] and "h>Place" in rows[0]
    assert any(f.startswith("gp=B-county") for f in rows[1])
    assert any(f.startswith("cue=B-") and "proj" in f for f in rows[6])


def test_bio_conversions_are_inverse() -> None:
    spans = [(0, 3, "Place"), (3, 5, "Chain"), (7, 8, "Person")]
    assert spans_from_tags(tags_from_spans(9, spans)) == spans


def test_model_is_small() -> None:
    assert sum(f.stat().st_size for f in MODEL.iterdir()) < 8_000_000
