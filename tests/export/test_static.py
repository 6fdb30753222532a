"""The PNG/SVG picture: its size, Chinese drawn with a real font (no missing-glyph warning), the
polite refusal above the node limit, and the font error."""

from __future__ import annotations

import logging
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from kg.errors import ExportError
from kg.export import export
from kg.export.fonts import cjk_font, system_font_file
from kg.graph import read_graph


FONT_TROUBLE = ("missing from font", "Glyph", "findfont", "font family")


def export_quietly(caplog: pytest.LogCaptureFixture, *args: object, **options: object) -> tuple[str, list[str]]:
    """Run an export; return its message and every warning or matplotlib log line about fonts or glyphs.

    (Other lines, such as "Matplotlib is building the font cache" on a new machine, are not complaints.)
    """
    caplog.set_level(logging.INFO)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = export(*args, **options)
    lines = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    return message, [line for line in lines if any(trouble in line for trouble in FONT_TROUBLE)]


def test_png_of_the_tiny_build(tiny_build: Path, artifacts: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = artifacts / "tiny.png"
    message, complaints = export_quietly(caplog, "png", tiny_build, out)
    assert complaints == []
    assert "PNG picture, 12 nodes, 23 edges" in message
    with Image.open(out) as image:
        # 12 nodes: a figure of 4 + 0.9 * sqrt(12) = 7.118 inches by 1 inch more for title and legend, at 150 dpi
        assert image.format == "PNG"
        assert image.size == (1067, 1217)


def test_png_of_the_sample_has_no_missing_glyph(sample_build: Path, artifacts: Path, caplog: pytest.LogCaptureFixture) -> None:
    nodes = read_graph(sample_build).number_of_nodes()
    out = artifacts / "sample.png"
    message, complaints = export_quietly(caplog, "png", sample_build, out)
    assert complaints == []
    assert f"{nodes} nodes" in message
    with Image.open(out) as image:
        width, height = image.size
    assert width >= 1500 and height > width  # readable: at least 10 inches at 150 dpi, title and legend bands


def test_the_font_covers_every_name(sample_build: Path) -> None:
    text = "".join(data["name"] for _, data in read_graph(sample_build).nodes(data=True))
    with cjk_font(text) as font:
        with TTFont(font.get_file()) as subset:
            cmap = subset.getBestCmap()
            assert "fvar" not in subset  # pinned to one weight
            assert subset["OS/2"].usWeightClass == 400
    assert [c for c in set(text) if ord(c) not in cmap and not c.isspace()] == []


def test_svg_text_is_outlines(tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny.svg"
    export("svg", tiny_build, out, label=("Place",))
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.findall(".//{http://www.w3.org/2000/svg}text") == []
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 10


def test_too_many_nodes_is_refused_with_a_hint(tiny_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "big.png"
    with pytest.raises(ExportError, match=r"has 12 nodes, too many for a readable PNG \(at most 5\); narrow it.*--limit 5"):
        export("png", tiny_build, out, max_nodes=5)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_the_system_font_is_used_without_the_package() -> None:
    if system_font_file() is None:
        pytest.skip("Debian's fonts-noto-cjk is not installed (scripts/install-test-system-deps.sh installs it)")
    with cjk_font("烟台市牟平区", package="no_such_font_package") as font:
        with TTFont(font.get_file()) as subset:
            assert all(ord(c) in subset.getBestCmap() for c in "烟台市牟平区")


def test_no_font_at_all_says_how_to_install_one() -> None:
    with pytest.raises(ExportError, match=r"pip install manimgx-fonts-cjk==.*apt-get install fonts-noto-cjk"):
        with cjk_font("烟台市", package="no_such_font_package", system_face="NoSuchFace-Regular"):
            pass

