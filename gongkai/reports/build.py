"""Assemble the whole annual report (the JSON contract) from live data and the staff's draft."""

import json
from typing import Any

from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation

from .annual import (
    APPLICANT_COLUMNS,
    COLUMN_LABELS,
    COLUMNS,
    REVIEW_RESULTS,
    SCOPE_ALL,
    SCOPE_LABELS,
    SCOPE_OWN,
    check_applications_table,
    default_scope,
)
from .models import AnnualReport
from .selectors import (
    application_split,
    applications_table_for,
    fees_collected,
    proactive_table,
    reviews_table,
    scope_organisation_ids,
)

CHANNEL_LABELS = {
    "online": "网上申请",
    "letter": "信函申请",
    "in_person": "当面申请",
    "fax": "传真申请",
    "other": "其他渠道",
}


def summary_sentences(table: dict, split: dict, fees_yuan: str, year: int) -> list[str]:
    """Generated starting text for 一、总体情况 and 六、其他需要报告的事项."""
    new = table["new"]
    legal = sum(new[c] for c in APPLICANT_COLUMNS if c != "natural")
    parts = [
        _(
            "%(year)s年共收到政府信息公开申请%(n)s件，其中自然人申请%(natural)s件，"
            "法人或其他组织申请%(legal)s件"
        )
        % {"year": year, "n": new["total"], "natural": new["natural"], "legal": legal}
    ]
    channels = [
        f"{CHANNEL_LABELS.get(code, code)}{n}件"
        for code, n in sorted(split["channel"].items())
        if n
    ]
    first = parts[0] + ("（" + "、".join(channels) + "）" if channels else "") + "。"
    carried = table["carried_in"]["total"]
    closed = table["total"]["total"]
    second = _("上年结转%(carried)s件，本年办结%(closed)s件，结转下年度继续办理%(out)s件。") % {
        "carried": carried,
        "closed": closed,
        "out": table["carried_out"]["total"],
    }
    third = _(
        "依据《政府信息公开信息处理费管理办法》规定，%(year)s年实际收取信息处理费共计%(fees)s元。"
    ) % {"year": year, "fees": fees_yuan}
    return [first, second, third]


def report_status(draft: AnnualReport | None) -> str:
    """Published once the final reviewer approved the report's information item."""
    if draft is None:
        return AnnualReport.Status.DRAFT
    item = draft.published_item
    if item is not None and item.status == item.Status.PUBLISHED:
        return AnnualReport.Status.PUBLISHED
    return draft.status


def resolve_scope(
    organisation: Organisation, scope: str | None = None, include_subordinates: bool | None = None
) -> str:
    """The 统计范围 asked for; the older yes/no roll-up flag maps to 含下级 / 本机关; neither
    gives the organisation's default (annual.default_scope)."""
    if scope:
        if scope not in SCOPE_LABELS:
            raise ValueError(f"unknown report scope {scope!r}")
        return scope
    if include_subordinates is not None:
        return SCOPE_ALL if include_subordinates else SCOPE_OWN
    return default_scope(organisation.kind)


def build_annual_report(
    organisation: Organisation,
    year: int,
    *,
    include_subordinates: bool | None = None,
    scope: str | None = None,
) -> dict[str, Any]:
    """The live report (figures computed now, the staff's current draft text)."""
    scope = resolve_scope(organisation, scope, include_subordinates)
    org_ids = scope_organisation_ids(organisation, scope)
    draft = AnnualReport.objects.filter(organisation=organisation, year=year, scope=scope).first()
    applications = applications_table_for(org_ids, year)
    checks = check_applications_table(applications)
    proactive = proactive_table(org_ids, year)
    split = application_split(org_ids, year)
    fees = fees_collected(org_ids, year)
    entered = {
        "licensing": draft.licensing_decisions if draft else None,
        "penalty": draft.penalty_decisions if draft else None,
        "enforcement": draft.enforcement_decisions if draft else None,
        "administrative_fees_wan": (
            str(draft.fees_collected_wan)
            if draft and draft.fees_collected_wan is not None
            else None
        ),
    }
    return {
        "organisation": {"code": organisation.code, "name": organisation.name},
        "year": year,
        "include_subordinates": scope != SCOPE_OWN,
        "scope": scope,
        "scope_label": SCOPE_LABELS[scope],
        "status": report_status(draft),
        "sections": {
            "overview": draft.overview if draft else "",
            "problems": draft.problems if draft else "",
            "other_matters": draft.other_matters if draft else "",
        },
        "generated_summary": summary_sentences(applications, split, fees, year),
        "proactive": {
            "columns": ["issued", "repealed", "in_force"],
            "rows": proactive,
            "decisions": {k: entered[k] for k in ("licensing", "penalty", "enforcement")},
            "fees": {"administrative_fees_wan": entered["administrative_fees_wan"]},
            # These figures are typed in by staff: the platform holds no such records.
            "entered_by_staff": [k for k, v in entered.items() if v is not None],
        },
        "applications": {
            "columns": list(COLUMNS),
            "column_labels": COLUMN_LABELS,
            "rows": applications,
        },
        "reviews": {"columns": list(REVIEW_RESULTS), "rows": reviews_table(org_ids, year)},
        "fees_collected_yuan": fees,
        "checks": {
            "ok": checks.ok,
            "failures": [
                {"row": f.row, "column": f.column, "message": f.message} for f in checks.failures
            ],
        },
    }


def published_annual_report(
    organisation: Organisation, year: int, scope: str | None = None
) -> dict[str, Any] | None:
    """The report as it was approved and published (its submitted snapshot), or ``None`` while
    it is not published (drafts, reports in review, withdrawn reports are not public)."""
    scope = resolve_scope(organisation, scope)
    report = (
        AnnualReport.objects.filter(organisation=organisation, year=year, scope=scope)
        .select_related("published_item")
        .first()
    )
    if report is None or report_status(report) != AnnualReport.Status.PUBLISHED:
        return None
    if not report.published_json:
        # Published before submissions were recorded: its text has been locked since it was
        # submitted, so only the figures are today's.
        live = build_annual_report(organisation, year, scope=scope)
        return {**live, "status": AnnualReport.Status.PUBLISHED}
    return {**json.loads(report.published_json), "status": AnnualReport.Status.PUBLISHED}
