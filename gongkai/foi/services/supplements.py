"""Requests to the applicant that stop or restart the clock: 补正 (条例第三十条) and 说明理由
(条例第三十五条)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import User

from .. import deadlines, documents
from ..models import (
    Case,
    CaseDocument,
    CaseEvent,
    Outcome,
    Status,
)
from . import letters
from .base import (
    CaseError,
    _check_step,
    _event,
    _load_calendar,
    _lock,
    _mail,
    _not_before_receipt,
    _not_future,
    _received,
    _require_handler,
    _today,
)
from .clock import _save

E = CaseEvent.Type


def case_request_supplement(
    *, case: Case, points: list[str], reply_by: date, on: date, acting_user: User
) -> Case:
    """One notice listing everything missing, within 7 working days of receipt (第三十条).

    The notice is rendered with no row lock held (``letters``)."""
    _require_handler(acting_user, case)
    with transaction.atomic():
        case = _lock(case)
        target = _check_step(case, "request_supplement")
        points = _supplement_points(case, points, reply_by, on)
        body = _supplement_notice(case, points, reply_by)
        draft = letters.document_draft(
            case, CaseDocument.Kind.SUPPLEMENT_NOTICE, _("补正申请告知书"), body, on
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
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
        letters.document_store(case, doc)
        _mail(
            [case.email],
            _("政府信息公开申请补正告知（%(ref)s）") % {"ref": case.reference},
            "\n".join(body),
        )
    return case


def _supplement_points(case: Case, points: list[str], reply_by: date, on: date) -> list[str]:
    """The listed points, once the notice is allowed (第三十条: once, within 7 working days)."""
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
    return points


def _supplement_notice(case: Case, points: list[str], reply_by: date) -> list[str]:
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
    return body


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


def case_request_explanation(
    *, case: Case, points: list[str], reply_by: date, on: date, acting_user: User
) -> Case:
    """条例第三十五条: the number or frequency of requests is clearly beyond a reasonable range,
    so the applicant is asked to explain the reasons (separate from 补正, which is about an
    unclear application and restarts the clock). The time until the explanation arrives is
    not counted (ADR 0003 addendum). The notice is rendered with no row lock held."""
    _require_handler(acting_user, case)
    with transaction.atomic():
        case = _lock(case)
        target = _check_step(case, "request_explanation")
        points = _explanation_points(case, points, reply_by, on)
        body = _explanation_notice(case, points, reply_by)
        draft = letters.document_draft(
            case, CaseDocument.Kind.EXPLANATION_NOTICE, _("说明理由告知书"), body, on
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
        case.status = target
        _event(
            case,
            E.EXPLANATION_REQUESTED,
            on=on,
            acting_user=acting_user,
            data={"points": points, "reply_by": reply_by.isoformat()},
        )
        _save(case)
        letters.document_store(case, doc)
        _mail(
            [case.email],
            _("政府信息公开申请说明理由告知（%(ref)s）") % {"ref": case.reference},
            "\n".join(body),
        )
    return case


def _explanation_points(case: Case, points: list[str], reply_by: date, on: date) -> list[str]:
    points = [p.strip() for p in points if p and p.strip()]
    if not points:
        raise CaseError({"points": _("请写明需要申请人说明的事项（条例第三十五条）")})
    _not_before_receipt(case, on, _("要求说明理由"))
    _not_future(on, _("要求说明理由"))
    if reply_by <= on:
        raise CaseError({"reply_by": _("说明期限应晚于通知日期")})
    if case.events.filter(type=E.EXPLANATION_REQUESTED).exists():
        raise CaseError(_("本申请已要求申请人说明理由，不能重复要求"))
    return points


def _explanation_notice(case: Case, points: list[str], reply_by: date) -> list[str]:
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
    return body


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


def explanation_accepted(case: Case) -> bool:
    """Whether the applicant's latest answer to a 说明理由告知书 gave reasons (第三十五条); only
    then may the agency fix a later deadline (``case_reply_deferral_set``)."""
    answered = case.events.filter(type=E.EXPLANATION_RECEIVED).order_by("-date", "-id").first()
    return answered is not None and bool(answered.data.get("explained"))


def case_reply_deferral_set(
    *, case: Case, due_date: date, reason: str, on: date | None = None, acting_user: User
) -> Case:
    """条例第三十五条: the applicant's reasons are reasonable but the reply cannot be made within
    the 第三十三条 period, so the agency fixes a reasonable later deadline and tells the
    applicant (延迟答复告知书). The case's due date becomes ``due_date`` (ADR 0003 addendum).
    The notice is rendered with no row lock held (``letters``)."""
    _require_handler(acting_user, case)
    on = on or _today()
    with transaction.atomic():
        case = _lock(case)
        _check_step(case, "defer_reply")
        reason = _deferral_checks(case, due_date, reason, on)
        body = _deferral_notice(case, due_date, reason)
        draft = letters.document_draft(
            case, CaseDocument.Kind.DEFERRAL_NOTICE, _("延迟答复告知书"), body, on
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
        previous = case.due_date
        _event(
            case,
            E.REPLY_DEFERRED,
            on=on,
            acting_user=acting_user,
            note=reason,
            data={
                "due": due_date.isoformat(),
                "previous_due": previous.isoformat() if previous else None,
                "reason": reason,
            },
        )
        _save(case)
        letters.document_store(case, doc)
        _mail(
            [case.email],
            _("政府信息公开申请延迟答复告知（%(ref)s）") % {"ref": case.reference},
            "\n".join(body),
        )
    return case


def _deferral_checks(case: Case, due_date: date, reason: str, on: date) -> str:
    reason = (reason or "").strip()
    if not explanation_accepted(case):
        raise CaseError(
            _(
                "只有在要求申请人说明理由、且申请人已说明理由后，才能确定延迟答复的合理期限"
                "（条例第三十五条）"
            )
        )
    if not reason:
        raise CaseError({"reason": _("请写明无法在规定期限内答复的原因（条例第三十五条）")})
    _not_future(on, _("确定延迟答复期限"))
    if case.due_date is None:
        raise CaseError(_("当前答复期限暂无法确定（暂停中），请在暂停结束后再确定延迟答复的期限"))
    if due_date <= case.due_date:
        raise CaseError(
            {
                "due_date": _("延迟答复的期限%(d)s应晚于当前答复期限%(c)s")
                % {"d": due_date.isoformat(), "c": case.due_date.isoformat()}
            }
        )
    return reason


def _deferral_notice(case: Case, due_date: date, reason: str) -> list[str]:
    return [
        _(
            "本机关于%(d)s收到您的政府信息公开申请（申请编号：%(ref)s）。经审查，您说明的理由"
            "合理，但因%(why)s，本机关无法在《中华人民共和国政府信息公开条例》第三十三条规定的"
            "期限内答复。根据该条例第三十五条，本机关确定延迟答复的合理期限为%(due)s，"
            "将于该日前作出答复。"
        )
        % {
            "d": documents.chinese_date(_received(case)),
            "ref": case.reference,
            "why": reason.rstrip("。"),
            "due": documents.chinese_date(due_date),
        }
    ]
