"""A Chinese font for the static picture, so that no label is drawn as boxes.

The font comes from a PyPI package, ``manimgx-fonts-cjk`` (Noto Sans CJK as
Noto publishes it, SIL Open Font License 1.1), a dependency of chainkg, so the
picture needs no system font. That file is a variable font whose default
instance is the thinnest weight, and matplotlib cannot pick a weight of a
variable font; so :func:`cjk_font` cuts the Simplified Chinese face down to
the characters the picture uses and pins it at Regular weight (fontTools'
subsetter and instancer), into a small file that lives as long as the
picture is being drawn.

Without the package, Debian's ``fonts-noto-cjk`` is used when installed; with
neither, :class:`kg.errors.ExportError` says how to install one.
"""

from __future__ import annotations

import hashlib
import importlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matplotlib.font_manager import FontProperties, findfont

from kg.errors import ExportError

FONT_PACKAGE = "manimgx_fonts_cjk"
FONT_PACKAGE_PIN = "manimgx-fonts-cjk==2026.9.26.post1"
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
SYSTEM_FAMILY = "Noto Sans CJK SC"
_SC_FACE = "NotoSansCJKsc"
_REGULAR = 400
# Latin letters, digits and the punctuation a title or legend may use, whatever the labels hold.
_ALWAYS = "".join(chr(code) for code in range(0x20, 0x7F)) + "·…—–“”‘’，。：；、（）《》【】"


def packaged_font_file(package: str = FONT_PACKAGE) -> Path | None:
    """The variable Noto Sans CJK file of the font package, or ``None`` when it is not installed."""
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    path = Path(module.__file__ or "").parent / FONT_FILE
    return path if path.is_file() else None


def system_font_file() -> Path | None:
    """A system Noto Sans CJK SC (Debian ``fonts-noto-cjk``), or ``None``."""
    try:
        return Path(findfont(FontProperties(family=SYSTEM_FAMILY), fallback_to_default=False))
    except ValueError:
        return None


@contextmanager
def cjk_font(text: str, package: str = FONT_PACKAGE) -> Iterator[FontProperties]:
    """Font properties that draw every character of ``text``; pass them to each text artist.

    Parameters
    ----------
    text
        Everything the picture will write (labels, legend, title).
    package
        The font package to take the font from (a parameter for tests).

    Raises
    ------
    ExportError
        When neither the font package nor a system Noto Sans CJK is installed.

    Examples
    --------
    >>> with cjk_font("烟台市") as font:
    ...     Path(font.get_file()).suffix
    '.otf'
    """
    variable = packaged_font_file(package)
    if variable is None:
        system = system_font_file()
        if system is None:
            raise ExportError(
                f"png/svg need a Chinese font and none is installed: `pip install {FONT_PACKAGE_PIN}` "
                "(a dependency of chainkg, so reinstalling chainkg brings it) or, on Debian, "
                "`apt-get install fonts-noto-cjk`"
            )
        yield FontProperties(family=SYSTEM_FAMILY)
        return
    characters = "".join(sorted(set(text + _ALWAYS) - {"\n", "\r", "\t"}))
    with tempfile.TemporaryDirectory(prefix="kg-font-") as folder:
        digest = hashlib.sha1(characters.encode("utf-8")).hexdigest()[:12]
        path = Path(folder) / f"chainkg-cjk-{digest}.otf"
        _regular_subset(variable, characters, path)
        yield FontProperties(fname=str(path))


def _regular_subset(variable: Path, characters: str, out: Path) -> None:
    """Write the SC face of ``variable``, cut to ``characters`` and pinned at Regular, to ``out``."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont
    from fontTools.varLib import instancer

    with TTCollection(str(variable), lazy=True) as collection:
        names = [str(face["name"].getDebugName(6)) for face in collection.fonts]
    index = next((number for number, name in enumerate(names) if name.startswith(_SC_FACE)), None)
    if index is None:
        raise ExportError(f"{variable}: no Simplified Chinese face in the font file (is the font package damaged?)")
    font = TTFont(str(variable), fontNumber=index)
    options = subset.Options()
    options.layout_features = ["kern"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    static = instancer.instantiateVariableFont(font, {"wght": _REGULAR})
    static.save(str(out))
    font.close()
