"""Normalised values: amounts of money and project status (dates are read at ingest: :mod:`kg.ingest.dates`).

Chinese numerals go through cn2an behind a regex that finds the amount first,
so "8000余万元" becomes 80 000 000 with ``approx`` set, "3.3亿美元" keeps its
currency, and a scale such as "千亿级" is never read as an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_UNITS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100, "十": 10}
_CURRENCIES = {"元": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD", "港币": "HKD", "英镑": "GBP"}
# A number never starts inside another number, after a digit group and its separator ("1,500",
# whose "500" alone would be wrong), or after 数/几 ("数十亿元" states no amount). Groups of three
# digits separated by a space ("5 000", as clean-up keeps them) are one number.
AMOUNT = re.compile(
    r"(?<![0-9０-９.数几零〇一二两三四五六七八九十百千万亿点])(?<![0-9０-９][ ,，])"
    r"(?P<number>[0-9０-９]{1,3}(?: [0-9０-９]{3})+(?:\.[0-9]+)?|[0-9０-９]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万亿点]+)"
    r"\s*(?P<approx>余|多)?\s*(?P<unit>万亿|千万|百万|万|亿)?\s*(?P<approx2>余|多)?"
    r"\s*(?P<currency>美元|欧元|日元|港元|港币|英镑|元)(?!级)"
)
_STATUS_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("in_production", ("投产", "达产", "建成投用", "投入生产", "正式运营", "效益良好", "量产")),
    ("completed", ("竣工", "建成", "完工", "完成封顶", "封顶")),
    ("under_construction", ("在建", "建设现场", "施工", "加快推进", "抢工期", "正在建设", "项目建设", "建设项目建设")),
    ("started", ("开工", "奠基", "新开工", "集中开工", "动工")),
    ("planned", ("签约", "拟建", "计划", "谋划", "储备", "规划建设", "将建设")),
)

# A cue under a negation ("尚未开工") or an aim ("推动项目尽快投产", "力争年底竣工") says nothing
# about the status the project has reached.
_UNREALISED_CUE = re.compile(
    r"(?:尚未|暂未|还未|并未|未能|没有|未|尽快|力争|争取|确保|早日|预计)\S{0,4}?(?:"
    + "|".join(sorted({cue for _, cues in _STATUS_CUES for cue in cues}, key=len, reverse=True))
    + ")"
)


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount of money as stated: value in its currency, yuan when the currency is yuan."""

    value: float
    currency: str
    approx: bool
    text: str

    @property
    def yuan(self) -> int | None:
        """The amount in yuan, or None for a foreign currency (never converted at a guessed rate)."""
        return int(round(self.value)) if self.currency == "CNY" else None


def _number(text: str) -> float:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(" ", "")
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return float(text)
    return float(cn2an.cn2an(text, "smart"))


def parse_amount(text: str) -> Amount | None:
    """The first amount of money in ``text``.

    Examples
    --------
    >>> parse_amount("投资150亿元").yuan
    15000000000
    >>> parse_amount("解决8000余万元资金难题").approx
    True
    >>> parse_amount("3.3亿美元").currency, parse_amount("3.3亿美元").yuan
    ('USD', None)
    >>> parse_amount("打造千亿级产业") is None
    True
    """
    for match in AMOUNT.finditer(text):
        try:
            value = _number(match.group("number"))
        except (ValueError, KeyError):
            continue
        for char in match.group("unit") or "":
            value *= _UNITS[char]
        return Amount(
            value=value,
            currency=_CURRENCIES[match.group("currency")],
            approx=bool(match.group("approx") or match.group("approx2")),
            text=match.group(0),
        )
    return None


def project_status(context: str) -> str | None:
    """Project status from the verbs around a project mention, or None.

    Examples
    --------
    >>> project_status("25个项目将新开工建设")
    'started'
    >>> project_status("建成后可实现营业收入30亿元")
    """
    if "建成后" in context or "投产后" in context:
        context = context.replace("建成后", "").replace("投产后", "")
    context = _UNREALISED_CUE.sub("", context)
    for status, cues in _STATUS_CUES:
        if any(cue in context for cue in cues):
            return status
    return None
