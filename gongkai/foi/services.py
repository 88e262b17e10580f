"""Writes of 依申请公开: the statutory case workflow (条例第二十七条至第四十五条).

Every service is atomic, refuses a step the case's status does not allow (with a Chinese
message), writes one `CaseEvent` and one audit row in the same transaction, and recomputes the
stored `due_date` from the case's events through the deadline engine (`deadlines.py`).
An archived case is read-only: every service that changes a case refuses it.
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import InternalUnit, Organisation, Role, User
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.pdf import PdfFontsMissing
from gongkai.core.services import audit_record

from . import deadlines, documents, reply_defaults, reply_kinds
from .models import (
    DISCLOSED_OUTCOMES,
    OPEN_STATUSES,
    ApplicantType,
    AssistanceKind,
    Case,
    CaseDocument,
    CaseEvent,
    Channel,
    Consultation,
    CorrectionRequest,
    DeliveryMethod,
    FeeNotice,
    LetterKind,
    LetterReviewStatus,
    Outcome,
    ProactiveProposal,
    ReferenceSequence,
    ReplyKind,
    ReplyTemplate,
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
    "reply": _("拟定答复"),
    "reply_review": _("答复书审核"),
    "deliver": _("送达答复"),
    "archive": _("归档"),
}

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CaseError(ValidationError):
    """A step refused for a reason the user can fix or must know (Chinese message)."""


# ---------------------------------------------------------------- helpers


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
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    event = CaseEvent.objects.create(
        case=case,
        type=type_,
        date=on,
        actor=actor,
        actor_name=(actor.get_full_name() if actor else ""),
        note=note,
        data=data or {},
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


PAUSE_REASONS: dict[frozenset[str], str] = {
    frozenset({Consultation.Kind.THIRD_PARTY}): "征求第三方意见",
    frozenset({Consultation.Kind.AGENCY}): "征求其他行政机关意见",
    frozenset({Consultation.Kind.THIRD_PARTY, Consultation.Kind.AGENCY}): (
        "征求第三方及其他行政机关意见"
    ),
}
FEE_WAIT = "fee_wait"
EXPLANATION_WAIT = "explanation"
# 第三十五条: the time the applicant takes to explain a very large request (ADR 0003 addendum).
EXPLANATION_REASON = "要求申请人说明理由"
EXPLANATION_BASIS = "条例第三十五条"


def _pause_label(kinds: set[str]) -> tuple[str, str | None]:
    """(reason, basis) of one merged pause, from the kinds of wait it joins."""
    consult = frozenset(k for k in kinds if k in Consultation.Kind.values)
    reasons: list[str] = [PAUSE_REASONS[consult]] if consult else []
    bases: list[str] = [deadlines.DEFAULT_PAUSE_BASIS] if consult else []
    if EXPLANATION_WAIT in kinds:
        reasons.append(EXPLANATION_REASON)
        bases.append(EXPLANATION_BASIS)
    if FEE_WAIT in kinds:
        reasons.append(deadlines.FEE_WAIT_REASON)
        bases.append(deadlines.FEE_WAIT_BASIS)
    # A consultation-only pause keeps the engine's default citation (unchanged explanations).
    basis = None if bases == [deadlines.DEFAULT_PAUSE_BASIS] else "；".join(bases)
    return "、".join(reasons), basis


def deadline_events(case: Case) -> list[deadlines.DeadlineEvent]:
    """The deadline engine's view of a case: 补正 events, pauses, extensions.

    Pauses: consultations (条例第三十三条第三款), the applicant's explanation of a very large
    request (第三十五条), and the wait for a fee notice issued while the deployment excludes it
    (``FeeNotice.wait_excluded``). Overlapping waits form one pause: the clock stops from the
    first start until the last end.
    """
    dated: list[tuple[date, int, deadlines.DeadlineEvent]] = []
    extensions: list[deadlines.DeadlineEvent] = []
    for ev in case.events.filter(
        type__in=[E.SUPPLEMENT_REQUESTED, E.SUPPLEMENT_RECEIVED, E.EXTENDED]
    ).order_by("date", "id"):
        if ev.type == E.EXTENDED:
            extensions.append(deadlines.DeadlineEvent("extended", days=int(ev.data["days"])))
        else:
            kind: deadlines.EventType = (
                "supplement_requested"
                if ev.type == E.SUPPLEMENT_REQUESTED
                else "supplement_received"
            )
            dated.append((ev.date, ev.id, deadlines.DeadlineEvent(kind, date=ev.date)))
    waits: list[tuple[date, date | None, str]] = [
        (c.sent_date, c.replied_date, c.kind)
        for c in case.consultations.order_by("sent_date", "id")
    ]
    for n in case.fee_notices.filter(wait_excluded=True).order_by("issued_date", "id"):
        if n.state != FeeNotice.State.UNPAID:
            waits.append((n.issued_date, n.paid_date, FEE_WAIT))
    asked: date | None = None
    for ev in case.events.filter(
        type__in=[E.EXPLANATION_REQUESTED, E.EXPLANATION_RECEIVED]
    ).order_by("date", "id"):
        if ev.type == E.EXPLANATION_REQUESTED:
            asked = ev.date
        elif asked is not None:
            waits.append((asked, ev.date, EXPLANATION_WAIT))
            asked = None
    if asked is not None:
        waits.append((asked, None, EXPLANATION_WAIT))
    waits.sort(key=lambda w: w[0])
    intervals: list[list[Any]] = []
    for begin, end, wait_kind in waits:
        if intervals and (intervals[-1][1] is None or begin <= intervals[-1][1]):
            last = intervals[-1]
            last[1] = None if (last[1] is None or end is None) else max(last[1], end)
            last[2].add(wait_kind)
        else:
            intervals.append([begin, end, {wait_kind}])
    for start, end, kinds in intervals:
        reason, basis = _pause_label(kinds)
        dated.append(
            (
                start,
                0,
                deadlines.DeadlineEvent("pause_started", date=start, reason=_(reason), basis=basis),
            )
        )
        if end is not None:
            dated.append((end, 1, deadlines.DeadlineEvent("pause_ended", date=end)))
    dated.sort(key=lambda t: (t[0], t[1]))
    return [e for _d, _i, e in dated] + extensions


def deadline_result(case: Case) -> deadlines.DeadlineResult:
    """Compute the deadline now (raises DeadlineError / CalendarMissing)."""
    if case.received_date is None:
        raise deadlines.DeadlineSuspended(_("尚未确认收到申请，答复期限从确认收到之日起计算"))
    return deadlines.compute_deadline(case.received_date, deadline_events(case), _load_calendar())


def _recompute(case: Case) -> None:
    from gongkai.workdays.calendar import CalendarMissing

    if not case.is_open:
        # A closed case keeps the due date it had; it no longer moves.
        return
    try:
        result = deadline_result(case)
    except (deadlines.DeadlineError, CalendarMissing) as exc:
        case.due_date = None
        case.deadline_note = str(exc)
        return
    case.due_date = result.due
    case.calendar_version = result.calendar_version
    case.deadline_note = "\n".join(result.explanation)


def _save(case: Case) -> None:
    _recompute(case)
    case.save()


def _allocate_reference(org: Organisation, year: int) -> str:
    seq, _created = ReferenceSequence.objects.get_or_create(organisation=org, year=year)
    seq = ReferenceSequence.objects.select_for_update().get(pk=seq.pk)
    while True:
        seq.last += 1
        reference = f"YSQ-{year}-{org.pk:02d}-{seq.last:06d}"
        # Imported references may use the same pattern; skip any that are taken.
        if not Case.objects.filter(reference=reference).exists():
            break
    seq.save(update_fields=["last"])
    return reference


def _new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))


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


APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "legal_representative",
    "contact_person",
    "id_document_type",
    "postcode",
    "email",
    "info_title",
    "info_doc_number",
    "info_description",
    "provide_form",
    "delivery_method",
    "fee_waiver_requested",
    "assistance_needed",
    "assistance_kind",
    "assistance_note",
)


def _validate_application(data: dict) -> None:
    errors: dict[str, str] = {}
    if data.get("applicant_type") not in ApplicantType.values:
        errors["applicant_type"] = _("请选择申请人类型")
    if not (data.get("applicant_name") or "").strip():
        errors["applicant_name"] = _("请填写申请人姓名或名称")
    if not (data.get("id_number") or "").strip():
        errors["id_number"] = _("请填写证件号码（身份证明，条例第二十九条）")
    if not ((data.get("phone") or "").strip() or (data.get("email") or "").strip()):
        errors["phone"] = _("请至少填写联系电话或电子邮箱中的一项")
    if not any(
        (data.get(k) or "").strip() for k in ("info_title", "info_doc_number", "info_description")
    ):
        errors["info_description"] = _("请填写所需信息的名称、文号或者便于查询的其他特征性描述")
    if data.get("assistance_kind") and data["assistance_kind"] not in AssistanceKind.values:
        errors["assistance_kind"] = _("请从列表中选择需要的帮助（条例第四十三条）")
    if errors:
        raise CaseError(errors)


def _fill_applicant(case: Case, data: dict) -> None:
    for name in APPLICANT_FIELDS:
        if name in data and data[name] is not None:
            setattr(case, name, data[name])
    case.id_number = (data.get("id_number") or "").strip()
    case.phone = (data.get("phone") or "").strip()
    case.address = (data.get("address") or "").strip()
    if not case.assistance_needed:
        case.assistance_kind = case.assistance_note = ""


# ---------------------------------------------------------------- filing


@transaction.atomic
def case_submit(
    *, organisation: Organisation, data: dict, acting_user: Any = None
) -> tuple[Case, str]:
    """A public online application (条例第二十九条). Returns the case and its query code.

    The clock does not start yet: 第三十一条 makes the date both sides confirm the date of
    receipt for internet applications, so staff must confirm receipt (`case_confirm_receipt`).
    """
    _validate_application(data)
    now = timezone.now()
    code = _new_query_code()
    case = Case(
        organisation=organisation,
        channel=Channel.ONLINE,
        submitted_at=now,
        status=Status.SUBMITTED,
        query_code_hash=make_password(code),
        applicant_user=acting_user
        if getattr(acting_user, "is_authenticated", False) and acting_user.kind == User.Kind.PUBLIC
        else None,
    )
    _fill_applicant(case, data)
    case.reference = _allocate_reference(organisation, timezone.localdate(now).year)
    case.deadline_note = _("尚未确认收到申请，答复期限从确认收到之日起计算")
    case.save()
    _event(case, E.SUBMITTED, on=timezone.localdate(now), acting_user=acting_user)
    return case, code


@transaction.atomic
def case_record(
    *,
    organisation: Organisation,
    data: dict,
    channel: str,
    arrived: date,
    letter_kind: str = "",
    confirmed: date | None = None,
    acting_user: User,
) -> tuple[Case, str]:
    """Staff register an application that came by letter, in person, fax or another channel.

    收到申请之日 (条例第三十一条): in person → the day submitted; mail signed for → the day
    signed; ordinary letter → the day the work unit confirmed with the applicant; fax (like
    online) → the day both sides confirm, so a fax waits for `case_confirm_receipt` unless the
    confirmation date is given here.
    """
    _require_handler(acting_user, organisation)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise CaseError({"channel": _("请选择申请方式（信函、当面、传真或其他）")})
    _validate_application(data)
    _not_future(arrived, _("收到申请"))
    received: date | None
    if channel == Channel.LETTER:
        if letter_kind not in LetterKind.values:
            raise CaseError({"letter_kind": _("信函申请请选择“需签收的邮寄”或“平常信函”")})
        if letter_kind == LetterKind.SIGNED:
            received = arrived
        else:
            if confirmed is None:
                raise CaseError(
                    {"confirmed": _("平常信函须填写与申请人确认的日期（条例第三十一条第三项）")}
                )
            received = confirmed
    elif channel == Channel.FAX:
        received = confirmed
    else:
        received = arrived
    if received is not None:
        if received < arrived:
            raise CaseError({"confirmed": _("确认日期不能早于申请送达日期")})
        _not_future(received, _("确认收到"))
    code = _new_query_code()
    case = Case(
        organisation=organisation,
        channel=channel,
        letter_kind=letter_kind if channel == Channel.LETTER else "",
        received_date=received,
        status=Status.REGISTERED if received else Status.SUBMITTED,
        query_code_hash=make_password(code),
    )
    _fill_applicant(case, data)
    case.reference = _allocate_reference(organisation, arrived.year)
    case.save()
    _save(case)
    _event(
        case,
        E.RECORDED,
        on=arrived,
        acting_user=acting_user,
        data={
            "channel": channel,
            "received": received.isoformat() if received else None,
            "letter_kind": case.letter_kind,
        },
    )
    return case, code


@transaction.atomic
def case_confirm_receipt(*, case: Case, on: date, acting_user: User, note: str = "") -> Case:
    """Online and fax applications: the date both sides confirm is the date of receipt."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "confirm_receipt")
    _not_future(on, _("确认收到"))
    arrived = _arrival_date(case)
    if arrived and on < arrived:
        raise CaseError(_("确认收到的日期不能早于申请提交日期"))
    case.received_date = on
    case.status = target
    _save(case)
    _event(case, E.RECEIPT_CONFIRMED, on=on, acting_user=acting_user, note=note)
    return case


def _arrival_date(case: Case) -> date | None:
    """The day the application reached the agency (online: submitted; others: as recorded)."""
    if case.channel == Channel.ONLINE and case.submitted_at:
        return timezone.localdate(case.submitted_at)
    recorded = case.events.filter(type=E.RECORDED).first()
    return recorded.date if recorded else None


# ---------------------------------------------------------------- 补正 (第三十条)


@transaction.atomic
def case_request_supplement(
    *, case: Case, points: list[str], reply_by: date, on: date, acting_user: User
) -> Case:
    """One notice listing everything missing, within 7 working days of receipt (第三十条)."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "request_supplement")
    points = [p.strip() for p in points if p and p.strip()]
    if not points:
        raise CaseError({"points": _("请逐项列明需要补正的事项（一次性告知）")})
    _not_before_receipt(case, on, _("补正通知"))
    if case.events.filter(type=E.SUPPLEMENT_REQUESTED).exists():
        raise CaseError(
            _(
                "本申请已告知过补正；条例第三十条要求一次性告知，不能再次要求补正。"
                "补正后仍不明确的，可答复“无法提供：补正后申请内容仍不明确”。"
            )
        )
    limit = deadlines.supplement_notice_deadline(_received(case), _load_calendar())
    if on > limit:
        raise CaseError(
            _("补正通知应在收到申请后7个工作日内发出（不晚于%(d)s），已超过期限（条例第三十条）")
            % {"d": limit.isoformat()}
        )
    if reply_by <= on:
        raise CaseError({"reply_by": _("补正期限应晚于通知日期")})
    case.status = target
    case.supplement_due = reply_by
    _event(
        case,
        E.SUPPLEMENT_REQUESTED,
        on=on,
        acting_user=acting_user,
        data={"points": points, "reply_by": reply_by.isoformat()},
    )
    _save(case)
    body = [
        _(
            "本机关于%(d)s收到您的政府信息公开申请。经审查，申请内容不明确，请于%(by)s前补正以下事项："
        )
        % {"d": documents.chinese_date(_received(case)), "by": documents.chinese_date(reply_by)}
    ]
    body += [f"{i}. {p}" for i, p in enumerate(points, start=1)]
    body.append(
        _(
            "答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。"
        )
    )
    _make_document(case, CaseDocument.Kind.SUPPLEMENT_NOTICE, _("补正申请告知书"), body, on)
    _mail(
        [case.email],
        _("政府信息公开申请补正告知（%(ref)s）") % {"ref": case.reference},
        "\n".join(body),
    )
    return case


@transaction.atomic
def case_receive_supplement(*, case: Case, on: date, acting_user: User, note: str = "") -> Case:
    """The completed application arrived: the 20 working days run again in full from today."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "receive_supplement")
    _not_future(on, _("收到补正"))
    requested = case.events.filter(type=E.SUPPLEMENT_REQUESTED).order_by("-date").first()
    if requested and on < requested.date:
        raise CaseError(_("收到补正的日期不能早于补正通知日期"))
    # A case already assigned goes straight back to its handler.
    case.status = Status.IN_PROGRESS if case.handler_id else target
    _event(case, E.SUPPLEMENT_RECEIVED, on=on, acting_user=acting_user, note=note)
    _save(case)
    return case


@transaction.atomic
def case_mark_abandoned(*, case: Case, on: date, acting_user: User) -> Case:
    """No 补正 in time: 视为放弃申请 (第三十条), counted as 其他处理 1 (outcome 6.1)."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "mark_abandoned")
    if case.supplement_due and on <= case.supplement_due:
        raise CaseError(
            _("补正期限%(d)s尚未届满，不能视为放弃申请") % {"d": case.supplement_due.isoformat()}
        )
    case.status = target
    case.outcome = Outcome.OTHER_NO_SUPPLEMENT
    case.closed_date = on
    case.save()
    _event(case, E.ABANDONED, on=on, acting_user=acting_user)
    return case


# ---------------------------------------------------------------- 说明理由 (第三十五条)


@transaction.atomic
def case_request_explanation(
    *, case: Case, points: list[str], reply_by: date, on: date, acting_user: User
) -> Case:
    """条例第三十五条: the number or frequency of requests is clearly beyond a reasonable range,
    so the applicant is asked to explain the reasons (separate from 补正, which is about an
    unclear application and restarts the clock). The time until the explanation arrives is
    not counted (ADR 0003 addendum)."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "request_explanation")
    points = [p.strip() for p in points if p and p.strip()]
    if not points:
        raise CaseError({"points": _("请写明需要申请人说明的事项（条例第三十五条）")})
    _not_before_receipt(case, on, _("要求说明理由"))
    _not_future(on, _("要求说明理由"))
    if reply_by <= on:
        raise CaseError({"reply_by": _("说明期限应晚于通知日期")})
    if case.events.filter(type=E.EXPLANATION_REQUESTED).exists():
        raise CaseError(_("本申请已要求申请人说明理由，不能重复要求"))
    case.status = target
    _event(
        case,
        E.EXPLANATION_REQUESTED,
        on=on,
        acting_user=acting_user,
        data={"points": points, "reply_by": reply_by.isoformat()},
    )
    _save(case)
    body = [
        _(
            "本机关于%(d)s收到您的政府信息公开申请（申请编号：%(ref)s）。您申请公开政府信息的"
            "数量、频次明显超过合理范围，根据《中华人民共和国政府信息公开条例》第三十五条，"
            "请于%(by)s前说明以下事项："
        )
        % {
            "d": documents.chinese_date(_received(case)),
            "ref": case.reference,
            "by": documents.chinese_date(reply_by),
        }
    ]
    body += [f"{i}. {p}" for i, p in enumerate(points, start=1)]
    body.append(
        _(
            "您也可以缩小申请范围。自本告知书发出之日至收到您的说明之日，不计入答复期限。"
            "您说明的理由不合理的，本机关将告知不予处理；理由合理但无法在规定期限内答复的，"
            "本机关将确定延迟答复的合理期限并告知您。"
        )
    )
    _make_document(case, CaseDocument.Kind.EXPLANATION_NOTICE, _("说明理由告知书"), body, on)
    _mail(
        [case.email],
        _("政府信息公开申请说明理由告知（%(ref)s）") % {"ref": case.reference},
        "\n".join(body),
    )
    return case


@transaction.atomic
def case_receive_explanation(
    *, case: Case, on: date, note: str = "", explained: bool = True, acting_user: User
) -> Case:
    """The applicant's explanation arrived (or the time given ran out, ``explained=False``):
    the clock runs again from the next day. Staff then answer: 不予处理 (第三十五条, kind 5.4)
    when the reasons are unreasonable, otherwise handle the request."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "receive_explanation")
    _not_future(on, _("收到说明"))
    asked = case.events.filter(type=E.EXPLANATION_REQUESTED).order_by("-date", "-id").first()
    if asked is None:
        raise CaseError(_("此前没有要求申请人说明理由"))
    if on < asked.date:
        raise CaseError(_("收到说明的日期不能早于说明理由告知书的日期"))
    if not explained and on <= date.fromisoformat(asked.data["reply_by"]):
        raise CaseError(
            _("说明期限%(d)s尚未届满，不能登记为逾期未说明") % {"d": asked.data["reply_by"]}
        )
    # A case not yet assigned goes back to the registered queue, like after a 补正.
    case.status = target if case.handler_id else Status.REGISTERED
    _event(
        case,
        E.EXPLANATION_RECEIVED,
        on=on,
        acting_user=acting_user,
        note=note.strip() or ("" if explained else _("申请人逾期未说明理由")),
        data={"explained": explained},
    )
    _save(case)
    return case


# ---------------------------------------------------------------- 办理


@transaction.atomic
def case_assign(
    *,
    case: Case,
    handler: User,
    unit: InternalUnit | None = None,
    on: date | None = None,
    acting_user: User,
) -> Case:
    _require_handler(acting_user, case)
    case = _lock(case)
    _check_step(case, "assign")
    if not user_has_role(handler, case.organisation, Role.FOI_HANDLER, Role.ADMIN):
        raise CaseError({"handler": _("所选经办人不是本机关的依申请公开经办人")})
    if unit is not None and unit.organisation_id != case.organisation_id:
        raise CaseError({"unit": _("所选科室不属于本机关")})
    on = on or _today()
    case.handler = handler
    case.handling_unit = unit
    if case.status == Status.REGISTERED:
        case.status = Status.IN_PROGRESS
    _save(case)
    _event(
        case,
        E.ASSIGNED,
        on=on,
        acting_user=acting_user,
        data={"handler": handler.get_full_name(), "unit": unit.name if unit else ""},
    )
    return case


@transaction.atomic
def consultation_start(
    *,
    case: Case,
    kind: str,
    party: str,
    sent_date: date,
    acting_user: User,
    note: str = "",
) -> Consultation:
    """征求意见书 (第三十二条 third party, 第三十四条 co-agency): the clock pauses."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "consultation_start")
    if kind not in Consultation.Kind.values:
        raise CaseError({"kind": _("请选择征求对象类型")})
    if not party.strip():
        raise CaseError({"party": _("请填写征求意见的对象")})
    _not_before_receipt(case, sent_date, _("征求意见"))
    last_supplement = case.events.filter(type=E.SUPPLEMENT_RECEIVED).order_by("-date").first()
    if last_supplement and sent_date < last_supplement.date:
        raise CaseError(_("征求意见的日期不能早于收到补正的日期"))
    due = deadlines.third_party_reply_deadline(sent_date, _load_calendar())
    consultation = Consultation.objects.create(
        case=case, kind=kind, party=party.strip(), sent_date=sent_date, due_date=due
    )
    case.status = target
    _save(case)
    _event(
        case,
        E.CONSULTATION_STARTED,
        on=sent_date,
        acting_user=acting_user,
        note=note,
        data={"consultation": consultation.pk, "kind": kind, "due": due.isoformat()},
    )
    body = [
        _(
            "本机关于%(d)s收到一项政府信息公开申请，申请公开的信息可能涉及贵方合法权益"
            "（或由贵方共同制作）。请自收到本征求意见书之日起15个工作日内提出意见；"
            "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。"
        )
        % {"d": documents.chinese_date(_received(case))},
        _("申请公开的信息：%(info)s") % {"info": case.requested_info},
    ]
    _make_document(
        case,
        CaseDocument.Kind.CONSULTATION_LETTER,
        _("政府信息公开征求意见书"),
        body,
        sent_date,
        addressee=party.strip(),
    )
    return consultation


@transaction.atomic
def consultation_reply(
    *,
    consultation: Consultation,
    replied_date: date,
    reply: str,
    agrees: bool | None,
    acting_user: User,
) -> Consultation:
    """The other side answered (or the 15 days ran out): the pause ends on that day."""
    case = consultation.case
    _require_handler(acting_user, case)
    case = _lock(case)
    _check_step(case, "consultation_reply")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.replied_date is not None:
        raise CaseError(_("该征求意见已登记答复"))
    if replied_date < consultation.sent_date:
        raise CaseError(_("答复日期不能早于征求意见书发出日期"))
    _not_future(replied_date, _("征求意见答复"))
    consultation.replied_date = replied_date
    consultation.reply = reply
    consultation.agrees = agrees
    consultation.save()
    if not case.consultations.filter(replied_date__isnull=True).exists():
        case.status = Status.IN_PROGRESS
    _save(case)
    _event(
        case,
        E.CONSULTATION_REPLIED,
        on=replied_date,
        acting_user=acting_user,
        note=reply,
        data={"consultation": consultation.pk, "agrees": agrees},
    )
    return consultation


@transaction.atomic
def case_extend(*, case: Case, days: int, reason: str, on: date, acting_user: User) -> Case:
    """Extension of at most 20 working days in total, approved by the head of the GI work unit
    (第三十三条第二款). The approver is the acting user and must hold the 管理员 role (负责人)
    of the case's organisation; the applicant is told by e-mail and on the status page."""
    _require_handler(acting_user, case)
    if not user_has_role(acting_user, case.organisation, Role.ADMIN):
        raise PermissionDenied(_("延期答复须经政府信息公开工作机构负责人（本机关管理员）批准"))
    case = _lock(case)
    _check_step(case, "extend")
    if days <= 0:
        raise CaseError({"days": _("延长的工作日数必须大于0")})
    if case.extension_days + days > deadlines.MAX_EXTENSION_DAYS:
        raise CaseError(
            {
                "days": _("延长期限累计不得超过20个工作日（条例第三十三条），已延长%(n)d个工作日")
                % {"n": case.extension_days}
            }
        )
    if not reason.strip():
        raise CaseError({"reason": _("请填写延期理由")})
    if case.due_date and on > case.due_date:
        raise CaseError(_("答复期限%(d)s已过，不能再延期") % {"d": case.due_date.isoformat()})
    _not_before_receipt(case, on, _("延期"))
    case.extension_days += days
    _event(
        case,
        E.EXTENDED,
        on=on,
        acting_user=acting_user,
        note=reason,
        data={"days": days, "approved_by": acting_user.get_full_name()},
    )
    _save(case)
    body = [
        _(
            "本机关于%(d)s收到您的政府信息公开申请（申请编号：%(ref)s）。因%(reason)s，"
            "经本机关政府信息公开工作机构负责人同意，答复期限延长%(n)d个工作日，"
            "延长后的答复期限为%(due)s。"
        )
        % {
            "d": documents.chinese_date(_received(case)),
            "ref": case.reference,
            "reason": reason.strip(),
            "n": days,
            "due": documents.chinese_date(case.due_date) if case.due_date else _("另行告知"),
        }
    ]
    _make_document(case, CaseDocument.Kind.EXTENSION_NOTICE, _("延期答复告知书"), body, on)
    _mail(
        [case.email],
        _("政府信息公开申请延期答复告知（%(ref)s）") % {"ref": case.reference},
        "\n".join(body),
    )
    return case


# ---------------------------------------------------------------- 信息处理费


def applications_before_in_month(case: Case) -> int:
    """Applications the same applicant made to the same agency earlier in the same calendar
    month (处理费办法第四条: 同一申请人一个自然月内累计). Same applicant = same account, else
    the same identity number (compared through its keyed index)."""
    if case.received_date is None:
        return 0
    same = Q()
    if case.applicant_user_id:
        same |= Q(applicant_user_id=case.applicant_user_id)
    if case.id_number_index:
        same |= Q(id_number_index=case.id_number_index)
    if not same:
        return 0
    return (
        Case.objects.filter(same)
        .filter(
            organisation_id=case.organisation_id,
            received_date__year=case.received_date.year,
            received_date__month=case.received_date.month,
        )
        .filter(
            Q(received_date__lt=case.received_date)
            | Q(received_date=case.received_date, pk__lt=case.pk)
        )
        .count()
    )


@transaction.atomic
def fee_notice_issue(
    *, case: Case, method: str, on: date, pages: int | None = None, acting_user: User
) -> FeeNotice:
    from . import fees

    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "fee_notice_issue")
    _not_before_receipt(case, on, _("收费通知"))
    if method == FeeNotice.Method.BY_COUNT:
        before = applications_before_in_month(case)
        quantity = before + 1
        amount = fees.fee_by_count(before, 1)
    elif method == FeeNotice.Method.BY_PAGES:
        if not pages or pages <= 0:
            raise CaseError({"pages": _("按量计收须填写页数")})
        quantity = pages
        amount = fees.fee_by_pages(pages)
    else:
        raise CaseError({"method": _("请选择计收方式（按件或按量）")})
    if amount <= Decimal("0"):
        raise CaseError(
            _("按%(m)s计算应收金额为0元（未超过免费标准），无需发出收费通知")
            % {"m": FeeNotice.Method(method).label}
        )
    pay_due = deadlines.fee_payment_deadline(on, _load_calendar())
    notice = FeeNotice.objects.create(
        case=case,
        method=method,
        quantity=quantity,
        amount=amount,
        issued_date=on,
        pay_due=pay_due,
        wait_excluded=fee_wait_excluded(),
    )
    case.status = target
    _save(case)
    _event(
        case,
        E.FEE_NOTICE_ISSUED,
        on=on,
        acting_user=acting_user,
        data={
            "notice": notice.pk,
            "method": method,
            "quantity": quantity,
            "amount": str(amount),
            "pay_due": pay_due.isoformat(),
        },
    )
    body = [
        _(
            "根据《政府信息公开信息处理费管理办法》，您的申请（申请编号：%(ref)s）按%(m)s应缴纳"
            "信息处理费%(a)s元（计费数量：%(q)d）。请于%(due)s前缴纳；逾期未缴纳的，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。"
        )
        % {
            "ref": case.reference,
            "m": FeeNotice.Method(method).label,
            "a": amount,
            "q": quantity,
            "due": documents.chinese_date(pay_due),
        }
    ]
    _make_document(case, CaseDocument.Kind.FEE_NOTICE, _("信息处理费收费通知"), body, on)
    _mail(
        [case.email],
        _("政府信息公开信息处理费收费通知（%(ref)s）") % {"ref": case.reference},
        "\n".join(body),
    )
    return notice


def fee_wait_excluded() -> bool:
    """Whether the time from a fee notice to payment is left out of the reply period (a
    per-deployment reading of the 处理费办法; default yes — ADR 0003 addendum)."""
    return bool(getattr(settings, "GONGKAI_FOI_FEE_WAIT_EXCLUDED", True))


def _open_fee_notice(case: Case) -> FeeNotice:
    notice = case.fee_notices.filter(state=FeeNotice.State.ISSUED).order_by("-id").first()
    if notice is None:
        raise CaseError(_("没有待缴费的收费通知"))
    return notice


@transaction.atomic
def fee_paid(*, case: Case, on: date, acting_user: User) -> FeeNotice:
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "fee_paid")
    notice = _open_fee_notice(case)
    if on < notice.issued_date:
        raise CaseError(_("缴费日期不能早于收费通知日期"))
    _not_future(on, _("缴费"))
    notice.state = FeeNotice.State.PAID
    notice.paid_date = on
    notice.save()
    case.status = target
    _save(case)
    _event(case, E.FEE_PAID, on=on, acting_user=acting_user, data={"notice": notice.pk})
    return notice


@transaction.atomic
def fee_unpaid(*, case: Case, on: date, acting_user: User) -> FeeNotice:
    """Not paid within 20 working days: 视为放弃, counted as 其他处理 2 (outcome 6.2)."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "fee_unpaid")
    notice = _open_fee_notice(case)
    if on <= notice.pay_due:
        raise CaseError(
            _("缴费期限%(d)s尚未届满，不能按逾期未缴费处理") % {"d": notice.pay_due.isoformat()}
        )
    notice.state = FeeNotice.State.UNPAID
    notice.save()
    case.status = target
    case.outcome = Outcome.OTHER_UNPAID
    case.closed_date = on
    case.save()
    _event(case, E.FEE_UNPAID, on=on, acting_user=acting_user, data={"notice": notice.pk})
    return notice


# ---------------------------------------------------------------- 答复 (第三十六条至第三十九条)


def reply_template_for(kind: str, organisation: Organisation) -> tuple[str, str, str]:
    """(body, legal basis, remedy) of a reply kind: the organisation's template, else the
    default one. A report-row code of a kind renamed in issue 20 (4.1, 3.8, 5.2) is accepted."""
    kind = reply_kinds.LEGACY_OUTCOME_KINDS.get(kind, kind)
    tpl = (
        ReplyTemplate.objects.filter(outcome=kind, organisation=organisation).first()
        or ReplyTemplate.objects.filter(outcome=kind, organisation__isnull=True).first()
    )
    if tpl is not None:
        return tpl.body, tpl.legal_basis, tpl.remedy
    body, basis = reply_defaults.DEFAULTS[kind]
    return body, basis, reply_defaults.DEFAULT_REMEDY


def _published_item_facts(index_number: str) -> dict[str, str]:
    """第三十六条第（一）项: the proactively disclosed item the letter points to, by 索引号."""
    from django.urls import reverse

    from gongkai.catalogue.models import InformationItem

    item = InformationItem.objects.filter(
        index_number=index_number.strip(),
        status=InformationItem.Status.PUBLISHED,
        disclosure=InformationItem.Disclosure.PROACTIVE,
    ).first()
    if item is None:
        raise CaseError(
            {
                "index_number": _("索引号“%(i)s”不是已发布的主动公开信息，请核对")
                % {"i": index_number.strip()}
            }
        )
    base = getattr(settings, "GONGKAI_PUBLIC_URL", "").rstrip("/")
    return {
        "index_number": item.index_number,
        "title": item.title,
        "published": documents.chinese_date(item.published_date) if item.published_date else "",
        "url": base + reverse("portal:item_detail", args=[item.pk]),
    }


def _reply_facts(
    case: Case, kind: str, facts: dict[str, str], responsible: Organisation | None
) -> dict[str, str]:
    """The facts the letter of this kind states, completed from the records where they exist
    (the published item, the responsible agency's contacts); refuses a letter that lacks one."""
    allowed = reply_kinds.KIND_RULES[kind].facts
    out = {k: str(v).strip() for k, v in facts.items() if k in allowed and str(v or "").strip()}
    if kind == ReplyKind.PROACTIVE_ALREADY:
        if out.get("index_number"):
            out.update(_published_item_facts(out["index_number"]))
        if not out.get("place") and case.organisation.address:
            out["place"] = case.organisation.name + _("（%(a)s）") % {
                "a": case.organisation.address
            }
    if kind == ReplyKind.NOT_OURS and responsible is not None:
        if responsible.pk == case.organisation_id:
            raise CaseError({"agency": _("负责公开的机关不能是本机关")})
        out["agency"] = responsible.name
        if not out.get("agency_contact"):
            contact = [c for c in (responsible.phone, responsible.address) if c]
            out["agency_contact"] = "，".join(contact)
    missing = reply_kinds.missing_facts(kind, out)
    if missing:
        raise CaseError(
            {
                name: _("“%(k)s”的答复须写明%(f)s")
                % {"k": ReplyKind(kind).label, "f": reply_kinds.FACT_LABELS[name]}
                for name in missing
            }
        )
    return out


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _make_document(
    case: Case,
    kind: str,
    title: str,
    paragraphs: list[str],
    on: date,
    *,
    addressee: str = "",
    sections: list[tuple[str, str]] | None = None,
    pdf: bool = False,
    created_by: Any = None,
    review_status: str = "",
) -> CaseDocument:
    letter = documents.Letter(
        title=title,
        addressee=addressee or case.applicant_name or _("申请人"),
        paragraphs=paragraphs,
        organisation=case.organisation.name,
        issued=on,
        number=_("申请编号：%(ref)s") % {"ref": case.reference},
        sections=sections or [],
    )
    doc = CaseDocument(
        case=case,
        kind=kind,
        title=title,
        body="\n".join(paragraphs),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        review_status=review_status,
    )
    stem = f"{case.reference}-{kind}-{CaseDocument.objects.filter(case=case).count() + 1}"
    doc.file.save(f"{stem}.docx", ContentFile(documents.render_docx(letter)), save=False)
    if pdf:
        try:
            pdf_bytes = documents.render_pdf(letter)
        except PdfFontsMissing as exc:
            raise CaseError(str(exc)) from exc
        doc.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    doc.save()
    return doc


@transaction.atomic
def case_reply(
    *,
    case: Case,
    kind: str = "",
    outcome: str = "",
    facts: dict[str, str] | None = None,
    responsible: Organisation | None = None,
    detail: str = "",
    on: date | None = None,
    acting_user: User,
    pdf: bool = True,
) -> CaseDocument:
    """Choose the kind of reply and draft the 答复书 (DOCX + PDF) from its template, stating
    the kind's facts (``reply_kinds``). The case's ``outcome`` becomes the report row of the
    kind. ``outcome`` is the pre-issue-20 way of choosing (a report-row code). A new draft
    replaces the previous letter (which must not be in review); it then goes through the
    review chain (先审后发: ``review.chain_services.review_submit``) before delivery.

    Without a Chinese font the PDF cannot be made and the reply is refused (CaseError);
    ``pdf=False`` drafts the DOCX alone (the demo world on a machine without fonts)."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "reply")
    previous = current_reply(case)
    if previous is not None and previous.review_status == LetterReviewStatus.IN_REVIEW:
        raise CaseError(_("答复书正在审核中，不能重新拟定；如需修改，请审核人退回后再重新拟定"))
    try:
        kind = reply_kinds.kind_for(kind or outcome)
    except ValueError:
        raise CaseError({"kind": _("请选择答复类型")}) from None
    if kind == ReplyKind.UNCLEAR and not case.events.filter(type=E.SUPPLEMENT_RECEIVED).exists():
        raise CaseError(
            {"kind": _("“补正后申请内容仍不明确”仅适用于已告知补正并收到补正材料的申请")}
        )
    if kind in reply_kinds.REASONED_KINDS and not detail.strip():
        raise CaseError(
            {"detail": _("部分公开或不予公开的，须在答复中说明理由（条例第三十六条、第三十七条）")}
        )
    stated = _reply_facts(case, kind, facts or {}, responsible)
    outcome = reply_kinds.report_row(kind)
    on = on or _today()
    _not_before_receipt(case, on, _("答复"))
    body, basis, remedy = reply_template_for(kind, case.organisation)
    values = _SafeDict(
        applicant=case.applicant_name,
        received=documents.chinese_date(_received(case)) if case.received_date else "",
        reference=case.reference,
        info=case.requested_info,
        organisation=case.organisation.name,
        facts=reply_kinds.facts_text(kind, stated),
        detail=detail.strip(),
    )
    try:
        text = body.format_map(values)
    except (ValueError, IndexError) as exc:
        raise CaseError(
            _("答复书模板格式错误，请管理员修改“%(o)s”的模板") % {"o": ReplyKind(kind).label}
        ) from exc
    CaseDocument.objects.filter(case=case, kind=CaseDocument.Kind.REPLY, superseded=False).update(
        superseded=True
    )
    doc = _make_document(
        case,
        CaseDocument.Kind.REPLY,
        _("政府信息公开申请答复书"),
        [p for p in text.split("\n") if p.strip()],
        on,
        sections=[
            (_("办理结果"), str(ReplyKind(kind).label)),
            (_("法律依据"), basis),
            (_("救济途径"), remedy),
        ],
        pdf=pdf,
        created_by=acting_user,
        review_status=LetterReviewStatus.DRAFT,
    )
    case.outcome = outcome
    case.reply_kind = kind
    case.reply_facts = stated
    case.status = target
    _save(case)
    _event(
        case,
        E.REPLY_DRAFTED,
        on=on,
        acting_user=acting_user,
        data={"outcome": outcome, "kind": kind, "facts": stated, "document": doc.pk},
    )
    return doc


def current_reply(case: Case) -> CaseDocument | None:
    return (
        CaseDocument.objects.filter(case=case, kind=CaseDocument.Kind.REPLY, superseded=False)
        .order_by("-id")
        .first()
    )


# The review chain (先审后发) reviews reply letters through ``review.chain_services``
# (``ReplyLetterAdapter``); these two functions are its view of the case.

REVIEW_STEPS = {
    "submitted": E.REPLY_SUBMITTED,
    "level_approved": E.REPLY_LEVEL_APPROVED,
    "returned": E.REPLY_RETURNED,
    "approved": E.REPLY_APPROVED,
}


def reply_letter_submit_problem(document: CaseDocument) -> str:
    """Why this letter cannot be sent to review now ("" when it can)."""
    case = document.case
    if document.kind != CaseDocument.Kind.REPLY:
        return _("只有答复书需要提交审核")
    if case.status == Status.ARCHIVED:
        return _("申请 %(ref)s 已归档，不能再修改") % {"ref": case.reference}
    if document.superseded:
        return _("该答复书已被重新拟定的答复书替代，请提交最新的答复书")
    if case.status != Status.REPLY_REVIEW:
        return _("申请 %(ref)s 当前状态为“%(status)s”，不能提交答复书审核") % {
            "ref": case.reference,
            "status": Status(case.status).label,
        }
    return ""


def reply_letter_record(
    *,
    document: CaseDocument,
    step: str,
    acting_user: Any,
    note: str = "",
    data: dict | None = None,
) -> CaseEvent:
    """Record a review step of the reply letter on its case (event + audit row). Called by the
    review chain inside its transaction, after it has moved the letter's review status. The
    final approval also signs the letter (``reviewed``/``reviewed_by``/``reviewed_at``),
    which delivery requires. The statutory deadline is not paused by the review."""
    if step not in REVIEW_STEPS:
        raise CaseError(_("未知的答复书审核步骤：%(s)s") % {"s": step})
    case = _lock(document.case)
    _check_step(case, "reply_review")
    if step == "approved":
        document.reviewed = True
        document.reviewed_by = acting_user
        document.reviewed_at = timezone.now()
        document.review_status = LetterReviewStatus.APPROVED
        document.save(update_fields=["reviewed", "reviewed_by", "reviewed_at", "review_status"])
    return _event(
        case,
        REVIEW_STEPS[step],
        on=_today(),
        acting_user=acting_user,
        note=note,
        data={"document": document.pk, **(data or {})},
    )


@transaction.atomic
def case_deliver(*, case: Case, method: str, on: date, acting_user: User) -> Case:
    """Record delivery of the reviewed reply; the case is answered (办结) on that day."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "deliver")
    if method not in DeliveryMethod.values:
        raise CaseError({"method": _("请选择送达方式")})
    doc = current_reply(case)
    if doc is None or doc.review_status != LetterReviewStatus.APPROVED or not doc.reviewed:
        raise CaseError(_("答复书尚未审核通过，不能送达"))
    _not_before_receipt(case, on, _("送达"))
    _not_future(on, _("送达"))
    doc.delivered_at = on
    doc.delivery_method = method
    doc.save()
    case.status = target
    case.closed_date = on
    case.save()
    _event(
        case,
        E.DELIVERED,
        on=on,
        acting_user=acting_user,
        data={"method": method, "document": doc.pk, "outcome": case.outcome},
    )
    _mail(
        [case.email],
        _("政府信息公开申请答复（%(ref)s）") % {"ref": case.reference},
        _("您的政府信息公开申请（%(ref)s）已答复，请凭申请编号和查询码在网站查询并下载答复书。")
        % {"ref": case.reference},
    )
    return case


@transaction.atomic
def case_archive(*, case: Case, acting_user: User) -> Case:
    """归档 (第四十五条): afterwards the case is read-only."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "archive")
    case.status = target
    case.save()
    _event(case, E.ARCHIVED, on=_today(), acting_user=acting_user)
    return case


# ---------------------------------------------------------------- 第四十四条 and records


@transaction.atomic
def case_propose_proactive(*, case: Case, reason: str, acting_user: User) -> ProactiveProposal:
    """依申请公开转主动公开 (条例第四十四条). Allowed on answered and archived cases: the
    proposal is a separate record and does not change the case itself."""
    _require_handler(acting_user, case)
    case = Case.objects.get(pk=case.pk)
    if case.outcome not in [o.value for o in DISCLOSED_OUTCOMES] or case.status not in (
        Status.REPLIED,
        Status.ARCHIVED,
    ):
        raise CaseError(_("只有已答复“予以公开”或“部分公开”的申请才能建议转为主动公开"))
    if not reason.strip():
        raise CaseError({"reason": _("请填写建议转为主动公开的理由")})
    if case.proactive_proposals.filter(state=ProactiveProposal.State.PENDING).exists():
        raise CaseError(_("该申请已有待处理的转主动公开建议"))
    proposal = ProactiveProposal.objects.create(
        case=case, reason=reason.strip(), proposed_by=acting_user
    )
    CaseEvent.objects.create(
        case=case,
        type=E.PROACTIVE_PROPOSED,
        date=_today(),
        actor=acting_user,
        actor_name=acting_user.get_full_name(),
        note=reason.strip(),
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=proposal,
        organisation=case.organisation,
        detail={"case": case.reference},
    )
    return proposal


@transaction.atomic
def item_propose_proactive(*, item: Any, reason: str, acting_user: User) -> ProactiveProposal:
    """转主动公开 of an item marked 依申请公开/不予公开, proposed by its periodic review
    (条例第十八条: 因情势变化可以公开的政府信息应当公开). Called by
    ``oversight.services.disclosure_review_propose``, which records the review itself. The
    proposal joins the 第四十四条 queue; accepting it does not touch the item: the change to
    主动公开 is an ordinary edit that goes through the review chain (先审后发)."""
    organisation = item.organisation
    if not is_staff_user(acting_user) or not user_has_role(acting_user, organisation, Role.EDITOR):
        raise PermissionDenied(_("您没有评估该机关政府信息的权限"))
    if item.disclosure == "proactive":
        raise CaseError(_("“%(title)s”已是主动公开") % {"title": item.title})
    if not reason.strip():
        raise CaseError({"reason": _("请填写建议转为主动公开的理由")})
    if ProactiveProposal.objects.filter(item=item, state=ProactiveProposal.State.PENDING).exists():
        raise CaseError(_("“%(title)s”已有待处理的转主动公开建议") % {"title": item.title})
    proposal = ProactiveProposal.objects.create(
        item=item, reason=reason.strip(), proposed_by=acting_user
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=proposal,
        organisation=organisation,
        detail={"item": item.index_number},
    )
    return proposal


@transaction.atomic
def proactive_proposal_decide(
    *, proposal: ProactiveProposal, accept: bool, note: str = "", acting_user: User
) -> ProactiveProposal:
    case = proposal.case
    organisation = proposal.organisation
    if case is not None:
        _require_handler(acting_user, case)
    if not is_staff_user(acting_user) or not user_has_role(acting_user, organisation, Role.ADMIN):
        raise PermissionDenied(_("转主动公开须由本机关管理员决定"))
    proposal = ProactiveProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProactiveProposal.State.PENDING:
        raise CaseError(_("该建议已处理"))
    proposal.state = (
        ProactiveProposal.State.ACCEPTED if accept else ProactiveProposal.State.REJECTED
    )
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save()
    audit_record(
        action=AuditEntry.Action.APPROVE if accept else AuditEntry.Action.RETURN,
        acting_user=acting_user,
        target=proposal,
        organisation=organisation,
        detail=(
            {"case": case.reference, "note": note}
            if case is not None
            else {"item": proposal.item.index_number, "note": note}  # type: ignore[union-attr]
        ),
    )
    return proposal


@transaction.atomic
def admin_review_record(
    *,
    case: Case,
    kind: str,
    filed_date: date,
    result: str = "pending",
    decided_date: date | None = None,
    note: str = "",
    acting_user: User,
):
    """行政复议/行政诉讼 about a case (annual-report table 四); allowed on archived cases."""
    from .models import AdminReview

    _require_handler(acting_user, case)
    case = Case.objects.get(pk=case.pk)
    if kind not in AdminReview.Kind.values or result not in AdminReview.Result.values:
        raise CaseError(_("请选择复议/诉讼类型和结果"))
    if case.is_open:
        raise CaseError(_("申请尚未办结，不能登记行政复议或行政诉讼"))
    if result == AdminReview.Result.PENDING and decided_date is not None:
        raise CaseError({"decided_date": _("尚未审结的，不应填写审结日期")})
    if result != AdminReview.Result.PENDING and decided_date is None:
        raise CaseError({"decided_date": _("已审结的，请填写审结日期")})
    if decided_date is not None and decided_date < filed_date:
        raise CaseError({"decided_date": _("审结日期不能早于申请/起诉日期")})
    review = AdminReview.objects.create(
        case=case,
        kind=kind,
        result=result,
        filed_date=filed_date,
        decided_date=decided_date,
        note=note,
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=review,
        organisation=case.organisation,
        detail={"case": case.reference, "kind": kind},
    )
    return review


def case_view_personal(*, case: Case, acting_user: User, ip_address: str | None = None) -> dict:
    """Full personal data of the applicant; every view is logged (VIEW_PERSONAL)."""
    _require_handler(acting_user, case)
    with transaction.atomic():
        audit_record(
            action=AuditEntry.Action.VIEW_PERSONAL,
            acting_user=acting_user,
            target=case,
            detail={"fields": ["id_number", "phone", "address"]},
            ip_address=ip_address,
        )
    return {"id_number": case.id_number, "phone": case.phone, "address": case.address}


def query_code_matches(case: Case, code: str) -> bool:
    return (
        bool(code)
        and bool(case.query_code_hash)
        and check_password(code.strip().upper(), case.query_code_hash)
    )


# ---------------------------------------------------------------- reminders


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
            CaseEvent.objects.create(
                case=case,
                type=E.REMINDER_SENT,
                date=today,
                note=subject,
                data={"key": key, "left": left},
            )
            _mail(_handler_emails(case), subject, subject)
        sent += 1
    return sent


# ---------------------------------------------------------------- reply templates

TEMPLATE_PLACEHOLDERS = (
    "applicant",
    "received",
    "reference",
    "info",
    "organisation",
    "facts",
    "detail",
)


def _check_template(body: str) -> None:
    import string

    try:
        names = {name for _t, name, _f, _c in string.Formatter().parse(body) if name is not None}
    except ValueError as exc:
        raise CaseError(
            {"body": _("答复正文格式错误（花括号不配对）：%(e)s") % {"e": exc}}
        ) from exc
    unknown = sorted(n for n in names if n not in TEMPLATE_PLACEHOLDERS)
    if unknown:
        raise CaseError(
            {
                "body": _("无法识别的占位符：%(n)s；可用 %(ok)s")
                % {
                    "n": "、".join("{" + n + "}" for n in unknown),
                    "ok": "、".join("{" + n + "}" for n in TEMPLATE_PLACEHOLDERS),
                }
            }
        )


@transaction.atomic
def reply_template_save(
    *,
    organisation: Organisation,
    outcome: str,
    body: str,
    legal_basis: str,
    remedy: str,
    acting_user: User,
) -> ReplyTemplate:
    """An organisation's own 答复书 text for one reply kind (``outcome`` holds the kind;
    overrides the default template)."""
    if not is_staff_user(acting_user) or not user_has_role(acting_user, organisation, Role.ADMIN):
        raise PermissionDenied(_("只有本机关的政务公开管理员可以修改答复书模板"))
    outcome = reply_kinds.LEGACY_OUTCOME_KINDS.get(outcome, outcome)
    if outcome not in ReplyKind.values:
        raise CaseError({"outcome": _("请选择答复类型")})
    if not body.strip():
        raise CaseError({"body": _("请填写答复正文")})
    _check_template(body)
    if reply_kinds.KIND_RULES[outcome].required and "{facts}" not in body:
        # Without it the letter would drop what 第三十六条 requires it to tell the applicant.
        raise CaseError(
            {
                "body": _("“%(k)s”的答复正文须包含占位符{facts}（答复所述事实）")
                % {"k": ReplyKind(outcome).label}
            }
        )
    tpl, created = ReplyTemplate.objects.update_or_create(
        outcome=outcome,
        organisation=organisation,
        defaults={
            "body": body.strip(),
            "legal_basis": legal_basis.strip(),
            "remedy": remedy.strip(),
        },
    )
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=tpl,
        organisation=organisation,
        detail={"outcome": outcome},
    )
    return tpl


# ---------------------------------------------------------------- 更正 (第四十一条)


def _correction_data(data: dict) -> dict[str, str]:
    """Validated fields of a correction request (Chinese messages per field)."""
    clean = {k: str(data.get(k) or "").strip() for k in CORRECTION_FIELDS}
    errors: dict[str, str] = {}
    if not clean["applicant_name"]:
        errors["applicant_name"] = _("请填写申请人姓名或名称")
    if not clean["id_number"]:
        errors["id_number"] = _("请填写证件号码（更正的须是与申请人自身相关的信息）")
    if not (clean["phone"] or clean["email"]):
        errors["phone"] = _("请至少填写联系电话或电子邮箱中的一项")
    if not clean["record"]:
        errors["record"] = _("请写明哪一项政府信息记录不准确")
    if not clean["correction"]:
        errors["correction"] = _("请写明要求更正为什么内容")
    if not clean["evidence"]:
        errors["evidence"] = _("请说明能够证明记录不准确的证据（条例第四十一条）")
    if errors:
        raise CaseError(errors)
    return clean


CORRECTION_FIELDS = (
    "applicant_name",
    "id_number",
    "phone",
    "email",
    "record",
    "correction",
    "evidence",
)


def _correction_create(
    organisation: Organisation, data: dict, channel: str, received: date, acting_user: Any
) -> CorrectionRequest:
    clean = _correction_data(data)
    request = CorrectionRequest(
        organisation=organisation,
        channel=channel,
        received_date=received,
        applicant_name=clean["applicant_name"],
        email=clean["email"],
        record=clean["record"],
        correction=clean["correction"],
        evidence=clean["evidence"],
        applicant_user=acting_user
        if getattr(acting_user, "is_authenticated", False) and acting_user.kind == User.Kind.PUBLIC
        else None,
        reference=f"GZ-{received.year}-pending-{secrets.token_hex(6)}",
    )
    request.id_number = clean["id_number"]
    request.phone = clean["phone"]
    request.save()
    # The primary key makes the reference unique without a second counter.
    request.reference = f"GZ-{received.year}-{organisation.pk:02d}-{request.pk:06d}"
    request.save(update_fields=["reference"])
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=request,
        organisation=organisation,
        detail={"channel": channel, "received": received.isoformat()},
    )
    return request


@transaction.atomic
def correction_submit(
    *, organisation: Organisation, data: dict, acting_user: Any = None
) -> CorrectionRequest:
    """A correction request made online (第四十一条); received the day it is submitted."""
    return _correction_create(organisation, data, Channel.ONLINE, _today(), acting_user)


@transaction.atomic
def correction_record(
    *, organisation: Organisation, data: dict, channel: str, received: date, acting_user: User
) -> CorrectionRequest:
    """Staff register a correction request made by letter, in person or another way."""
    _require_handler(acting_user, organisation)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise CaseError({"channel": _("请选择提出方式（信函、当面、传真或其他）")})
    _not_future(received, _("收到更正申请"))
    return _correction_create(organisation, data, channel, received, acting_user)


def _lock_correction(request: CorrectionRequest) -> CorrectionRequest:
    locked = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state == CorrectionRequest.State.ANSWERED:
        raise CaseError(_("更正申请 %(ref)s 已答复，不能再处理") % {"ref": locked.reference})
    return locked


@transaction.atomic
def correction_forward(
    *,
    request: CorrectionRequest,
    to: Organisation | None = None,
    to_name: str = "",
    on: date,
    acting_user: User,
) -> CorrectionRequest:
    """第四十一条: the record is outside this agency's functions — forward the request to the
    agency with the power to correct (from the organisation tree or by name) and tell the
    applicant (the answer ``correction_reply`` with result FORWARDED)."""
    _require_handler(acting_user, request.organisation)
    request = _lock_correction(request)
    if request.state != CorrectionRequest.State.RECEIVED:
        raise CaseError(_("该更正申请已转送"))
    if to is not None and to.pk == request.organisation_id:
        raise CaseError({"to": _("有权更正的机关不能是本机关")})
    name = to.name if to is not None else to_name.strip()
    if not name:
        raise CaseError({"to": _("请选择或填写有权更正的机关")})
    if on < request.received_date:
        raise CaseError({"on": _("转送日期不能早于收到更正申请的日期")})
    _not_future(on, _("转送"))
    request.forwarded_to = to
    request.forwarded_to_name = name
    request.forwarded_date = on
    request.state = CorrectionRequest.State.FORWARDED
    request.save()
    audit_record(
        action=AuditEntry.Action.TRANSITION,
        acting_user=acting_user,
        target=request,
        organisation=request.organisation,
        detail={"forwarded_to": name, "date": on.isoformat()},
    )
    return request


@transaction.atomic
def correction_reply(
    *, request: CorrectionRequest, result: str, text: str, on: date, acting_user: User
) -> CorrectionRequest:
    """The answer to the applicant (第四十一条: corrected and told; not corrected with reasons;
    forwarded and told; or told which agency to ask)."""
    R = CorrectionRequest.Result
    _require_handler(acting_user, request.organisation)
    request = _lock_correction(request)
    if result not in R.values:
        raise CaseError({"result": _("请选择处理结果")})
    if result == R.FORWARDED and request.state != CorrectionRequest.State.FORWARDED:
        raise CaseError({"result": _("尚未转送有权更正的机关，不能答复为“已转送”")})
    if result != R.FORWARDED and request.state == CorrectionRequest.State.FORWARDED:
        raise CaseError({"result": _("该更正申请已转送，答复结果应为“已转送有权更正的机关处理”")})
    if not text.strip():
        raise CaseError({"text": _("请填写答复内容（不予更正的，须说明理由）")})
    if on < request.received_date:
        raise CaseError({"on": _("答复日期不能早于收到更正申请的日期")})
    _not_future(on, _("答复"))
    request.result = result
    request.reply = text.strip()
    request.replied_date = on
    request.state = CorrectionRequest.State.ANSWERED
    request.save()
    audit_record(
        action=AuditEntry.Action.TRANSITION,
        acting_user=acting_user,
        target=request,
        organisation=request.organisation,
        detail={"result": result, "date": on.isoformat()},
    )
    _mail(
        [request.email],
        _("政府信息更正申请答复（%(ref)s）") % {"ref": request.reference},
        _("%(result)s。%(text)s") % {"result": R(result).label, "text": request.reply},
    )
    return request
