"""信息处理费 (条例第四十二条, 《政府信息公开信息处理费管理办法》): notices, payment and
non-payment."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongkai.accounts.models import User

from .. import deadlines, documents
from ..models import (
    Case,
    CaseDocument,
    CaseEvent,
    FeeNotice,
    Outcome,
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
    _require_handler,
)
from .clock import _save

E = CaseEvent.Type


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


def fee_notice_issue(
    *,
    case: Case,
    method: str,
    on: date,
    pages: int | None = None,
    delivery: str = FeeNotice.Delivery.ONLINE,
    acting_user: User,
) -> FeeNotice:
    """The fee notice; rendered with no row lock held (``letters``).

    The 20 working days to pay run from the day after the applicant receives the notice
    (处理费办法 as restated by the provinces). Delivered online or in person, that is the day
    of issue (as for the application, 条例第三十一条); by post it is the day signed for, which
    staff record later (``fee_notice_receipt_record``) — until then there is no pay-by date,
    and the notice states the period instead of a date."""
    _require_handler(acting_user, case)
    if delivery not in FeeNotice.Delivery.values:
        raise CaseError({"delivery": _("请选择收费通知的送达方式（网上、当面或邮寄）")})
    with transaction.atomic():
        case = _lock(case)
        target = _check_step(case, "fee_notice_issue")
        _not_before_receipt(case, on, _("收费通知"))
        quantity, amount = _fee_amount(case, method, pages)
        received = None if delivery == FeeNotice.Delivery.POST else on
        pay_due = (
            None if received is None else deadlines.fee_payment_deadline(received, _load_calendar())
        )
        # Read once: the notice tells the applicant what the stored notice will do to the clock.
        excluded = fee_wait_excluded()
        body = _fee_notice_text(case, method, quantity, amount, pay_due, excluded=excluded)
        draft = letters.document_draft(
            case, CaseDocument.Kind.FEE_NOTICE, _("信息处理费收费通知"), body, on
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
        notice = FeeNotice.objects.create(
            case=case,
            method=method,
            quantity=quantity,
            amount=amount,
            issued_date=on,
            delivery=delivery,
            received_date=received,
            pay_due=pay_due,
            wait_excluded=excluded,
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
                "delivery": delivery,
                "pay_due": pay_due.isoformat() if pay_due else None,
            },
        )
        letters.document_store(case, doc)
        _mail(
            [case.email],
            _("政府信息公开信息处理费收费通知（%(ref)s）") % {"ref": case.reference},
            "\n".join(body),
        )
    return notice


def _fee_amount(case: Case, method: str, pages: int | None) -> tuple[int, Decimal]:
    """(quantity, amount) of a notice; refuses a notice that would charge nothing."""
    from .. import fees

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
            _("%(m)s应收金额为0元（未超过免费标准），无需发出收费通知")
            % {"m": FeeNotice.Method(method).label}
        )
    return quantity, amount


def _fee_notice_text(
    case: Case,
    method: str,
    quantity: int,
    amount: Decimal,
    pay_due: date | None,
    *,
    excluded: bool,
) -> list[str]:
    if pay_due is None:
        # Posted: the day of receipt is not known when the notice is written.
        when = _("请自收到本通知之次日起20个工作日内缴纳")
    else:
        when = _("请于%(due)s前缴纳") % {"due": documents.chinese_date(pay_due)}
    text = _(
        "根据《政府信息公开信息处理费管理办法》，您的申请（申请编号：%(ref)s）%(m)s，应缴纳"
        "信息处理费%(a)s元（计费数量：%(q)d）。%(when)s；逾期未缴纳的，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。"
    ) % {
        "ref": case.reference,
        "m": FeeNotice.Method(method).label,
        "a": amount,
        "q": quantity,
        "when": when,
    }
    if excluded:
        # The applicant learns that the reply period stops, as the clock and the day-by-day
        # explanation do (pause from the day after the notice to the day of payment).
        text += _("本通知发出后至您缴纳费用之日的期间，不计入答复期限。")
    return [text]


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
def fee_notice_receipt_record(
    *, notice: FeeNotice, received_date: date, acting_user: User
) -> FeeNotice:
    """The applicant signed for a posted fee notice on ``received_date``: the pay-by date is
    the 20th working day after it (处理费办法 as restated by the provinces; working-day
    calendar, 调休 days counted). A correction of an earlier recorded date is allowed while the
    notice is unpaid. The fee-wait pause still runs from the notice to payment (unchanged)."""
    case = notice.case
    _require_handler(acting_user, case)
    case = _lock(case)
    notice = FeeNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.delivery != FeeNotice.Delivery.POST:
        raise CaseError(
            _("该收费通知为%(d)s，发出之日即为收到之日，无需登记收到日期")
            % {"d": FeeNotice.Delivery(notice.delivery).label}
        )
    if notice.state != FeeNotice.State.ISSUED:
        raise CaseError(
            _("该收费通知已是“%(s)s”状态，不能再登记申请人收到日期")
            % {"s": FeeNotice.State(notice.state).label}
        )
    if received_date < notice.issued_date:
        raise CaseError(
            {
                "received_date": _("申请人收到收费通知的日期%(r)s不能早于通知发出日期%(i)s")
                % {"r": received_date.isoformat(), "i": notice.issued_date.isoformat()}
            }
        )
    _not_future(received_date, _("申请人收到收费通知"))
    notice.received_date = received_date
    notice.pay_due = deadlines.fee_payment_deadline(received_date, _load_calendar())
    notice.save(update_fields=["received_date", "pay_due"])
    _save(case)
    _event(
        case,
        E.FEE_NOTICE_RECEIVED,
        on=received_date,
        acting_user=acting_user,
        data={"notice": notice.pk, "pay_due": notice.pay_due.isoformat()},
    )
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
    if notice.pay_due is None:
        raise CaseError(
            _("邮寄的收费通知尚未登记申请人收到日期，缴费期限无法确定，不能按逾期未缴费处理")
        )
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
