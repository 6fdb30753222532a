"""Compile the packaged gazetteers in ``kg/data`` from the real datasets in ``../shared/data``.

Run from the repository root (anyone can re-run it; the output is deterministic)::

    python scripts/build_gazetteers.py --data ../shared/data --out kg/data

Outputs, each a gzip-compressed TSV with a header row:

- ``places.tsv.gz``: code, name, level, parent_code. NBS 2023 administrative
  divisions (provinces, prefectures, counties, towns and streets) plus Hong
  Kong, Macao and Taiwan. Every division has the same code form, the 12
  digits of the NBS statistical division code (统计用区划代码): province,
  prefecture and county two digits each, town three, village three (always
  ``000`` here), e.g. 赣州市 ``360700000000``, 章贡区 ``360702000000``,
  a town of it ``360702001000`` (:func:`nbs_code`). Hong Kong, Macao and
  Taiwan take their GB/T 2260 province digits (81, 82, 71) and, below, the
  order of their districts in the source (they have no mainland codes). Source: modood/Administrative-divisions-of-China
  (WTFPL). Countries by their Chinese ISO 3166 names from pycountry (LGPL
  data package, used at build time only; only the names are shipped).
- ``companies.tsv.gz``: full_name, short_name, code, province, city. Listed
  companies from the SZSE A-share list, the SSE list and ChainKnowledgeGraph's
  company table (public exchange listing facts).
- ``surnames.txt``: characters that begin at least three person names in
  CLUENER 2020 train (research use; see SOURCE.md).
- ``industries.tsv.gz``: name, code, source. Industry names of GB/T 4754-2017
  (levels 2-4), of the NBS classification of strategic emerging industries
  (战略性新兴产业分类 2018, levels 1-2, in ``scripts/data/``) and of the
  Shenwan classification in ChainKnowledgeGraph, used as chain vocabulary.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from pathlib import Path

_LEVEL_BY_SUFFIX = (("街道", "street"), ("镇", "town"), ("乡", "town"), ("苏木", "town"))
_STOCK_MARKS = re.compile(r"^(\*?ST|S\*ST|SST|N|C|XD|XR|DR)|[ＡＢAB]$|\s+")


def _area_level(name: str) -> str:
    if name.endswith("区") and not name.endswith(("开发区", "新区", "园区")):
        return "district"
    if name.endswith(("县", "旗", "市")):
        return "county"
    return "zone" if name.endswith(("开发区", "新区", "园区", "管理区", "示范区")) else "county"


def _town_level(name: str) -> str:
    for suffix, level in _LEVEL_BY_SUFFIX:
        if name.endswith(suffix):
            return level
    return "zone" if name.endswith(("开发区", "园区", "示范区", "管理区")) else "other"


_SPECIAL_PROVINCES = {"香港特别行政区": "81", "澳门特别行政区": "82", "台湾省": "71"}  # GB/T 2260


def nbs_code(code: str) -> str:
    """A division code of any level (2, 4, 6 or 9 digits in the source) as its 12-digit NBS form.

    >>> nbs_code("3717"), nbs_code("371702"), nbs_code("371702001"), nbs_code("")
    ('371700000000', '371702000000', '371702001000', '')
    """
    if not code:
        return ""
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"not a division code: {code!r}")
    return code.ljust(12, "0")


def build_places(data: Path) -> list[tuple[str, str, str, str]]:
    root = data / "admin_divisions"
    rows: list[tuple[str, str, str, str]] = []
    with (root / "provinces.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append((nbs_code(row["code"]), row["name"], "province", ""))
    city_codes: set[str] = set()
    with (root / "cities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["name"] in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            city_codes.add(row["code"])
            rows.append((nbs_code(row["code"]), row["name"], "city", nbs_code(row["provinceCode"])))
    with (root / "areas.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["name"] == "市辖区":
                continue
            if nbs_code(row["code"]) == nbs_code(row["cityCode"]):
                continue  # 东莞市 441900 is the city 4419 itself (a city without counties): one code, one row
            parent = row["cityCode"] if row["cityCode"] in city_codes else row["provinceCode"]
            rows.append((nbs_code(row["code"]), row["name"], _area_level(row["name"]), nbs_code(parent)))
    with (root / "streets.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            level = _town_level(row["name"])
            # Town-level zones and farms are often bare words (开发区, 街道, 农场): patterns find those.
            if level in ("town", "street") and len(row["name"]) >= 3:
                rows.append((nbs_code(row["code"]), row["name"], level, nbs_code(row["areaCode"])))
    rows.extend(build_countries())
    special = json.loads((root / "HK-MO-TW.json").read_text(encoding="utf-8"))
    for province, cities in special.items():
        digits = _SPECIAL_PROVINCES[province]
        rows.append((nbs_code(digits), province, "province", ""))
        for city_index, (city, areas) in enumerate(cities.items(), start=1):
            city_digits = f"{digits}{city_index:02d}"
            rows.append((nbs_code(city_digits), city, "city", nbs_code(digits)))
            for area_index, area in enumerate(areas, start=1):
                clean = re.sub(r"（.*?）", "", area)
                if len(clean) > 2:  # 中区, 东区: words in mainland text, not places
                    rows.append((nbs_code(f"{city_digits}{area_index:02d}"), clean, _area_level(clean), nbs_code(city_digits)))
    return rows


def build_countries() -> list[tuple[str, str, str, str]]:
    """Countries by their Chinese ISO 3166 names (pycountry's zh_CN translations), China itself excluded."""
    import gettext

    import pycountry

    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    rows = []
    for country in pycountry.countries:
        name = chinese.gettext(country.name)
        if country.alpha_2 in ("CN", "HK", "MO", "TW") or name == country.name or len(name) < 2:
            continue
        rows.append((f"ISO-{country.alpha_2}", name, "country", ""))
    return rows


def _short(name: str) -> str:
    return _STOCK_MARKS.sub("", name.replace("Ａ", "A").replace("Ｂ", "B"))


def build_companies(data: Path) -> list[tuple[str, str, str, str, str]]:
    root = data / "listed_companies"
    by_code: dict[str, list[str]] = {}
    with (root / "szse_A_list.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["A股代码"].strip()
            by_code[code] = [row["公司全称"].strip(), _short(row["A股简称"]), code, row["省份"].strip(), row["城市"].strip()]
    for record in json.loads((root / "sse_stocks.json").read_text(encoding="utf-8")):
        by_code.setdefault(record["symbol"], ["", _short(record["name"]), record["symbol"], "", ""])
    with (data / "chain_kg" / "company.json").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            entry = by_code.setdefault(record["code"], ["", _short(record["name"]), record["code"], "", ""])
            if not entry[0]:
                entry[0] = record.get("fullname", "").strip()
    return sorted(tuple(entry) for entry in by_code.values() if entry[1] or entry[0])  # type: ignore[misc]


def _industry_name(name: str) -> str:
    return re.sub(r"[ⅡⅢ]$", "", name.strip())


def build_industries(data: Path) -> list[tuple[str, str, str]]:
    rows: dict[str, tuple[str, str, str]] = {}
    with (data / "gbt4754" / "gbt4754_2017.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "1":
                continue
            code = row["class4_class"] or row["class3_group"] or row["class2_division"]
            name = row["name"].strip()
            if name and not name.startswith("其他") and "、" not in name:
                rows.setdefault(name, (name, code, "GB/T 4754-2017"))
            # "纺织服装、服饰业" names two industries: keep each part as a word of its own.
            for part in re.split(r"[、，]|和(?=[\u4e00-\u9fff]{2})", name) if "、" in name else ():
                part = re.sub(r"(?:制造)?业$", "", part.strip())
                if len(part) >= 2 and not part.startswith(("其他", "及")):
                    rows.setdefault(part, (part, code, "GB/T 4754-2017"))
    strategic = Path(__file__).parent / "data" / "strategic_emerging_industries_2018.tsv"
    with strategic.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = re.sub(r"(?:产业|业)$", "", row["name"])
            if "、" not in name and not name.startswith(("其他", "相关")):
                rows.setdefault(name, (name, f"SEI-{row['code']}", "NBS 战略性新兴产业分类(2018)"))
    with (data / "chain_kg" / "industry.json").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            name = _industry_name(record["name"])
            if name and not name.startswith("其他"):
                rows.setdefault(name, (name, record["code"], "Shenwan (ChainKnowledgeGraph)"))
    return sorted(rows.values())


def build_surnames(data: Path, minimum: int = 3) -> list[str]:
    """Characters that begin at least ``minimum`` two- or three-character CLUENER person names."""
    counts: dict[str, int] = {}
    with (data / "cluener2020" / "train.json").open(encoding="utf-8") as handle:
        for line in handle:
            for name in json.loads(line)["label"].get("name", {}):
                if 2 <= len(name) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", name):
                    counts[name[0]] = counts.get(name[0], 0) + 1
    return sorted(char for char, count in counts.items() if count >= minimum)


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A gzip file whose bytes depend on the rows only (no timestamp), so rebuilding changes nothing."""
    body = "".join("\t".join(row) + "\n" for row in [header, *rows]).encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("kg/data"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    places = build_places(args.data)
    companies = build_companies(args.data)
    industries = build_industries(args.data)
    _write(args.out / "places.tsv.gz", ("code", "name", "level", "parent_code"), places)
    _write(args.out / "companies.tsv.gz", ("full_name", "short_name", "code", "province", "city"), companies)
    _write(args.out / "industries.tsv.gz", ("name", "code", "source"), industries)
    surnames = build_surnames(args.data)
    (args.out / "surnames.txt").write_text(" ".join(surnames) + "\n", encoding="utf-8")
    print(f"places {len(places)}, companies {len(companies)}, industries {len(industries)}, surnames {len(surnames)}")


if __name__ == "__main__":
    main()
