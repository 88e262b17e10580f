"""Deadline reminders to handlers."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role

from ..models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
)
from .base import _mail, _today

E = CaseEvent.Type


def _handler_emails(case: Case) -> list[str]:
    """The case's handler, else every 经办人/管理员 holding a role in its organisation."""
    if case.handler_id and case.handler and case.handler.email:
        return [case.handler.email]
    from gongkai.accounts.models import RoleAssignment

    return sorted(
        set(
            RoleAssignment.objects.filter(
                organisation_id=case.organisation_id,
                role__in=[Role.FOI_HANDLER, Role.ADMIN],
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def foi_reminders_send(*, today: date | None = None, thresholds: list[int] | None = None) -> int:
    """E-mail handlers about open cases exactly N working days before their due date (N from
    GONGKAI_FOI_REMIND_DAYS, default 5, 2, 0) and about overdue cases; each reminder is also
    a `CaseEvent` (the in-app trace), written at most once per case, threshold and day.
    Returns the number of reminders sent."""
    from gongkai.workdays.calendar import CalendarMissing
    from gongkai.workdays.selectors import load_calendar

    today = today or _today()
    thresholds = (
        thresholds
        if thresholds is not None
        else list(getattr(settings, "GONGKAI_FOI_REMIND_DAYS", [5, 2, 0]))
    )
    calendar = load_calendar()
    sent = 0
    qs = Case.objects.filter(
        status__in=OPEN_STATUSES,
        due_date__isnull=False,
    ).select_related("handler", "organisation")
    for case in qs.order_by("due_date", "id"):
        due = case.due_date
        assert due is not None
        try:
            left = calendar.workdays_between(today, due)
        except CalendarMissing:
            continue
        if left < 0:
            key = "overdue"
        elif left in thresholds:
            key = str(left)
        else:
            continue
        if case.events.filter(type=E.REMINDER_SENT, date=today, data__key=key).exists():
            continue
        if key == "overdue":
            subject = _("【已超期】依申请公开 %(ref)s 已超过答复期限%(d)s") % {
                "ref": case.reference,
                "d": due.isoformat(),
            }
        else:
            subject = _("【到期提醒】依申请公开 %(ref)s 还剩%(n)d个工作日（期限%(d)s）") % {
                "ref": case.reference,
                "n": left,
                "d": due.isoformat(),
            }
        with transaction.atomic():
            CaseEvent.record(
                case=case,
                type_=E.REMINDER_SENT,
                on=today,
                note=subject,
                data={"key": key, "left": left},
            )
            _mail(_handler_emails(case), subject, subject)
        sent += 1
    return sent
