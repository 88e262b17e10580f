"""Internal targets (内部目标): an organisation's own 办理时限 beside the statutory deadline, and
the 疑难办件 mark of a case that chooses the longer one."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.selectors import user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .. import deadlines
from ..models import OPEN_STATUSES, Case, InternalTarget
from .base import CaseError, _lock, _require_handler
from .clock import _save


def _check_days(normal_days: int, difficult_days: int) -> None:
    errors = {}
    limit = deadlines.BASE_REPLY_DAYS
    for field, value in (("normal_days", normal_days), ("difficult_days", difficult_days)):
        if not 1 <= value <= limit:
            errors[field] = _("内部目标应为1至%(n)d个工作日（不得长于法定期限）") % {"n": limit}
    if not errors and difficult_days < normal_days:
        errors["difficult_days"] = _("疑难办件的目标不应短于一般办件")
    if errors:
        raise CaseError(errors)


@transaction.atomic
def internal_target_set(
    *,
    organisation: Organisation,
    normal_days: int | None,
    difficult_days: int | None = None,
    acting_user: Any,
) -> InternalTarget | None:
    """Set (or, with ``normal_days=None``, remove) the organisation's internal targets and
    recompute them on its open cases. Only the 政务公开管理员 of the organisation (or a
    superuser, in the admin) may."""
    allowed = getattr(acting_user, "is_superuser", False)
    if not (allowed or user_has_role(acting_user, organisation, Role.ADMIN)):
        raise PermissionDenied(_("只有本机关的政务公开管理员可以设置内部目标"))
    target: InternalTarget | None
    if normal_days is None:
        InternalTarget.objects.filter(organisation=organisation).delete()
        target = None
        detail: dict[str, Any] = {"internal_target": None}
    else:
        difficult = difficult_days if difficult_days is not None else normal_days
        _check_days(normal_days, difficult)
        target, _created = InternalTarget.objects.update_or_create(
            organisation=organisation,
            defaults={"normal_days": normal_days, "difficult_days": difficult},
        )
        detail = {"internal_target": {"normal": normal_days, "difficult": difficult}}
    for case in Case.objects.select_for_update().filter(
        organisation=organisation, status__in=OPEN_STATUSES
    ):
        _save(case)
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=target,
        target_label=str(organisation),
        organisation=organisation,
        detail=detail,
    )
    return target


@transaction.atomic
def case_mark_difficult(*, case: Case, difficult: bool, acting_user: Any) -> Case:
    """Mark a case 疑难办件 (or back to 一般): its internal target follows; the statutory
    deadline does not move."""
    _require_handler(acting_user, case)
    case = _lock(case)
    if not case.is_open:
        raise CaseError(_("已办结的申请不能再更改疑难标记"))
    if case.difficult == difficult:
        return case
    case.difficult = difficult
    _save(case)
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=case,
        detail={"difficult": difficult},
    )
    return case
