"""The packaged CLUENER NER model and the ``kg_ner`` component, on sentences written for these tests."""

from __future__ import annotations

import socket

import pytest
from spacy.language import Language

from kg.extract.base import ArticleState
from kg.extract.document import _states
from kg.ingest import document_from_bytes
from kg.nlp.context import build_context
from kg.nlp.ner import MAX_CHUNK, _chunks, extract_ner, load_ner, predict_spans
from kg.resources import resource_dir

PERSON_AFTER_TITLE = [
    ("在昨天的签约仪式上，集团董事长李明华介绍了新工厂的建设进度。", "李明华"),
    ("市长王立军在调研时强调，要加快推进重点项目建设。", "王立军"),
]
# (sentence, full company name, its distinctive part)
COMPANIES = [
    ("苏州恒达精密机械有限公司今年的销售额增长了三成。", "苏州恒达精密机械有限公司", "恒达"),
    ("记者了解到，浙江华宇新材料有限公司已经完成了新一轮融资。", "浙江华宇新材料有限公司", "华宇"),
]


def _surfaces(text: str) -> set[tuple[str, str]]:
    return {(text[start:end], label) for start, end, label in predict_spans(text)}


def test_model_ships_inside_the_package_and_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    load_ner.cache_clear()
    nlp = load_ner()
    assert isinstance(nlp, Language)
    assert nlp.pipe_names == ["ner"]
    assert set(nlp.get_pipe("ner").labels) == {"ENTERPRISE", "PERSON", "ORGANIZATION", "PLACE", "TITLE"}
    assert (resource_dir("models") / "cluener_ner" / "meta.json").is_file()
    assert load_ner() is nlp


@pytest.mark.parametrize(("text", "name"), PERSON_AFTER_TITLE)
def test_finds_a_person_named_after_a_title(text: str, name: str) -> None:
    assert (name, "PERSON") in _surfaces(text)


@pytest.mark.parametrize(("text", "name", "core"), COMPANIES)
def test_finds_a_company_named_with_youxian_gongsi(text: str, name: str, core: str) -> None:
    """An ENTERPRISE span within the full name keeps its distinctive part.

    The right edge is not required to reach 有限公司: CLUENER rarely writes
    legal names, and the model card reports how often boundaries are cut.
    """
    start = text.index(name)
    end = start + len(name)
    firms = [(s, e) for s, e, label in predict_spans(text) if label == "ENTERPRISE"]
    assert any(start <= s and e <= end and core in text[s:e] for s, e in firms), [text[s:e] for s, e in firms]


def test_offsets_are_into_the_whole_text() -> None:
    filler = "今年以来，全市工业经济保持平稳增长，新开工项目数量明显增加，" * 6
    sentence, name = PERSON_AFTER_TITLE[0]
    text = filler + "\n" + sentence
    assert len(filler) > MAX_CHUNK
    spans = predict_spans(text)
    assert spans == sorted(spans)
    found = {(text[start:end], label) for start, end, label in spans}
    assert (name, "PERSON") in found


def test_chunks_cover_the_text_in_order_and_stay_short() -> None:
    text = "第一句话。第二句话很长" + "，很长的分句" * 40 + "。\n\n最后一句"
    chunks = _chunks(text)
    assert all(end - start <= MAX_CHUNK for start, end in chunks)
    assert all(chunks[i][1] <= chunks[i + 1][0] for i in range(len(chunks) - 1))
    assert "".join(text[start:end] for start, end in chunks).replace("\n", "") == text.replace("\n", "")
    assert text[slice(*chunks[0])] == "第一句话。"


def test_predict_spans_on_empty_text() -> None:
    assert predict_spans("") == []
    assert predict_spans("\n\n  ") == []


def _article_state(text: str) -> ArticleState:
    """The first article's state, prepared as ``kg.extract.document`` prepares it."""
    document = document_from_bytes(text.encode("utf-8"), "ner_test.txt", ".txt")
    bylines = [span for article in document.articles for span in article.byline_spans]
    context = build_context(document.clean.text, bylines, None)
    return _states(document, context)[0]


def test_component_adds_mapped_candidates_and_skips_titles() -> None:
    text = PERSON_AFTER_TITLE[0][0] + COMPANIES[0][0]
    article = _article_state(text)
    nlp = load_ner()
    doc = nlp.make_doc(article.text)
    doc._.kg = article
    assert extract_ner(doc) is doc
    ner = [c for c in article.candidates if c.source == "ner"]
    assert ner, "the component proposed nothing"
    assert all(c.priority == 30 for c in ner)
    assert all(c.label in {"Enterprise", "Person", "Organization", "Place"} for c in ner)
    assert {c.attrs["ner_label"] for c in ner} <= {"ENTERPRISE", "PERSON", "ORGANIZATION", "PLACE"}
    surfaces = {(article.surface(c), c.label) for c in ner}
    assert ("李明华", "Person") in surfaces
    assert any(label == "Enterprise" and COMPANIES[0][2] in surface for surface, label in surfaces)
    titles = [(s, e) for s, e, label in predict_spans(article.text) if label == "TITLE"]
    assert not any((c.start, c.end) in titles for c in ner)


def test_component_is_registered_by_name() -> None:
    assert Language.has_factory("kg_ner")
