"""GET /api/v1/reports/annual/{year}?org=CODE — the annual report as JSON (2021 format).

The public gets the published report only, as it was approved; the organisation's report staff
get the live draft (条例第四十九条: a report is public once the agency publishes it)."""

from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from gongkai.accounts.models import Organisation
from gongkai.reports.build import build_annual_report, published_annual_report
from gongkai.reports.selectors import can_view_report_draft

from ..errors import ErrorOut
from ..params import Year

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
    scope: str = Field(..., description="统计范围：level、all 或 own")
    scope_label: str = Field(..., description="统计范围的中文名称，如“本级政府及其部门”")
    status: str
    sections: dict[str, str]
    generated_summary: list[str]
    proactive: ProactiveTable
    applications: ApplicationsTable
    reviews: ReviewsTable
    fees_collected_yuan: str
    checks: Checks


@router.get(
    "/annual/{year}",
    response={200: AnnualReportOut, 404: ErrorOut, 422: ErrorOut},
    summary="政府信息公开工作年度报告",
    description="公众只能取得已发布的报告（发布时经审核的内容）；本机关的政务公开管理员和"
    "依申请公开经办人（登录后）取得按当前数据生成的草稿。scope 为统计范围：level 本级政府及其"
    "部门，all 含下级政府，own 本机关；省略时政府为 all，部门为 own。",
)
def annual_report(
    request,
    year: Year,
    org: str,
    scope: Literal["level", "all", "own"] | None = None,
    own_only: bool = False,
):
    organisation = get_object_or_404(Organisation, code=org, is_active=True)
    if scope is None and own_only:
        scope = "own"
    if can_view_report_draft(request.user, organisation):
        return build_annual_report(organisation, year, scope=scope)
    published = published_annual_report(organisation, year, scope)
    if published is None:
        raise HttpError(
            404,
            _("%(org)s%(year)s年政府信息公开工作年度报告尚未发布")
            % {"org": organisation.name, "year": year},
        )
    return published
