"""信息处理费 tariffs (《政府信息公开信息处理费管理办法》第四、五条), hand-computed."""

import re
from decimal import Decimal

import pytest

from gongkai.foi.fees import (
    FeeMethod,
    count_rate,
    fee_breakdown_by_count,
    fee_breakdown_by_pages,
    fee_by_count,
    fee_by_pages,
)


@pytest.mark.parametrize(
    ("applications", "fee"),
    [
        (0, 0),
        (1, 0),
        (10, 0),  # ≤10 per calendar month: free
        (11, 100),  # 1 × 100
        (30, 2000),  # 20 × 100
        (31, 2200),  # 20 × 100 + 1 × 200
        (40, 4000),  # 20 × 100 + 10 × 200
        (41, 4300),  # + 1 × 300
        (45, 5500),  # 20 × 100 + 10 × 200 + 5 × 300
        (51, 7400),  # 20 × 100 + 10 × 200 + 10 × 300 + 1 × 400 = 2000 + 2000 + 3000 + 400
    ],
)
def test_fee_by_count_month_totals(applications, fee):
    assert fee_by_count(0, applications) == Decimal(fee)


@pytest.mark.parametrize(
    ("existing", "new", "fee"),
    [
        (0, 1, 0),  # 1st application of the month
        (9, 1, 0),  # 10th: still free
        (10, 1, 100),  # 11th
        (29, 1, 100),  # 30th
        (30, 1, 200),  # 31st: first 200 band
        (39, 1, 200),  # 40th
        (40, 1, 300),  # 41st
        (50, 1, 400),  # 51st
        (8, 5, 300),  # 9th..13th: 9, 10 free; 11, 12, 13 at 100
        (28, 4, 600),  # 29th..32nd: 2×100 + 2×200
    ],
)
def test_fee_for_next_applications(existing, new, fee):
    assert fee_by_count(existing, new) == Decimal(fee)


def test_count_rate_bands():
    assert [count_rate(n) for n in (1, 10, 11, 30, 31, 40, 41, 50, 51, 60, 61)] == [
        0,
        0,
        100,
        100,
        200,
        200,
        300,
        300,
        400,
        400,
        500,
    ]


def test_fee_by_count_breakdown_lines():
    breakdown = fee_breakdown_by_count(0, 45)
    assert breakdown.method == FeeMethod.BY_COUNT
    assert breakdown.amount == Decimal(5500)
    assert breakdown.lines == [
        "第1至10件：同一申请人一个自然月内累计10件以内，免费。",
        "第11至30件：20件×100元/件=2000元。",
        "第31至40件：10件×200元/件=2000元。",
        "第41至45件：5件×300元/件=1500元。",
        "按件计收（《政府信息公开信息处理费管理办法》第四条，超额累进），合计5500元。",
    ]


def test_fee_for_the_eleventh_application_lines():
    assert fee_breakdown_by_count(10).lines == [
        "第11件：1件×100元/件=100元。",
        "按件计收（《政府信息公开信息处理费管理办法》第四条，超额累进），合计100元。",
    ]


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),  # ≤30 pages free
        (31, 10),  # 1 × 10
        (100, 700),  # 70 × 10
        (101, 720),  # 700 + 1 × 20
        (150, 1700),  # 700 + 50 × 20
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),  # 2700 + 1 × 40
        (250, 4700),  # 700 + 2000 + 50 × 40
    ],
)
def test_fee_by_pages(pages, fee):
    assert fee_by_pages(pages) == Decimal(fee)


def test_fee_by_pages_breakdown_lines():
    breakdown = fee_breakdown_by_pages(250)
    assert breakdown.method == FeeMethod.BY_PAGES
    assert breakdown.lines == [
        "第1至30页：30页以内，免费。",
        "第31至100页：70页×10元/页=700元。",
        "第101至200页：100页×20元/页=2000元。",
        "第201至250页：50页×40元/页=2000元。",
        "按量计收（《政府信息公开信息处理费管理办法》第五条，超额累进），合计4700元。",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fee_by_pages(-1), "页数必须是不小于0的整数，收到的是“-1”"),
        (lambda: fee_by_count(-1), "本月已提出的申请件数必须是不小于0的整数，收到的是“-1”"),
        (lambda: fee_by_count(0, -2), "本次计费的申请件数必须是不小于0的整数，收到的是“-2”"),
        (lambda: fee_by_pages(True), "页数必须是不小于0的整数，收到的是“True”"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        call()
