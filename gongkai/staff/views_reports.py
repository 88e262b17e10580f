"""Staff pages of the annual report: the live tables with drill-down, the draft, publication."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.permissions import staff_required
from gongkai.accounts.selectors import organisations_for_role
from gongkai.core.pdf import PdfFontsMissing
from gongkai.interaction import selectors as interaction_selectors
from gongkai.interaction.press import press_figures
from gongkai.participation.selectors import participation_stats
from gongkai.reports import services
from gongkai.reports.annual import APPLICANT_COLUMNS, ROW_LABELS, default_scope
from gongkai.reports.build import build_annual_report
from gongkai.reports.forms import AnnualReportForm
from gongkai.reports.models import AnnualReport
from gongkai.reports.render import render_docx, render_html, render_pdf
from gongkai.reports.selectors import (
    REPORT_DRAFT_ROLES,
    drilldown_cases,
    report_organisation_ids,
    scope_organisation_ids,
)


def _context_args(request: AuthenticatedHttpRequest) -> tuple[Organisation, int, str]:
    allowed = organisations_for_role(request.user, *REPORT_DRAFT_ROLES)
    code = request.GET.get("org") or request.POST.get("org")
    organisation = allowed.filter(code=code).first() if code else allowed.first()
    if organisation is None:
        raise PermissionDenied(_("您没有查看该机构年度报告的权限"))
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if not 2008 <= year <= 2100:
        year = timezone.localdate().year - 1
    scope = request.GET.get("scope") or request.POST.get("scope") or ""
    if scope not in AnnualReport.Scope.values:
        # Older links say own_only=1 for 本机关.
        own_only = (request.GET.get("own_only") or request.POST.get("own_only")) == "1"
        scope = AnnualReport.Scope.OWN if own_only else default_scope(organisation.kind)
    return organisation, year, scope


def _query(organisation: Organisation, year: int, scope: str) -> str:
    return f"org={organisation.code}&year={year}&scope={scope}"


def _pdf_or_error(request: AuthenticatedHttpRequest, report: dict) -> bytes | None:
    """The PDF, or ``None`` after telling the user why it cannot be made (no CJK font)."""
    try:
        return render_pdf(report)
    except PdfFontsMissing as exc:
        messages.error(request, str(exc))
        return None


@staff_required
def annual_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation, year, scope = _context_args(request)
    draft = AnnualReport.objects.filter(organisation=organisation, year=year, scope=scope).first()
    form = AnnualReportForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_save(
                organisation=organisation,
                year=year,
                scope=scope,
                data={k: form.cleaned_data[k] for k in form.fields},
                acting_user=request.user,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("年度报告草稿已保存"))
            return redirect(request.get_full_path())
    report = build_annual_report(organisation, year, scope=scope)
    query = _query(organisation, year, scope)
    fmt = request.GET.get("format")
    data = None
    if fmt == "docx":
        data = render_docx(report)
    elif fmt == "pdf":
        data = _pdf_or_error(request, report)
    if data is not None:
        content_type = (
            "application/pdf"
            if fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.{fmt}"'
        return response
    return render(
        request,
        "staff/reports/annual.html",
        {
            "organisation": organisation,
            "year": year,
            "scope": scope,
            "scopes": AnnualReport.Scope.choices,
            "report": report,
            "draft": draft,
            "form": form,
            "query": query,
            "organisations": organisations_for_role(request.user, *REPORT_DRAFT_ROLES),
            "table_html": render_html(report, standalone=False, drilldown=f"drilldown/?{query}"),
        },
    )


@staff_required
def annual_report_publish(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    organisation, year, scope = _context_args(request)
    report = get_object_or_404(AnnualReport, organisation=organisation, year=year, scope=scope)
    try:
        item = services.annual_report_submit(report=report, acting_user=request.user)
    except (PermissionDenied, ValidationError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        messages.success(request, _("年度报告已提交审核，索引号 %(n)s") % {"n": item.index_number})
    return redirect("/staff/reports/annual/?" + _query(organisation, year, scope))


@staff_required
def annual_report_drilldown(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases behind one cell of table 三 (same definitions as the computation)."""
    organisation, year, scope = _context_args(request)
    row, column = request.GET.get("row", ""), request.GET.get("column", "")
    if row not in ROW_LABELS or column not in (*APPLICANT_COLUMNS, "total"):
        raise Http404
    cases = drilldown_cases(scope_organisation_ids(organisation, scope), year, row, column)
    page = Paginator(cases, 50)
    return render(
        request,
        "staff/reports/drilldown.html",
        {
            "organisation": organisation,
            "year": year,
            "row_label": ROW_LABELS[row],
            "column": column,
            "page": page.get_page(request.GET.get("page")),
            "total": page.count,
        },
    )


def _period_from(request: AuthenticatedHttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        quarter = int(request.GET.get("quarter") or 0)
    except ValueError:
        year, quarter = today.year, 0
    if not 2008 <= year <= 2100:
        year = today.year
    return year, quarter if quarter in (1, 2, 3, 4) else 0


@staff_required
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    """统计分析: publishing and 依申请公开 figures for a year or quarter, with Excel export."""
    from gongkai.reports.stats import Period, foi_stats, publishing_stats, quarterly_bulletin

    allowed = organisations_for_role(request.user, Role.ADMIN, Role.EDITOR, Role.FOI_HANDLER)
    code = request.GET.get("org")
    organisation = allowed.filter(code=code).first() if code else allowed.first()
    if organisation is None:
        raise PermissionDenied(_("您没有查看统计数据的权限"))
    year, quarter = _period_from(request)
    period = (
        Period.quarter(year, quarter)
        if quarter
        else Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    )
    include = organisation.kind == Organisation.Kind.GOVERNMENT
    org_ids = report_organisation_ids(organisation, include)
    publishing = publishing_stats(org_ids, period)
    foi = foi_stats(org_ids, period, timezone.localdate())
    interaction = interaction_selectors.stats_for_ids(
        org_ids, period.start, min(period.end, timezone.localdate())
    )
    interaction["press"] = press_figures(org_ids, period.start.year)
    participation = participation_stats(
        Organisation.objects.filter(pk__in=org_ids), period.start.year
    )
    bulletin = quarterly_bulletin(organisation, period) if include else []
    if request.GET.get("format") == "xlsx":
        return _statistics_workbook(organisation, period, publishing, foi, bulletin)
    peak = max([m["n"] for m in publishing["by_month"]] or [1])
    return render(
        request,
        "staff/reports/statistics.html",
        {
            "organisation": organisation,
            "organisations": allowed,
            "year": year,
            "quarter": quarter,
            "period": period,
            "publishing": publishing,
            "months": [
                {**m, "percent": round(100 * m["n"] / peak)} for m in publishing["by_month"]
            ],
            "foi": foi,
            "interaction": interaction,
            "participation": participation,
            "bulletin": bulletin,
            "outcome_labels": ROW_LABELS,
        },
    )


def _statistics_workbook(organisation, period, publishing, foi, bulletin) -> HttpResponse:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "信息发布"
    sheet.append(["机构", organisation.name])
    sheet.append(["统计期间", f"{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}"])
    sheet.append(["发布信息（条）", publishing["items"]])
    sheet.append(["政策解读（篇）", publishing["interpretations"]])
    sheet.append([])
    sheet.append(["栏目", "条数"])
    for row in publishing["by_column"]:
        sheet.append([row["name"], row["n"]])
    sheet.append([])
    sheet.append(["月份", "条数"])
    for row in publishing["by_month"]:
        sheet.append([row["month"], row["n"]])
    foi_sheet = book.create_sheet("依申请公开")
    foi_sheet.append(["收到申请（件）", foi["received"]])
    foi_sheet.append(["办结（件）", foi["closed"]])
    foi_sheet.append(["平均办理天数", foi["average_days"]])
    foi_sheet.append(["超期办结（件）", foi["overdue_closed"]])
    foi_sheet.append(["超期率", foi["overdue_rate"]])
    foi_sheet.append([])
    foi_sheet.append(["办理结果", "件数"])
    for row in foi["outcomes"]:
        foi_sheet.append([ROW_LABELS.get(row["outcome"], row["outcome"] or "未办结"), row["n"]])
    foi_sheet.append([])
    foi_sheet.append(["更正申请（条例第四十一条）收到（件）", foi["corrections_received"]])
    for row in foi["corrections_answered"]:
        foi_sheet.append([f"更正申请：{row['label']}", row["n"]])
    if bulletin:
        sheet3 = book.create_sheet("季度通报")
        sheet3.append(["机构", "发布信息", "政策解读", "收到申请", "办结申请", "超期办结"])
        for row in bulletin:
            sheet3.append(
                [
                    row["organisation"],
                    row["items"],
                    row["interpretations"],
                    row["foi_received"],
                    row["foi_closed"],
                    row["foi_overdue"],
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="statistics.xlsx"'
    return response
