"""Shared steps of the case workflow: the transition table, permission and date checks, the row
lock, events and mail.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from ..models import (
    Case,
    CaseEvent,
    Status,
)

E = CaseEvent.Type


logger = logging.getLogger(__name__)


# Which statuses each step may start from, and where it leads (None: status unchanged).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "confirm_receipt": ((Status.SUBMITTED,), Status.REGISTERED),
    "request_supplement": ((Status.REGISTERED, Status.IN_PROGRESS), Status.SUPPLEMENT_REQUESTED),
    "receive_supplement": ((Status.SUPPLEMENT_REQUESTED,), Status.REGISTERED),
    "mark_abandoned": ((Status.SUPPLEMENT_REQUESTED,), Status.ABANDONED),
    "assign": (
        (
            Status.REGISTERED,
            Status.IN_PROGRESS,
            Status.CONSULTING,
            Status.AWAITING_FEE,
            Status.EXPLANATION_REQUESTED,
        ),
        None,
    ),
    "consultation_start": ((Status.IN_PROGRESS, Status.CONSULTING), Status.CONSULTING),
    "consultation_reply": ((Status.CONSULTING,), None),
    "extend": (
        (
            Status.REGISTERED,
            Status.IN_PROGRESS,
            Status.CONSULTING,
            Status.AWAITING_FEE,
            Status.EXPLANATION_REQUESTED,
        ),
        None,
    ),
    "fee_notice_issue": ((Status.IN_PROGRESS,), Status.AWAITING_FEE),
    "fee_paid": ((Status.AWAITING_FEE,), Status.IN_PROGRESS),
    "fee_unpaid": ((Status.AWAITING_FEE,), Status.CLOSED),
    "request_explanation": ((Status.REGISTERED, Status.IN_PROGRESS), Status.EXPLANATION_REQUESTED),
    "receive_explanation": ((Status.EXPLANATION_REQUESTED,), Status.IN_PROGRESS),
    # 第三十五条: a later deadline, once the applicant's explanation was found reasonable; the
    # service also requires that explanation (case_reply_deferral_set).
    "defer_reply": (
        (Status.REGISTERED, Status.IN_PROGRESS, Status.CONSULTING, Status.AWAITING_FEE),
        None,
    ),
    "reply": ((Status.REGISTERED, Status.IN_PROGRESS, Status.REPLY_REVIEW), Status.REPLY_REVIEW),
    "reply_review": ((Status.REPLY_REVIEW,), None),
    "deliver": ((Status.REPLY_REVIEW,), Status.REPLIED),
    "archive": ((Status.REPLIED, Status.ABANDONED, Status.CLOSED), Status.ARCHIVED),
}


STEP_LABELS = {
    "confirm_receipt": _("确认收到"),
    "request_supplement": _("告知补正"),
    "receive_supplement": _("登记收到补正"),
    "mark_abandoned": _("视为放弃申请"),
    "assign": _("分办"),
    "consultation_start": _("征求意见"),
    "consultation_reply": _("登记征求意见答复"),
    "extend": _("延期答复"),
    "fee_notice_issue": _("发出收费通知"),
    "fee_paid": _("登记缴费"),
    "fee_unpaid": _("逾期未缴费处理"),
    "request_explanation": _("要求说明理由"),
    "receive_explanation": _("登记申请人的说明"),
    "defer_reply": _("确定延迟答复期限"),
    "reply": _("拟定答复"),
    "reply_review": _("答复书审核"),
    "deliver": _("送达答复"),
    "archive": _("归档"),
}


class CaseError(ValidationError):
    """A step refused for a reason the user can fix or must know (Chinese message)."""


def _received(case: Case) -> date:
    """Date of receipt of a case past 登记 (only a 待确认收到 case lacks one)."""
    if case.received_date is None:
        raise CaseError(_("尚未确认收到申请"))
    return case.received_date


def _today() -> date:
    return timezone.localdate()


def _check_step(case: Case, step: str) -> str:
    if case.status == Status.ARCHIVED:
        raise CaseError(_("申请 %(ref)s 已归档，不能再修改") % {"ref": case.reference})
    allowed, target = TRANSITIONS[step]
    if case.status not in allowed:
        raise CaseError(
            _("申请 %(ref)s 当前状态为“%(status)s”，不能执行“%(step)s”")
            % {
                "ref": case.reference,
                "status": Status(case.status).label,
                "step": STEP_LABELS[step],
            }
        )
    return target or case.status


def _require_handler(user: Any, case_or_org: Case | Organisation) -> None:
    org = case_or_org.organisation if isinstance(case_or_org, Case) else case_or_org
    if not is_staff_user(user) or not user_has_role(user, org, Role.FOI_HANDLER, Role.ADMIN):
        raise PermissionDenied(_("您没有办理该机关依申请公开事项的权限"))


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock so two handlers cannot interleave steps."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _event(
    case: Case,
    type_: str,
    *,
    on: date,
    acting_user: Any = None,
    note: str = "",
    data: dict | None = None,
) -> CaseEvent:
    event = CaseEvent.record(
        case=case, type_=type_, on=on, acting_user=acting_user, note=note, data=data
    )
    audit_record(
        action=AuditEntry.Action.TRANSITION
        if type_ not in (E.SUBMITTED, E.RECORDED, E.IMPORTED)
        else AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=case,
        detail={"event": type_, "date": on.isoformat(), "status": case.status, **(data or {})},
    )
    return event


def _not_before_receipt(case: Case, on: date, what: str) -> None:
    if case.received_date and on < case.received_date:
        raise CaseError(
            _("%(what)s的日期%(d)s早于收到申请之日%(r)s")
            % {"what": what, "d": on.isoformat(), "r": case.received_date.isoformat()}
        )


def _not_future(on: date, what: str) -> None:
    if on > _today():
        raise CaseError(_("%(what)s的日期%(d)s不能晚于今天") % {"what": what, "d": on.isoformat()})


def _load_calendar():
    from gongkai.workdays.selectors import load_calendar

    return load_calendar()


def _mail(recipients: Iterable[str], subject: str, body: str) -> None:
    to = [r for r in recipients if r]
    if not to:
        return

    def send() -> None:
        # A mail-server hiccup must not undo a recorded statutory step: log and carry on.
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:
            logger.exception("FOI mail to %s failed", to)

    transaction.on_commit(send)
