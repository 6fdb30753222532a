"""The pipeline config: factories with settings, round trips, and a trained spaCy component added by config alone."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example
from thinc.api import Config

from kg.builder import build
from kg.errors import InputError
from kg.extract.pipeline import DEFAULT_CONFIG, load_pipeline, pipeline_version, read_config

# An invented firm written without a legal suffix: no rule can tell it is a firm.
FIRM = "青梧科创"
PAGE = f"本报讯 青川县召开产业链推进会，{FIRM}负责人介绍了新建生产线的进展。\n"


def _config_with(tmp_path: Path, edit: str, extra: str) -> Path:
    """The default config with ``edit`` applied to its pipeline list and ``extra`` sections appended."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('"kg_choose_entities",', edit, 1)
    path = tmp_path / "pipeline.cfg"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


def _train_tiny_ner(folder: Path) -> Path:
    """A spaCy ``ner`` on character tokens that learns one invented firm name, in a few seconds."""
    nlp = spacy.blank("zh")
    ner = nlp.add_pipe("ner")
    ner.add_label("Enterprise")
    sentences = [f"{FIRM}负责人介绍了进展。", f"今年{FIRM}扩大了产能。", f"我们走访了{FIRM}。", "青川县召开推进会。"]
    examples = []
    for sentence in sentences:
        doc = nlp.make_doc(sentence)
        start = sentence.find(FIRM)
        entities = [(start, start + len(FIRM), "Enterprise")] if start >= 0 else []
        examples.append(Example.from_dict(doc, {"entities": entities}))
    random.seed(7)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = folder / "tiny_ner"
    nlp.to_disk(path)
    return path


def test_default_config_round_trips() -> None:
    config = read_config()
    assert Config().from_str(config.to_str()) == config
    assert load_pipeline().pipe_names == list(config["nlp"]["pipeline"])


def test_a_factory_takes_typed_settings_from_the_config(tmp_path: Path) -> None:
    path = _config_with(
        tmp_path,
        '"kg_model_candidates", "kg_choose_entities",',
        '[components.kg_model_candidates]\nfactory = "kg_model_candidates"\npriority = 55\nlabels = {"ORG": "Organization"}\n',
    )
    component = load_pipeline(path).get_pipe("kg_model_candidates")
    assert component.priority == 55
    assert component.labels == {"ORG": "Organization"}


def test_a_setting_of_the_wrong_type_is_an_input_error(tmp_path: Path) -> None:
    path = _config_with(
        tmp_path,
        '"kg_model_candidates", "kg_choose_entities",',
        '[components.kg_model_candidates]\nfactory = "kg_model_candidates"\npriority = "high"\n',
    )
    with pytest.raises(InputError, match="does not build"):
        load_pipeline(path)


def test_a_trained_spacy_component_added_by_config_changes_the_output_and_the_version(tmp_path: Path) -> None:
    model = _train_tiny_ner(tmp_path)
    config = _config_with(
        tmp_path,
        '"ner", "kg_model_candidates", "kg_choose_entities",',
        f'[components.ner]\nsource = "{model}"\n\n[components.kg_model_candidates]\nfactory = "kg_model_candidates"\n',
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(PAGE, encoding="utf-8")

    def firms(out: Path) -> set[str]:
        rows = [json.loads(line) for line in (out / "nodes.jsonl").read_text(encoding="utf-8").splitlines()]
        return {row["name"] for row in rows if row["label"] == "Enterprise"}

    try:
        build(corpus, tmp_path / "rules", store=False, use_cache=False)
        build(corpus, tmp_path / "with_model", store=False, use_cache=False, config=config)
    finally:
        build(corpus, tmp_path / "again", store=False, use_cache=False)  # leaves the default selected
    assert FIRM not in firms(tmp_path / "rules")
    assert FIRM in firms(tmp_path / "with_model")
    assert pipeline_version(config) != pipeline_version()
