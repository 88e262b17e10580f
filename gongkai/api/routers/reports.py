"""GET /api/v1/reports/annual/{year}?org=CODE — the annual report as JSON (2021 format)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from gongkai.accounts.models import Organisation
from gongkai.reports.build import build_annual_report

PREFIX = "/reports"
router = Router(tags=["年度报告"])

Row = dict[str, int]


class ApplicationsTable(Schema):
    """表三：columns natural…total; rows new, carried_in, 1, 2, 3.1…3.8, 4.1…4.3, 5.1…5.5,
    6.1…6.3, total, carried_out — each an object keyed by the column names."""

    columns: list[str]
    column_labels: dict[str, str]
    rows: dict[str, Row]


class ProactiveTable(Schema):
    """表二：rows rules (规章) and normative (行政规范性文件) with issued (本年制发),
    repealed (本年废止), in_force (现行有效); decisions licensing/penalty/enforcement and
    fees administrative_fees_wan are entered by staff (listed in entered_by_staff)."""

    columns: list[str]
    rows: dict[str, Row]
    decisions: dict[str, int | None]
    fees: dict[str, str | None]
    entered_by_staff: list[str]


class ReviewsTable(Schema):
    """表四：rows review (行政复议), litigation_direct (未经复议直接起诉),
    litigation_after_review (复议后起诉); columns upheld, corrected, other, pending, total."""

    columns: list[str]
    rows: dict[str, Row]


class CheckFailure(Schema):
    row: str
    column: str
    message: str


class Checks(Schema):
    ok: bool
    failures: list[CheckFailure]


class OrganisationRef(Schema):
    code: str
    name: str


class AnnualReportOut(Schema):
    organisation: OrganisationRef
    year: int
    include_subordinates: bool
    status: str
    sections: dict[str, str]
    generated_summary: list[str]
    proactive: ProactiveTable
    applications: ApplicationsTable
    reviews: ReviewsTable
    fees_collected_yuan: str
    checks: Checks


@router.get("/annual/{year}", response=AnnualReportOut, summary="政府信息公开工作年度报告")
def annual_report(request, year: int, org: str, own_only: bool = False):
    organisation = get_object_or_404(Organisation, code=org, is_active=True)
    return build_annual_report(organisation, year, include_subordinates=False if own_only else None)
