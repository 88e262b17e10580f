from datetime import date

from gongkai.reports.annual import (
    OUTCOME_CODES,
    ROW_KEYS,
    CaseFacts,
    applications_table,
    check_applications_table,
    table_from_counts,
)


def facts(kind, received, closed=None, outcome=None):
    return CaseFacts(
        kind, date.fromisoformat(received), closed and date.fromisoformat(closed), outcome
    )


# Hand-worked fixture for 2025 (each line says where the case is counted).
CASES = [
    facts("natural", "2024-12-31", "2025-01-06", "1"),  # 二 natural; (一) natural
    facts("natural", "2024-11-01", "2024-12-20", "2"),  # nowhere: closed before 2025
    facts("business", "2025-03-03", "2025-03-20", "3.4"),  # 一 business; 3.4 business
    facts("natural", "2025-12-31", "2026-01-08", "1"),  # 一 natural; 四 natural
    facts("legal_service", "2025-06-01"),  # 一 legal_service; 四 legal_service
    facts("research", "2024-05-05"),  # 二 research; 四 research
    facts("natural", "2025-02-02", "2025-02-28", "6.1"),  # 一 natural; 6.1 natural
    facts("nonprofit", "2025-07-07", "2025-12-31", "4.1"),  # 一 nonprofit; 4.1 nonprofit
    facts("other", "2026-01-02", "2026-01-03", "5.2"),  # nowhere: next year
]


def row(natural=0, business=0, research=0, nonprofit=0, legal_service=0, other=0):
    values = {
        "natural": natural,
        "business": business,
        "research": research,
        "nonprofit": nonprofit,
        "legal_service": legal_service,
        "other": other,
    }
    return {**values, "total": sum(values.values())}


def test_table_three_reproduces_the_hand_computed_fixture():
    table = applications_table(CASES, 2025)
    assert table["new"] == row(natural=2, business=1, nonprofit=1, legal_service=1)
    assert table["carried_in"] == row(natural=1, research=1)
    assert table["1"] == row(natural=1)
    assert table["3.4"] == row(business=1)
    assert table["4.1"] == row(nonprofit=1)
    assert table["6.1"] == row(natural=1)
    assert table["total"] == row(natural=2, business=1, nonprofit=1)
    assert table["carried_out"] == row(natural=1, research=1, legal_service=1)
    untouched = set(OUTCOME_CODES) - {"1", "3.4", "4.1", "6.1"}
    assert all(table[code] == row() for code in untouched)
    assert list(table) == list(ROW_KEYS)
    assert check_applications_table(table).ok


def test_grouped_counts_give_the_same_table():
    table = table_from_counts(
        new={"natural": 2, "business": 1, "nonprofit": 1, "legal_service": 1},
        carried_in={"natural": 1, "research": 1},
        closed={
            ("1", "natural"): 1,
            ("3.4", "business"): 1,
            ("4.1", "nonprofit"): 1,
            ("6.1", "natural"): 1,
        },
        carried_out={"natural": 1, "research": 1, "legal_service": 1},
    )
    assert table == applications_table(CASES, 2025)


def test_consistency_check_names_the_failing_cell():
    table = applications_table(CASES, 2025)
    table["carried_out"]["business"] = 1
    table["carried_out"]["total"] = 4
    result = check_applications_table(table)
    assert not result.ok
    messages = [f.message for f in result.failures]
    assert messages == [
        "“商业企业”列：第一项加第二项之和为1，第三项（七）总计加第四项之和为2，二者不相等",
        "“总计”列：第一项加第二项之和为7，第三项（七）总计加第四项之和为8，二者不相等",
    ]


def test_total_column_must_equal_the_six_applicant_columns():
    table = applications_table(CASES, 2025)
    table["new"]["total"] = 6
    failures = check_applications_table(table).failures
    assert [(f.row, f.column) for f in failures] == [("total", "total"), ("new", "total")]
    assert failures[1].message == "“一、本年新收政府信息公开申请数量”行：总计为6，六类申请人之和为5"
