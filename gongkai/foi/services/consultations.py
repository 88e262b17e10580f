"""征求意见 (条例第三十二条、第三十四条): the clock pauses while a third party or agency answers."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import User

from .. import deadlines, documents
from ..models import (
    Case,
    CaseDocument,
    CaseEvent,
    Consultation,
    Status,
)
from . import letters
from .base import (
    CaseError,
    _check_step,
    _event,
    _load_calendar,
    _lock,
    _not_before_receipt,
    _not_future,
    _received,
    _require_handler,
)
from .clock import _save

E = CaseEvent.Type


def consultation_start(
    *,
    case: Case,
    kind: str,
    party: str,
    sent_date: date,
    acting_user: User,
    note: str = "",
) -> Consultation:
    """征求意见书 (第三十二条 third party, 第三十四条 co-agency): the clock pauses.

    The letter is rendered with no row lock held (``letters``)."""
    _require_handler(acting_user, case)
    with transaction.atomic():
        case = _lock(case)
        target = _check_step(case, "consultation_start")
        _consultation_check(case, kind, party, sent_date)
        draft = letters.document_draft(
            case,
            CaseDocument.Kind.CONSULTATION_LETTER,
            _("政府信息公开征求意见书"),
            _consultation_letter(case),
            sent_date,
            addressee=party.strip(),
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
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
        letters.document_store(case, doc)
    return consultation


def _consultation_check(case: Case, kind: str, party: str, sent_date: date) -> None:
    if kind not in Consultation.Kind.values:
        raise CaseError({"kind": _("请选择征求对象类型")})
    if not party.strip():
        raise CaseError({"party": _("请填写征求意见的对象")})
    _not_before_receipt(case, sent_date, _("征求意见"))
    last_supplement = case.events.filter(type=E.SUPPLEMENT_RECEIVED).order_by("-date").first()
    if last_supplement and sent_date < last_supplement.date:
        raise CaseError(_("征求意见的日期不能早于收到补正的日期"))


def _consultation_letter(case: Case) -> list[str]:
    return [
        _(
            "本机关于%(d)s收到一项政府信息公开申请，申请公开的信息可能涉及贵方合法权益"
            "（或由贵方共同制作）。请自收到本征求意见书之日起15个工作日内提出意见；"
            "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。"
        )
        % {"d": documents.chinese_date(_received(case))},
        _("申请公开的信息：%(info)s") % {"info": case.requested_info},
    ]


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
