"""Writes of the annual report: the staff's draft and its publication through the catalogue."""

import datetime
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import user_has_role
from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Column, InformationItem
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .build import build_annual_report
from .models import AnnualReport
from .render import render_html
from .selectors import ANNUAL_REPORT_COLUMN

EDITABLE_FIELDS = (
    "overview",
    "problems",
    "other_matters",
    "licensing_decisions",
    "penalty_decisions",
    "enforcement_decisions",
    "fees_collected_wan",
)


def _require_admin(user: Any, organisation: Organisation) -> None:
    if not user_has_role(user, organisation, Role.ADMIN):
        raise PermissionDenied(_("只有本机关的政务公开管理员可以编辑和发布年度报告"))


def annual_report_save(
    *,
    organisation: Organisation,
    year: int,
    scope: str,
    data: dict[str, Any],
    acting_user: Any,
) -> AnnualReport:
    """Save the staff's draft of the report with the given 统计范围 (one draft per scope)."""
    _require_admin(acting_user, organisation)
    if scope not in AnnualReport.Scope.values:
        raise ValidationError(_("统计范围“%(s)s”不正确") % {"s": scope})
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            organisation=organisation, year=year, scope=scope
        )
        if report.published_item is not None and report.published_item.status in (
            InformationItem.Status.IN_REVIEW,
            InformationItem.Status.PUBLISHED,
        ):
            raise ValidationError(_("年度报告已在审核中或已发布，不能再修改"))
        for name in EDITABLE_FIELDS:
            if name in data:
                setattr(report, name, data[name])
        report.updated_by = acting_user
        report.full_clean()
        report.save()
        audit_record(
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=report,
            detail={"fields": sorted(set(data) & set(EDITABLE_FIELDS)), "scope": scope},
        )
    return report


def annual_report_submit(
    *, report: AnnualReport, acting_user: Any, on: datetime.date | None = None
) -> InformationItem:
    """Send the report to 先审后发 as an information item in the 公开年报 column, with its 索引号;
    the final reviewer's approval publishes it.

    A report whose tables fail the 勾稽关系 checks cannot be submitted: the error names the cell.
    """
    from gongkai.review.chain_services import review_submit

    _require_admin(acting_user, report.organisation)
    data = build_annual_report(report.organisation, report.year, scope=report.scope)
    if not data["checks"]["ok"]:
        raise ValidationError(
            [_("年度报告未通过勾稽关系校验，不能提交发布：")]
            + [f["message"] for f in data["checks"]["failures"]]
        )
    if report.published_item is not None and report.published_item.status in (
        InformationItem.Status.IN_REVIEW,
        InformationItem.Status.PUBLISHED,
    ):
        raise ValidationError(_("年度报告已在审核中或已发布"))
    title = f"{report.organisation.name}{report.year}年政府信息公开工作年度报告"
    column = Column.objects.filter(slug=ANNUAL_REPORT_COLUMN).first()
    fields = {
        "title": title,
        "body": render_html(data, standalone=False),
        "summary": data["generated_summary"][0],
        "written_date": on or timezone.localdate(),
        "genre": "report",
        "columns": [column] if column else [],
    }
    with transaction.atomic():
        if report.published_item is not None:
            item = catalogue_services.item_update(
                item=report.published_item, data=fields, acting_user=acting_user
            )
        else:
            item = catalogue_services.item_create(
                organisation=report.organisation, data=fields, acting_user=acting_user
            )
        review_submit(content=item, acting_user=acting_user)
        report.published_item = item
        report.status = AnnualReport.Status.SUBMITTED
        report.published_json = json.dumps(data, ensure_ascii=False)
        report.save(update_fields=["published_item", "status", "published_json", "updated_at"])
        audit_record(
            action=AuditEntry.Action.SUBMIT,
            acting_user=acting_user,
            target=report,
            detail={"item": item.index_number, "scope": report.scope},
        )
    item.refresh_from_db()
    return item
