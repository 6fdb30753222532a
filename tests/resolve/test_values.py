"""Normalised values: amounts of money, dates, project status (``kg.resolve.values``).

Every expected value is worked out by hand in the comment or the table beside it
(1 万 = 10 000, 1 亿 = 100 000 000).
"""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ingest.dates import iso_date, page_date, parse_date
from kg.resolve.values import parse_amount, project_status


@pytest.mark.parametrize(
    ("text", "value", "currency", "approx", "surface", "yuan"),
    [
        ("加快推动投资过150亿元的复杂金精矿综合回收项目", 15_000_000_000, "CNY", False, "150亿元", 15_000_000_000),  # 150 × 1e8
        ("全区共发放创业担保贷款3.22亿元", 322_000_000, "CNY", False, "3.22亿元", 322_000_000),  # 3.22 × 1e8
        ("帮助解决8000余万元资金难题", 80_000_000, "CNY", True, "8000余万元", 80_000_000),  # 8000 × 1e4, 余 = "more than"
        ("引进外资3.3亿美元", 330_000_000, "USD", False, "3.3亿美元", None),  # kept in dollars, never converted
        ("财政贴息1111.35万元", 11_113_500, "CNY", False, "1111.35万元", 11_113_500),  # 1111.35 × 1e4
        ("总投资三十亿元", 3_000_000_000, "CNY", False, "三十亿元", 3_000_000_000),  # 30 × 1e8 via cn2an
        ("总投资一百五十亿元", 15_000_000_000, "CNY", False, "一百五十亿元", 15_000_000_000),  # 150 × 1e8
        ("投资两亿元", 200_000_000, "CNY", False, "两亿元", 200_000_000),
        ("投资五千万元", 50_000_000, "CNY", False, "五千万元", 50_000_000),  # 5000 × 1e4
        ("总投资１５０亿元", 15_000_000_000, "CNY", False, "１５０亿元", 15_000_000_000),  # full-width digits
        ("带动投资100多亿元", 10_000_000_000, "CNY", True, "100多亿元", 10_000_000_000),  # 多 after the number
        ("规划总投资1.2万亿元", 1_200_000_000_000, "CNY", False, "1.2万亿元", 1_200_000_000_000),  # 1.2 × 1e4 × 1e8
        ("签约金额12亿欧元", 1_200_000_000, "EUR", False, "12亿欧元", None),
        ("募集资金1亿港元", 100_000_000, "HKD", False, "1亿港元", None),
        ("营业收入30亿元、税收1.2亿元", 3_000_000_000, "CNY", False, "30亿元", 3_000_000_000),  # the first amount
        ("总投资5 000万元", 50_000_000, "CNY", False, "5 000万元", 50_000_000),  # a space kept between digit groups
    ],
)
def test_amounts(text: str, value: int, currency: str, approx: bool, surface: str, yuan: int | None) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == pytest.approx(value, rel=1e-12)
    assert (amount.currency, amount.approx, amount.text, amount.yuan) == (currency, approx, surface, yuan)


@pytest.mark.parametrize(
    "text",
    [
        "2个千亿级、4个百亿级的产业体系",  # a scale, not an amount
        "打造千亿元级产业集群",  # a scale even with 元
        "占地2.6万平方米",  # no currency
        "年产两万吨碳纤维",
        "带动数十亿元投资",  # "some tens of 亿": no stated amount
        "形成几百万元的产值",
        "贷款1,500万元",  # comma between digit groups is ambiguous with a clause comma in these pages: refuse
        "项目建设有序推进",
    ],
)
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_vague_amount_does_not_hide_a_stated_one() -> None:
    # The first candidate (数十亿元) states no amount; the next one (86亿元) does.
    amount = parse_amount("带动数十亿元投资,其中县本级总投资86亿元")
    assert amount is not None and amount.yuan == 8_600_000_000


UNITS = {"万": 10_000, "亿": 100_000_000}


@settings(max_examples=300, deadline=None)
@given(
    number=st.integers(1, 10_000_000),
    unit=st.sampled_from(sorted(UNITS)),
    approx=st.sampled_from(["", "余", "多"]),
    before=st.sampled_from(["", "总投资", "项目计划投资", "全年完成", "共发放贷款"]),
    after=st.sampled_from(["", "。", ",其中", "的项目", "左右"]),
)
def test_property_integer_amounts_round_trip(number: int, unit: str, approx: str, before: str, after: str) -> None:
    text = f"{before}{number}{approx}{unit}元{after}"
    amount = parse_amount(text)
    assert amount is not None
    assert amount.yuan == number * UNITS[unit]
    assert amount.approx == bool(approx)
    assert amount.text == f"{number}{approx}{unit}元"


@settings(max_examples=200, deadline=None)
@given(hundredths=st.integers(1, 1_000_000), unit=st.sampled_from(sorted(UNITS)))
def test_property_decimal_amounts_round_trip(hundredths: int, unit: str) -> None:
    text = f"投资{hundredths // 100}.{hundredths % 100:02d}{unit}元"
    amount = parse_amount(text)
    assert amount is not None
    assert amount.yuan == hundredths * UNITS[unit] // 100  # exact: both units are multiples of 100


@settings(max_examples=200, deadline=None)
@given(number=st.integers(1000, 10_000_000), unit=st.sampled_from(sorted(UNITS)))
def test_property_space_grouped_amounts_round_trip(number: int, unit: str) -> None:
    grouped = f"{number:,}".replace(",", " ")  # 1234567 -> "1 234 567", as OCR pages print large numbers
    amount = parse_amount(f"总投资{grouped}{unit}元")
    assert amount is not None and amount.yuan == number * UNITS[unit]


@settings(max_examples=200, deadline=None)
@given(number=st.integers(1, 9999), unit=st.sampled_from(sorted(UNITS)))
def test_property_chinese_numeral_amounts_round_trip(number: int, unit: str) -> None:
    numeral = cn2an.an2cn(number)  # 3000 -> 三千, 105 -> 一百零五
    amount = parse_amount(f"总投资{numeral}{unit}元")
    assert amount is not None and amount.yuan == number * UNITS[unit]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2023年11月8日 星期三", None, ("2023-11-08", "2023年11月8日")),
        ("2月12日,市人大常委会副主任", 2025, ("2025-02-12", "2月12日")),
        ("2月12日,市人大常委会副主任", None, ("--02-12", "2月12日")),  # no year known: ISO --MM-DD
        ("2024年2月29日", None, ("2024-02-29", "2024年2月29日")),  # 2024 is a leap year
        ("2月29日", None, ("--02-29", "2月29日")),  # possible in some year
        ("于2024-03-05开工", None, ("2024-03-05", "2024-03-05")),
        ("于2024/3/5开工", None, ("2024-03-05", "2024/3/5")),
        ("2024年3月5日和3月8日", 2023, ("2024-03-05", "2024年3月5日")),  # the first date; its own year wins
    ],
)
def test_dates(text: str, year: int | None, expected: tuple[str, str]) -> None:
    assert parse_date(text, year) == expected


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023年2月29日", None),  # 2023 is not a leap year
        ("2月29日", 2023),
        ("2月30日", 2024),
        ("13月1日", 2024),
        ("2024.13.01", None),
        ("19年3月5日", None),  # a two-digit year is not guessed
        ("今年以来", 2024),
    ],
)
def test_impossible_or_absent_dates(text: str, year: int | None) -> None:
    assert parse_date(text, year) is None


def test_iso_date_and_page_date() -> None:
    assert iso_date(2024, 2, 29) == "2024-02-29"
    assert iso_date(2023, 2, 29) is None
    assert iso_date(None, 2, 29) == "--02-29"
    assert iso_date(2024, 4, 31) is None  # April has 30 days
    assert page_date("2023年11月8日 星期三") == "2023-11-08"
    assert page_date("2023 年 11 月 8 日 周三") == "2023-11-08"
    assert page_date("2023年11月8日") is None  # a masthead date carries its weekday
    assert page_date("2023年11月31日 星期五") is None


@pytest.mark.parametrize(
    ("context", "status"),
    [
        ("年产两万吨碳纤维项目正式投产", "in_production"),
        ("项目建成投用", "in_production"),
        ("项目竣工投产", "in_production"),  # the later stage wins
        ("项目已竣工", "completed"),
        ("园区85栋单体建筑完成封顶", "completed"),
        ("记者走进项目建设现场", "under_construction"),
        ("项目正在建设,工人抢工期", "under_construction"),
        ("25个项目将新开工建设", "started"),
        ("重大项目集中开工仪式", "started"),
        ("签约入园项目21个", "planned"),
        ("拟建特种玻璃项目", "planned"),
        ("建成后可实现营业收入30亿元", None),  # a future result, not a status
        ("投产后年产值可达30亿元", None),
        ("项目尚未开工", None),  # negated: no status
        ("推动青禾华材新材料有限公司年产两万吨碳纤维项目尽快投产", None),  # an aim, not a reached status
        ("力争年底竣工", None),
        ("项目已于3月开工,力争年底投产", "started"),  # the reached stage, not the aimed one
        ("年产两万吨碳纤维项目", None),
    ],
)
def test_project_status(context: str, status: str | None) -> None:
    assert project_status(context) == status
