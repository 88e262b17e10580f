"""分办: a handler (and unit) of the organisation takes the case."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import InternalUnit, Role, User
from gongkai.accounts.selectors import user_has_role

from ..models import (
    Case,
    CaseEvent,
    Status,
)
from .base import CaseError, _check_step, _event, _lock, _require_handler, _today
from .clock import _save

E = CaseEvent.Type


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
