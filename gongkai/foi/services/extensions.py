"""延期答复 (条例第三十三条第二款)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role, User
from gongkai.accounts.selectors import user_has_role

from .. import deadlines, documents
from ..models import (
    Case,
    CaseDocument,
    CaseEvent,
)
from . import letters
from .base import (
    CaseError,
    _check_step,
    _event,
    _lock,
    _mail,
    _not_before_receipt,
    _received,
    _require_handler,
)
from .clock import _save, due_with_extension

E = CaseEvent.Type


def case_extend(*, case: Case, days: int, reason: str, on: date, acting_user: User) -> Case:
    """Extension of at most 20 working days in total, approved by the head of the GI work unit
    (第三十三条第二款). The approver is the acting user and must hold the 管理员 role (负责人)
    of the case's organisation; the applicant is told by e-mail and on the status page.
    The notice is rendered with no row lock held (``letters``)."""
    _require_handler(acting_user, case)
    if not user_has_role(acting_user, case.organisation, Role.ADMIN):
        raise PermissionDenied(_("延期答复须经政府信息公开工作机构负责人（本机关管理员）批准"))
    with transaction.atomic():
        case = _lock(case)
        _check_step(case, "extend")
        _extension_check(case, days, reason, on)
        body = _extension_notice(case, days, reason, due_with_extension(case, days))
        draft = letters.document_draft(
            case, CaseDocument.Kind.EXTENSION_NOTICE, _("延期答复告知书"), body, on
        )
    with letters.rendered(case, draft) as doc, transaction.atomic():
        case = letters.relock(case, draft)
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
        letters.document_store(case, doc)
        _mail(
            [case.email],
            _("政府信息公开申请延期答复告知（%(ref)s）") % {"ref": case.reference},
            "\n".join(body),
        )
    return case


def _extension_check(case: Case, days: int, reason: str, on: date) -> None:
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


def _extension_notice(case: Case, days: int, reason: str, due: date | None) -> list[str]:
    return [
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
            "due": documents.chinese_date(due) if due else _("另行告知"),
        }
    ]
