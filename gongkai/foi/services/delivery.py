"""送达 and 归档 (条例第四十条、第四十五条)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.core.status import ContentStatus

from ..models import (
    Case,
    CaseEvent,
    DeliveryMethod,
)
from .base import (
    CaseError,
    _check_step,
    _event,
    _lock,
    _mail,
    _not_before_receipt,
    _not_future,
    _require_handler,
    _today,
)
from .replies import current_reply

E = CaseEvent.Type


@transaction.atomic
def case_deliver(*, case: Case, method: str, on: date, acting_user: User) -> Case:
    """Record delivery of the reviewed reply; the case is answered (办结) on that day."""
    _require_handler(acting_user, case)
    case = _lock(case)
    target = _check_step(case, "deliver")
    if method not in DeliveryMethod.values:
        raise CaseError({"method": _("请选择送达方式")})
    doc = current_reply(case)
    if doc is None or doc.review_status != ContentStatus.APPROVED or not doc.reviewed:
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
