"""The HTML page: self-contained, and working in a real headless Chromium from file:// with no network.

Screenshots go to test-artifacts/export/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ExportError
from kg.export import export
from kg.export.html_page import fill, script_json
from kg.graph import read_graph

CLICKABLE_POINT = """id => {
    const cy = window.kg.cy;
    const node = cy.getElementById(id);
    const point = node.renderedPosition();
    const box = cy.container().getBoundingClientRect();
    return {x: box.left + point.x, y: box.top + point.y};
}"""


def open_page(browser: Any, page_file: Path) -> tuple[Any, Any, list[str], list[str]]:
    """Open ``page_file`` offline; return the context, the page, requests that left the file and page errors."""
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900}, locale="zh-CN")
    outside: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://") or url.startswith("data:"):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    return context, page, outside, errors


EDGE_MIDPOINT = """id => {
    const cy = window.kg.cy;
    const point = cy.getElementById(id).renderedMidpoint();
    const box = cy.container().getBoundingClientRect();
    return {x: box.left + point.x, y: box.top + point.y};
}"""


def click_node(page: Any, node_id: str) -> None:
    point = page.evaluate(CLICKABLE_POINT, node_id)
    page.mouse.click(point["x"], point["y"])


def click_edge(page: Any, edge_id: str) -> None:
    point = page.evaluate(EDGE_MIDPOINT, edge_id)
    page.mouse.click(point["x"], point["y"])


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"name": "</script><script>alert(1)</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert fill("{{a}}", {"a": text}) == text


def test_the_page_is_self_contained(tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.html"
    message = export("html", tiny_build, out)
    assert "interactive HTML page, 12 nodes, 23 edges" in message
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", text)
    assert "@import" not in text and "url(http" not in text
    assert "The Cytoscape Consortium" in text and "Permission is hereby granted" in text  # the licence travels along
    assert '"Noto Sans CJK SC"' in text
    assert "张体信" in text


def test_the_tiny_page_in_chromium(browser: Any, tiny_build: Path, artifacts: Path) -> None:
    graph = read_graph(tiny_build)
    holds_position = graph.edges["h1", "o1", "hp"]["evidence"][0]["sentence"]
    second_visit = graph.edges["h1", "e1", "in2"]["evidence"][0]
    out = artifacts / "tiny.html"
    export("html", tiny_build, out)
    context, page, outside, errors = open_page(browser, out)
    try:
        status = page.locator("#status")
        assert status.get_attribute("data-nodes") == "12"
        assert status.get_attribute("data-edges") == "23"
        assert page.locator("#legend-items li").count() == 7
        assert page.locator("#legend-items li[data-label=Place]").inner_text() == "Place 3"

        click_node(page, "h1")  # 张体信
        details = page.locator("#details")
        details.get_by_text(holds_position).wait_for(timeout=5_000)
        text = details.inner_text()
        assert "张体信" in text and "Person" in text
        assert second_visit["sentence"] in text
        assert f"{second_visit['doc']} · characters {second_visit['start']}–{second_visit['end']}" in text
        page.screenshot(path=str(artifacts / "tiny-html-node-clicked.png"))

        details.locator("a.jump", has_text="烟台市工业和信息化局").first.click()  # follow HOLDS_POSITION
        page.wait_for_function("() => window.kg.cy.$(':selected').id() === 'o1'")
        assert "government" in details.inner_text()

        page.fill("#search", "万华")
        assert page.locator("#search-result").inner_text() == "1 match"
        page.press("#search", "Enter")
        page.wait_for_function("() => window.kg.cy.$(':selected').id() === 'e1'")
        assert "600309" in details.inner_text()

        page.click("#fit")
        click_edge(page, "d1")  # 烟台市 DEVELOPS 化工新材料
        page.wait_for_function("() => window.kg.cy.$(':selected').id() === 'd1'")
        develops = graph.edges["p1", "c1", "d1"]["evidence"][0]
        text = details.inner_text()
        assert "DEVELOPS" in text and "烟台市" in text and "化工新材料" in text and "千亿级" in text
        assert develops["sentence"] in text
        assert f"{develops['doc']} · characters {develops['start']}–{develops['end']}" in text
        page.screenshot(path=str(artifacts / "tiny-html-edge-clicked.png"))

        page.locator("#legend-items li[data-label=Article]").click()
        page.wait_for_function("() => window.kg.cy.nodes(':visible').length === 10", timeout=5_000)
        assert outside == [] and errors == []
    finally:
        context.close()


def test_the_sample_page_in_chromium(browser: Any, sample_build: Path, artifacts: Path) -> None:
    graph = read_graph(sample_build)
    out = artifacts / "sample.html"
    export("html", sample_build, out)
    context, page, outside, errors = open_page(browser, out)
    try:
        status = page.locator("#status")
        assert status.get_attribute("data-nodes") == str(graph.number_of_nodes())
        assert status.get_attribute("data-edges") == str(graph.number_of_edges())
        page.screenshot(path=str(artifacts / "sample-html.png"))

        hub = max((n for n, d in graph.nodes(data=True) if d["label"] != "Article"), key=lambda n: (graph.degree(n), n))
        with_evidence = [d for _, _, d in graph.edges(hub, data=True) if d["evidence"]]
        with_evidence += [d for _, _, d in graph.in_edges(hub, data=True) if d["evidence"]]
        sentence = sorted(with_evidence, key=lambda d: d["type"])[0]["evidence"][0]["sentence"]
        page.evaluate("id => { const cy = window.kg.cy; cy.zoom(1.5); cy.center(cy.getElementById(id)); }", hub)
        click_node(page, hub)
        page.locator("#details").get_by_text(sentence).first.wait_for(timeout=5_000)
        assert graph.nodes[hub]["name"] in page.locator("#details h3").inner_text()
        page.screenshot(path=str(artifacts / "sample-html-node-clicked.png"))
        assert outside == [] and errors == []
    finally:
        context.close()


def test_a_selected_page_says_what_it_holds(browser: Any, tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "yantai.html"
    export("html", tiny_build, out, place=("烟台市",), depth=1)
    context, page, _, _ = open_page(browser, out)
    try:
        assert page.locator("#status").inner_text() == "6 nodes · 10 edges (of 12 nodes, 23 edges in the build)"
        assert "around Place 烟台市 within 1 hop" in page.title()
    finally:
        context.close()


def test_too_large_a_page_is_refused(tiny_build: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="has 12 nodes, too many for a readable HTML page"):
        export("html", tiny_build, tmp_path / "big.html", max_nodes=5)
