"""回应关切: the 舆情 ledger — daily collection, the response published for each item, and the
quarterly analysis as an exportable workbook — and the public 回应关切 responses
(``ConcernResponse``, a reviewed content kind: drafted here, reviewed by the chain, published
on the portal by ``concern_response_publish``). Writes are audited."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.text import spreadsheet_text

from .models import ConcernResponse, OpinionItem

ROLES = (Role.EDITOR, Role.ADMIN)


def _require(user: Any, organisation: Organisation) -> None:
    if not (is_staff_user(user) and user_has_role(user, organisation, *ROLES)):
        raise PermissionDenied(_("只有该机构的编辑或政务公开管理员可以登记舆情"))


def opinion_record(*, organisation: Organisation, data: dict, acting_user: Any) -> OpinionItem:
    _require(acting_user, organisation)
    errors: dict[str, str] = {}
    collected = data.get("collected_on")
    if not isinstance(collected, date) or collected > timezone.localdate():
        errors["collected_on"] = _("请填写收集日期（不晚于今天）")
    if data.get("level") not in OpinionItem.Level.values:
        errors["level"] = _("请选择研判等级")
    for name, label in (("source", _("来源")), ("summary", _("内容摘要"))):
        if not (data.get(name) or "").strip():
            errors[name] = _("请填写%(what)s") % {"what": label}
    if errors or not isinstance(collected, date):
        raise ValidationError(errors)
    with transaction.atomic():
        item = OpinionItem.objects.create(
            organisation=organisation,
            unit=(data.get("unit") or "").strip()[:200],
            source=data["source"].strip()[:200],
            link=(data.get("link") or "").strip(),
            summary=data["summary"].strip(),
            collected_on=collected,
            level=data["level"],
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=item,
            target_label=str(item),
            organisation=organisation,
            detail={"level": item.level, "collected_on": collected.isoformat()},
        )
    return item


def opinion_respond(
    *,
    item: OpinionItem,
    acting_user: Any,
    note: str = "",
    response_item: Any = None,
    response_interpretation: Any = None,
    response_conference: Any = None,
) -> OpinionItem:
    """Record the response published for an item (at least one link or a note)."""
    _require(acting_user, item.organisation)
    if not (note.strip() or response_item or response_interpretation or response_conference):
        raise ValidationError(_("请关联回应的信息、解读或发布会，或填写回应说明"))
    with transaction.atomic():
        item = OpinionItem.objects.select_for_update().get(pk=item.pk)
        item.response_item = response_item
        item.response_interpretation = response_interpretation
        item.response_conference = response_conference
        item.response_note = note.strip()
        item.responded_on = timezone.localdate()
        item.save()
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=item,
            target_label=str(item),
            organisation=item.organisation,
            detail={"responded_on": item.responded_on.isoformat()},
        )
    return item


def _response_fields(organisation: Organisation, data: dict) -> dict[str, Any]:
    from .press import _links_problems

    errors: dict[str, str] = {}
    for name, label in (
        ("title", _("标题")),
        ("concern", _("社会关切")),
        ("response", _("回应内容")),
    ):
        if not (data.get(name) or "").strip():
            errors[name] = _("请填写%(what)s") % {"what": label}
    conference = data.get("conference")
    if conference is not None and conference.organisation_id != organisation.pk:
        errors["conference"] = _("回应发布会须是本机构的新闻发布会")
    item = data.get("opinion_item")
    if item is not None and item.organisation_id != organisation.pk:
        errors["opinion_item"] = _("对应舆情须是本机构台账中的舆情")
    _links_problems(data, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "title": data["title"].strip()[:300],
        "concern": data["concern"].strip(),
        "response": data["response"].strip(),
        "conference": conference,
        "opinion_item": item,
    }


def concern_response_create(
    *, organisation: Organisation, data: dict, acting_user: Any
) -> ConcernResponse:
    """A 回应关切 draft: the concern, the response, the policies it concerns."""
    from gongkai.review.chain_services import content_saved

    _require(acting_user, organisation)
    fields = _response_fields(organisation, data)
    with transaction.atomic():
        obj = ConcernResponse.objects.create(
            organisation=organisation, created_by=acting_user, **fields
        )
        obj.policies.set(data.get("policies") or [])
        obj.interpretations.set(data.get("interpretations") or [])
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=obj,
            target_label=obj.title,
            organisation=organisation,
        )
        content_saved(content=obj, created=True, acting_user=acting_user)
    return obj


def concern_response_update(
    *, response: ConcernResponse, data: dict, acting_user: Any
) -> ConcernResponse:
    from .press import _update_draft

    _require(acting_user, response.organisation)
    fields = _response_fields(response.organisation, data)
    return _update_draft(
        response,
        fields=fields,
        data=data,
        label=lambda obj: obj.title,
        refused=_("审核中或已发布的回应不能修改；已发布的请先撤回，修改后重新提交审核"),
        acting_user=acting_user,
    )


def concern_response_publish(
    *,
    response: ConcernResponse,
    acting_user: Any,
    on: date | None = None,
    without_review: str = "",
) -> ConcernResponse:
    """Publish an approved response; the 舆情 item it answers is marked responded that day (the
    ledger's 回应日期), with the press conference if the response names one."""
    from gongkai.review.chain_services import publish_approved

    with transaction.atomic():
        published = publish_approved(
            response, acting_user=acting_user, on=on, without_review=without_review
        )
        if published.opinion_item_id:
            item = OpinionItem.objects.select_for_update().get(pk=published.opinion_item_id)
            if item.responded_on is None:
                item.responded_on = published.published_date
                item.response_conference_id = published.conference_id
                item.response_note = (
                    item.response_note
                    or (_("已发布回应关切：%(t)s") % {"t": published.title})[:2000]
                )
                item.save()
                audit_record(
                    action=AuditEntry.Action.EDIT,
                    acting_user=acting_user,
                    target=item,
                    target_label=str(item),
                    organisation=item.organisation,
                    detail={
                        "responded_on": item.responded_on.isoformat(),
                        "response": published.pk,
                    },
                )
    return published


def concern_response_withdraw(*, response: ConcernResponse, reason: str, acting_user: Any) -> None:
    from gongkai.review.chain_services import withdraw_published

    withdraw_published(response, reason=reason, acting_user=acting_user)


def quarterly_analysis(org_ids: set[int] | None, start: date, end: date) -> dict[str, Any]:
    qs = OpinionItem.objects.filter(collected_on__gte=start, collected_on__lte=end)
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    by_level = dict(qs.values_list("level").annotate(n=Count("id")))
    return {
        "collected": qs.count(),
        "responded": qs.filter(responded_on__isnull=False).count(),
        "by_level": {value: by_level.get(value, 0) for value in OpinionItem.Level.values},
        "items": list(qs.select_related("organisation").order_by("collected_on", "id")),
    }


def quarterly_workbook(analysis: dict[str, Any], title: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "舆情分析"
    ws.append([title])
    ws.append(["收集", analysis["collected"], "已回应", analysis["responded"]])
    ws.append(["研判等级", *[str(label) for label in OpinionItem.Level.labels]])
    ws.append(["条数", *analysis["by_level"].values()])
    ws.append([])
    ws.append(["收集日期", "来源", "内容摘要", "研判等级", "责任机构", "责任单位", "回应日期"])
    for item in analysis["items"]:
        ws.append(
            [
                item.collected_on.isoformat(),
                spreadsheet_text(item.source),
                spreadsheet_text(item.summary),
                item.get_level_display(),
                item.organisation.name,
                spreadsheet_text(item.unit),
                item.responded_on.isoformat() if item.responded_on else "",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
