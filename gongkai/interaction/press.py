"""新闻发布会: the yearly plan per organisation and the record of each conference held, with
the planned-vs-held figures for the dashboard. Writes are audited. A record is a reviewed
content kind (``content.PressConferenceAdapter``): drafted here, reviewed by the chain
(先审后发), published on the portal by ``press_conference_publish``."""

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


def _links_problems(data: dict, errors: dict[str, str]) -> None:
    """Linked policies and interpretations must be public: the page links to them."""
    from gongkai.catalogue.selectors import public_items
    from gongkai.policies.selectors import public_interpretations

    policies = list(data.get("policies") or [])
    public = set(
        public_items().filter(pk__in=[p.pk for p in policies]).values_list("pk", flat=True)
    )
    hidden = [p for p in policies if p.pk not in public]
    if hidden:
        errors["policies"] = _("相关政策文件须已公开：%(t)s") % {
            "t": "、".join(str(p) for p in hidden)
        }
    interpretations = list(data.get("interpretations") or [])
    public = set(
        public_interpretations()
        .filter(pk__in=[i.pk for i in interpretations])
        .values_list("pk", flat=True)
    )
    hidden = [i for i in interpretations if i.pk not in public]
    if hidden:
        errors["interpretations"] = _("相关政策解读须已发布：%(t)s") % {
            "t": "、".join(str(i) for i in hidden)
        }


def image_url_problems(raw: str) -> list[str]:
    """Each line of 图片链接 must be an http(s) address."""
    from django.core.validators import URLValidator

    check = URLValidator(schemes=["http", "https"])
    problems = []
    for n, line in enumerate((raw or "").splitlines(), start=1):
        value = line.strip()
        if not value:
            continue
        try:
            check(value)
        except ValidationError:
            problems.append(_("第%(n)d行“%(v)s”不是有效的网址") % {"n": n, "v": value[:80]})
    return problems


def _conference_fields(data: dict) -> dict[str, Any]:
    """Check the fields of a conference record; raise every problem at once, by field."""
    errors: dict[str, str] = {}
    held_on = data.get("held_on")
    if not isinstance(held_on, date):
        errors["held_on"] = _("请填写召开日期")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("召开日期不能晚于今天")
    for name, label in (("topic", _("主题")), ("speakers", _("发布人"))):
        if not (data.get(name) or "").strip():
            errors[name] = _("请填写%(what)s") % {"what": label}
    images = image_url_problems(data.get("image_urls") or "")
    if images:
        errors["image_urls"] = "；".join(images)
    _links_problems(data, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "held_on": held_on,
        "start_time": data.get("start_time"),
        "location": (data.get("location") or "").strip()[:200],
        "topic": data["topic"].strip()[:300],
        "speakers": data["speakers"].strip()[:500],
        "transcript": (data.get("transcript") or "").strip(),
        "video_url": (data.get("video_url") or "").strip(),
        "image_urls": "\n".join(
            line.strip() for line in (data.get("image_urls") or "").splitlines() if line.strip()
        ),
    }


def press_conference_record(
    *, organisation: Organisation, data: dict, acting_user: Any
) -> PressConference:
    """Record a conference held, as a draft (date not in the future; topic and speakers
    required; linked policies and interpretations public). It counts as held at once; it goes
    on the portal once the review chain approves it (``press_conference_publish``)."""
    from gongkai.review.chain_services import content_saved

    _require(acting_user, organisation)
    fields = _conference_fields(data)
    with transaction.atomic():
        conference = PressConference.objects.create(
            organisation=organisation, created_by=acting_user, **fields
        )
        conference.policies.set(data.get("policies") or [])
        conference.interpretations.set(data.get("interpretations") or [])
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=conference,
            target_label=conference.topic,
            organisation=organisation,
            detail={"held_on": conference.held_on.isoformat()},
        )
        content_saved(content=conference, created=True, acting_user=acting_user)
    return conference


def press_conference_update(
    *, conference: PressConference, data: dict, acting_user: Any
) -> PressConference:
    """Edit a draft (or a returned or withdrawn record) before it is (re)submitted."""
    _require(acting_user, conference.organisation)
    fields = _conference_fields(data)
    return _update_draft(
        conference,
        fields=fields,
        data=data,
        label=lambda obj: obj.topic,
        refused=_("审核中或已发布的发布会记录不能修改；已发布的请先撤回，修改后重新提交审核"),
        acting_user=acting_user,
    )


def _update_draft(
    obj: Any, *, fields: dict, data: dict, label: Any, refused: str, acting_user: Any
) -> Any:
    """The edit of a draft, returned or withdrawn record of a reviewed kind (新闻发布会, 回应关切):
    refused while in review or live — a live record is withdrawn, edited and resubmitted —, then
    audited and recorded as a version (``content_saved``)."""
    from gongkai.review.chain_services import content_saved
    from gongkai.review.workflow import SUBMITTABLE

    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status not in SUBMITTABLE:
            raise ValidationError(refused)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        locked.policies.set(data.get("policies") or [])
        locked.interpretations.set(data.get("interpretations") or [])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=locked,
            target_label=label(locked),
            organisation=locked.organisation,
        )
        content_saved(content=locked, acting_user=acting_user)
    obj.refresh_from_db()
    return locked


def press_conference_publish(
    *,
    conference: PressConference,
    acting_user: Any,
    on: date | None = None,
    without_review: str = "",
) -> PressConference:
    """Put an approved record on the portal (called by the chain's final approval through the
    adapter; ``without_review``: a recorded reason, for the demo's history only)."""
    from gongkai.review.chain_services import publish_approved

    return publish_approved(
        conference, acting_user=acting_user, on=on, without_review=without_review
    )


def press_conference_withdraw(
    *, conference: PressConference, reason: str, acting_user: Any
) -> None:
    from gongkai.review.chain_services import withdraw_published

    withdraw_published(conference, reason=reason, acting_user=acting_user)


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
