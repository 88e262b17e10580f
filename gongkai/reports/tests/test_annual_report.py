"""The annual report computed from live cases: a fixture year with hand-computed tables."""

import io
import json
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from gongkai.foi.tests.factories import AdminReviewFactory, CaseFactory, FeeNoticeFactory
from gongkai.reports.annual import OUTCOME_CODES

from .test_annual_rules import CASES, row


def make_cases(org, facts_list, prefix):
    for n, f in enumerate(facts_list):
        CaseFactory.create(
            reference=f"{prefix}-{n}",
            organisation=org,
            applicant_type=f.applicant_type,
            channel="online" if n % 2 else "letter",
            received_date=f.received,
            closed_date=f.closed,
            outcome=f.outcome or "",
            status="archived" if f.closed else "in_progress",
        )


@pytest.fixture
def report_world(org_tree):
    make_cases(org_tree["district"], CASES, "D")
    make_cases(org_tree["district_edu"], CASES[:5], "E")  # a department under the district
    make_cases(org_tree["finance"], CASES, "F")  # outside the district: never counted there
    case = apps.get_model("foi", "Case").objects.get(reference="D-2")
    AdminReviewFactory.create(
        case=case,
        kind="review",
        result="upheld",
        filed_date=date(2025, 4, 1),
        decided_date=date(2025, 6, 1),
    )
    AdminReviewFactory.create(
        case=case,
        kind="litigation_direct",
        result="corrected",
        filed_date=date(2025, 9, 1),
        decided_date=date(2026, 2, 1),
    )
    FeeNoticeFactory.create(
        case=case,
        method="count",
        quantity=11,
        amount=Decimal("100.00"),
        issued_date=date(2025, 3, 10),
        pay_due=date(2025, 4, 8),
        state="paid",
        paid_date=date(2025, 3, 15),
    )
    return org_tree


def run_json(*args):
    out = io.StringIO()
    call_command("annual_report", *args, stdout=out)
    return out.getvalue()


def test_department_table_three_matches_the_hand_computed_year(report_world):
    from gongkai.reports.build import build_annual_report

    report = build_annual_report(report_world["district"], 2025, include_subordinates=False)
    rows = report["applications"]["rows"]
    assert rows["new"] == row(natural=2, business=1, nonprofit=1, legal_service=1)
    assert rows["carried_in"] == row(natural=1, research=1)
    assert rows["total"] == row(natural=2, business=1, nonprofit=1)
    assert rows["carried_out"] == row(natural=1, research=1, legal_service=1)
    assert report["checks"] == {"ok": True, "failures": []}
    assert report["reviews"]["rows"]["review"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 0,
        "total": 1,
    }
    # Decided only in February 2026: still 尚未审结 at the end of 2025.
    assert report["reviews"]["rows"]["litigation_direct"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }
    assert report["fees_collected_yuan"] == "100.00"
    assert report["generated_summary"][0] == (
        "2025年共收到政府信息公开申请5件，其中自然人申请2件，法人或其他组织申请3件"
        "（信函申请3件、网上申请2件）。"
    )


def test_government_roll_up_equals_the_sum_of_its_organisations(report_world):
    from gongkai.reports.build import build_annual_report

    own = build_annual_report(report_world["district"], 2025, include_subordinates=False)
    dept = build_annual_report(report_world["district_edu"], 2025, include_subordinates=False)
    rolled = build_annual_report(report_world["district"], 2025)
    assert rolled["include_subordinates"] is True
    for key, values in rolled["applications"]["rows"].items():
        for column, n in values.items():
            assert (
                n
                == own["applications"]["rows"][key][column]
                + dept["applications"]["rows"][key][column]
            ), (key, column)
    # CASES[:5] in the department: A (二, (一)), B (none), C (一, 3.4), D (一, 四), E (一, 四).
    assert dept["applications"]["rows"]["new"]["total"] == 3
    assert rolled["applications"]["rows"]["new"]["total"] == 8


def test_command_prints_only_json_with_the_contract_keys(report_world):
    data = json.loads(
        run_json("--year", "2025", "--org", report_world["district"].code, "--own-only")
    )
    table = data["applications"]
    assert table["columns"] == [
        "natural",
        "business",
        "research",
        "nonprofit",
        "legal_service",
        "other",
        "total",
    ]
    assert list(table["rows"]) == ["new", "carried_in", *OUTCOME_CODES, "total", "carried_out"]
    assert table["rows"]["3.4"]["business"] == 1


def test_unknown_organisation_is_a_clear_error(report_world):
    with pytest.raises(CommandError, match="找不到机构代码为“nope”的机构"):
        run_json("--year", "2025", "--org", "nope")


def test_docx_tables_match_the_json(report_world, tmp_path):
    target = tmp_path / "report.docx"
    call_command(
        "annual_report",
        "--year",
        "2025",
        "--org",
        report_world["district"].code,
        "--own-only",
        "--format",
        "docx",
        "--output",
        str(target),
    )
    data = json.loads(
        run_json("--year", "2025", "--org", report_world["district"].code, "--own-only")
    )
    document = Document(str(target))
    table = document.tables[3]  # 二 has three tables; table 三 comes next
    by_label = {}
    for tr in table.rows[3:]:
        texts = [c.text for c in tr.cells]
        by_label[texts[2]] = texts[3:]
    from gongkai.reports.annual import ROW_LABELS

    for key, values in data["applications"]["rows"].items():
        expected = [str(values[c]) for c in data["applications"]["columns"]]
        assert by_label[ROW_LABELS[key]] == expected, key
    assert (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
        in table.rows[0].cells[0].text
    )
    assert table.rows[0].cells[3].text == "申请人情况"
    assert table.rows[1].cells[4].text == "法人或其他组织"


def test_pdf_renders_chinese(report_world, tmp_path):
    target = tmp_path / "report.pdf"
    call_command(
        "annual_report",
        "--year",
        "2025",
        "--org",
        report_world["district"].code,
        "--format",
        "pdf",
        "--output",
        str(target),
    )
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "三、收到和处理政府信息公开申请情况" in text
    assert "杭东市西湖区人民政府2025年政府信息公开工作年度报告" in text.replace("\n", "")
