"""A Chinese font for the static picture, so that no label is drawn as boxes.

The font comes from a PyPI package, ``manimgx-fonts-cjk`` (Noto Sans CJK as
Noto publishes it, SIL Open Font License 1.1), a dependency of chainkg, so the
picture needs no system font. That file is a variable font whose default
instance is the thinnest weight, and matplotlib can neither pick a weight of
a variable font nor a face of a collection by name; so :func:`cjk_font` cuts
the Simplified Chinese face down to the characters the picture uses and pins
it at Regular weight (fontTools' subsetter and instancer), into a small file
that lives while the picture is drawn. That takes a second or two.

Without the package, Debian's ``fonts-noto-cjk`` (the same typeface, static)
is cut the same way; with neither, :class:`kg.errors.ExportError` says how to
install one.
"""

from __future__ import annotations

import hashlib
import importlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matplotlib.font_manager import FontProperties, findSystemFonts

from kg.errors import ExportError

FONT_PACKAGE = "manimgx_fonts_cjk"
FONT_PACKAGE_PIN = "manimgx-fonts-cjk==2026.9.26.post1"
FONT_FILE = "NotoSansCJK-VF.otf.ttc"
SC_FACE = "NotoSansCJKsc"
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


def face_index(path: Path, face: str) -> int | None:
    """Index, in a font file or collection, of the face whose PostScript name starts with ``face``."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    try:
        if path.suffix.lower() == ".ttc":
            with TTCollection(str(path), lazy=True) as collection:
                names = [str(font["name"].getDebugName(6)) for font in collection.fonts]
        else:
            with TTFont(str(path), lazy=True) as font:
                names = [str(font["name"].getDebugName(6))]
    except (OSError, TTLibError, KeyError):
        return None
    return next((number for number, name in enumerate(names) if name.startswith(face)), None)


def system_font_file(face: str = f"{SC_FACE}-Regular") -> tuple[Path, int] | None:
    """A system font file holding ``face`` (Debian ``fonts-noto-cjk``) and the face's index, or ``None``.

    The font folders are scanned afresh, not read from matplotlib's font cache,
    which does not notice fonts installed after it was made.
    """
    for name in sorted(findSystemFonts()):
        path = Path(name)
        if "CJK" in path.name or "SC" in path.name:
            index = face_index(path, face)
            if index is not None:
                return path, index
    return None


@contextmanager
def cjk_font(text: str, package: str = FONT_PACKAGE, system_face: str = f"{SC_FACE}-Regular") -> Iterator[FontProperties]:
    """Font properties that draw every character of ``text``; pass them to each text artist.

    Parameters
    ----------
    text
        Everything the picture will write (labels, legend, title).
    package, system_face
        Where to look for the font, first and second (parameters for tests).

    Raises
    ------
    ExportError
        When neither the font package nor a system Noto Sans CJK SC is installed.

    Examples
    --------
    >>> with cjk_font("烟台市") as font:
    ...     Path(font.get_file()).suffix
    '.otf'
    """
    variable = packaged_font_file(package)
    if variable is not None:
        source, index = variable, face_index(variable, SC_FACE)
    else:
        found = system_font_file(system_face)
        if found is None:
            raise ExportError(
                f"png/svg need a Chinese font and none is installed: `pip install {FONT_PACKAGE_PIN}` "
                "(a dependency of chainkg, so reinstalling chainkg brings it) or, on Debian, "
                "`apt-get install fonts-noto-cjk`"
            )
        source, index = found
    if index is None:
        raise ExportError(f"{source}: no Simplified Chinese face in the font file; reinstall {FONT_PACKAGE_PIN}")
    characters = "".join(sorted(set(text + _ALWAYS) - {"\n", "\r", "\t"}))
    with tempfile.TemporaryDirectory(prefix="kg-font-") as folder:
        digest = hashlib.sha1(characters.encode("utf-8")).hexdigest()[:12]
        path = Path(folder) / f"chainkg-cjk-{digest}.otf"
        regular_subset(source, index, characters, path)
        yield FontProperties(fname=str(path))


def regular_subset(source: Path, index: int, characters: str, out: Path) -> None:
    """Write face ``index`` of ``source``, cut to ``characters`` and, if variable, pinned at Regular."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    with TTFont(str(source), fontNumber=index) as font:
        options = subset.Options()
        options.layout_features = ["kern"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        if "fvar" in font:
            instancer.instantiateVariableFont(font, {"wght": _REGULAR}, inplace=True)
        font.save(str(out))
