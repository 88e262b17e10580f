"""Records about a case outside its workflow: 行政复议/诉讼, audited views of personal data and
the query code."""

from datetime import date

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from ..models import (
    Case,
)
from .base import CaseError, _require_handler


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
    from ..models import AdminReview

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
