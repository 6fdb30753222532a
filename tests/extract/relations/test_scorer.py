"""``kg_relation_scorer`` on sentences written for the tests (江西, 贵州, 青海 places; invented firms).

The shipped model's per-type choice (cross-validation, kg/models/relation_scorer/MODEL_CARD.md)
is ``add`` for IN_CHAIN and OPERATES, ``filter`` for LOCATED_IN, HOLDS_POSITION and
INSPECTED, the rules alone elsewhere; the ``filter`` and ``off`` mechanics are tested with a
hand-made model whose weights say exactly what to drop.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.builder.work import extract_document
from kg.extract.pipeline import DEFAULT_CONFIG, load_pipeline
from kg.extract.relations.scorer import default_model
from kg.ingest import document_from_bytes
from kg.nlp.relscorer import RelationModel
from kg.train.relations import simplest_within


def _config(tmp_path: Path, settings: str, name: str = "scorer.cfg") -> Path:
    """The default pipeline (whose last component is the scorer) with the scorer's settings replaced."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").split("[components.kg_relation_scorer]")[0]
    path = tmp_path / name
    path.write_text(text + '\n\n[components.kg_relation_scorer]\nfactory = "kg_relation_scorer"\n' + settings + "\n", encoding="utf-8")
    return path


def _relations(config: Path | None, text: str) -> set[tuple[str, str, str]]:
    nlp = load_pipeline(config)
    extraction = extract_document(document_from_bytes(text.encode("utf-8"), "test.txt", ".txt"), nlp)
    mentions = extraction.mentions
    return {(r.type, mentions[r.head].name, mentions[r.tail].name) for r in extraction.relations}


@pytest.fixture(scope="module")
def unscored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default pipeline without the scorer: what the other components answer."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").split("[components.kg_relation_scorer]")[0]
    path = tmp_path_factory.mktemp("unscored") / "unscored.cfg"
    path.write_text(text.replace(', "kg_relation_scorer"]', "]"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default pipeline plus the scorer with the shipped model and its recorded policy."""
    return _config(tmp_path_factory.mktemp("shipped"), 'model = ""\npolicy = {}')


def test_the_shipped_policy_is_the_cross_validated_choice() -> None:
    meta = json.loads((default_model() / "meta.json").read_text(encoding="utf-8"))
    actions = {t: p["action"] for t, p in meta["policies"].items()}
    assert actions["IN_CHAIN"] == "add" and actions["OPERATES"] == "add"
    assert actions["DEVELOPS"] == "rules"
    for rel_type, action in actions.items():  # a type leaves the rules only where CV says it beats them
        rows = meta["cv"][rel_type]
        assert action == simplest_within(rows, meta["config"]["min_gain"]) == rows["chosen"]
        assert action == "rules" or rows[action]["f1"] > rows["rules"]["f1"]
    # every type's CV row has the four columns the model card shows
    assert all({"rules", "add", "filter", "both", "chosen"} <= set(row) for row in meta["cv"].values())


def test_the_scorer_adds_a_firm_operating_the_project_it_invests_in(unscored: Path, shipped: Path) -> None:
    text = "江西晶岚科技有限公司投资20亿元建设年产10万吨锂电正极材料项目。"
    relation = ("OPERATES", "江西晶岚科技有限公司", "年产10万吨锂电正极材料项目")
    assert relation not in _relations(unscored, text)  # the rules read only a firm written right before its project
    assert relation in _relations(shipped, text)


def test_the_scorer_puts_projects_listed_after_a_chain_in_that_chain(unscored: Path, shipped: Path) -> None:
    text = "贵州省加快培育大数据产业，黔云数据中心二期、贵安智算中心建成投用。"
    without, with_scorer = _relations(unscored, text), _relations(shipped, text)
    added = {r for r in with_scorer - without if r[0] == "IN_CHAIN"}
    assert ("IN_CHAIN", "黔云数据中心二期", "大数据") in added
    assert ("IN_CHAIN", "贵安智算中心", "大数据") in added
    assert ("DEVELOPS", "贵州省", "大数据") in with_scorer  # the rules' relations stand (DEVELOPS is off)
    assert {r for r in without - with_scorer if r[0] in ("DEVELOPS", "IN_CHAIN", "OPERATES")} == set()


def test_off_leaves_the_rules_answer(unscored: Path, tmp_path: Path) -> None:
    text = "江西晶岚科技有限公司投资20亿元建设年产10万吨锂电正极材料项目。"
    config = _config(tmp_path, 'policy = {"OPERATES": "off", "IN_CHAIN": "off"}')
    assert _relations(config, text) == _relations(unscored, text)


def _hand_model(folder: Path, weights: dict[str, float]) -> Path:
    RelationModel({f: i for i, f in enumerate(weights)}, list(weights.values()), {"policies": {}, "cv": {}}).to_disk(folder)
    return folder


def test_filter_drops_the_rule_relations_its_model_rejects_and_keeps_the_rest(unscored: Path, tmp_path: Path) -> None:
    # A hand-made model: DEVELOPS is right unless its developer is only named in another sentence.
    model = _hand_model(tmp_path / "m", {"DEVELOPS|bias": 3.0, "DEVELOPS|other_sentence": -8.0})
    text = "全省上下奋力拼搏，经济稳中有进。大力发展盐湖化工产业。西宁市重点培育清洁能源产业。全省推进生态保护。"
    rules = {r for r in _relations(unscored, text) if r[0] == "DEVELOPS"}
    assert {("DEVELOPS", "青海省", "盐湖化工"), ("DEVELOPS", "西宁市", "清洁能源")} <= rules
    config = _config(tmp_path, f'model = "{model}"\npolicy = {{"DEVELOPS": "filter"}}\nfilter_threshold = 0.5')
    kept = {r for r in _relations(config, text) if r[0] == "DEVELOPS"}
    assert ("DEVELOPS", "西宁市", "清洁能源") in kept  # stated in its own sentence
    assert ("DEVELOPS", "青海省", "盐湖化工") not in kept  # the subject default, from another sentence


def test_filter_with_a_rejecting_model_drops_every_rule_relation_of_that_type_only(unscored: Path, tmp_path: Path) -> None:
    model = _hand_model(tmp_path / "m", {"DEVELOPS|bias": -6.0, "LOCATED_IN|bias": -6.0})
    text = "江西省南昌市大力发展航空产业。"
    rules = _relations(unscored, text)
    assert any(r[0] == "DEVELOPS" for r in rules)
    config = _config(tmp_path, f'model = "{model}"\npolicy = {{"DEVELOPS": "filter"}}')
    filtered = _relations(config, text)
    assert not any(r[0] == "DEVELOPS" for r in filtered)
    assert {r for r in rules if r[0] != "DEVELOPS"} == {r for r in filtered if r[0] != "DEVELOPS"}


def test_unknown_policy_actions_are_refused(tmp_path: Path) -> None:
    from kg.errors import InputError

    config = _config(tmp_path, 'policy = {"DEVELOPS": "sometimes"}')
    with pytest.raises(InputError, match="does not build"):
        load_pipeline(config)
