"""新闻发布会: the yearly plan per organisation and the record of each conference held, with
the planned-vs-held figures for the dashboard. Writes are audited; the records stay in the back
office (publishing transcripts on the portal through the review chain is a later step)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import PressConference, PressConferencePlan

ROLES = (Role.EDITOR, Role.ADMIN)


def _require(user: Any, organisation: Organisation) -> None:
    if not (is_staff_user(user) and user_has_role(user, organisation, *ROLES)):
        raise PermissionDenied(_("只有该机构的编辑或政务公开管理员可以登记新闻发布会"))


def press_plan_set(
    *,
    organisation: Organisation,
    year: int,
    planned_count: int,
    acting_user: Any,
    themes: str = "",
) -> PressConferencePlan:
    _require(acting_user, organisation)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度应为2000至2100之间的年份"))
    if not 0 <= planned_count <= 1000:
        raise ValidationError(_("计划场次应为0至1000之间的整数"))
    with transaction.atomic():
        plan, _created = PressConferencePlan.objects.update_or_create(
            organisation=organisation,
            year=year,
            defaults={"planned_count": planned_count, "themes": (themes or "").strip()},
        )
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=plan,
            target_label=_("%(year)d年新闻发布会计划") % {"year": year},
            organisation=organisation,
            detail={"year": year, "planned_count": planned_count},
        )
    return plan


def press_conference_record(
    *, organisation: Organisation, data: dict, acting_user: Any
) -> PressConference:
    """Record a conference held (date not in the future; topic and speakers required)."""
    _require(acting_user, organisation)
    errors: dict[str, str] = {}
    held_on = data.get("held_on")
    if not isinstance(held_on, date):
        errors["held_on"] = _("请填写召开日期")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("召开日期不能晚于今天")
    for name, label in (("topic", _("主题")), ("speakers", _("发布人"))):
        if not (data.get(name) or "").strip():
            errors[name] = _("请填写%(what)s") % {"what": label}
    if errors or not isinstance(held_on, date):
        raise ValidationError(errors)
    with transaction.atomic():
        conference = PressConference.objects.create(
            organisation=organisation,
            held_on=held_on,
            topic=data["topic"].strip()[:300],
            speakers=data["speakers"].strip()[:500],
            transcript=(data.get("transcript") or "").strip(),
            video_url=(data.get("video_url") or "").strip(),
        )
        if data.get("policies"):
            conference.policies.set(data["policies"])
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=conference,
            target_label=conference.topic,
            organisation=organisation,
            detail={"held_on": conference.held_on.isoformat()},
        )
    return conference


def press_figures(org_ids: set[int] | None, year: int) -> dict[str, int]:
    """计划N场，已开展M场 for the organisations in scope (None: all)."""
    from django.db.models import Sum

    plans = PressConferencePlan.objects.filter(year=year)
    held = PressConference.objects.filter(held_on__year=year)
    if org_ids is not None:
        plans = plans.filter(organisation_id__in=org_ids)
        held = held.filter(organisation_id__in=org_ids)
    return {
        "planned": plans.aggregate(n=Sum("planned_count"))["n"] or 0,
        "held": held.count(),
    }
