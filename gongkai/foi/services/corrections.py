"""更正 of government information about the applicant (条例第四十一条)."""

import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, User
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from ..models import (
    Channel,
    CorrectionRequest,
)
from .base import CaseError, _mail, _not_future, _require_handler, _today

CORRECTION_FIELDS = (
    "applicant_name",
    "id_number",
    "phone",
    "email",
    "record",
    "correction",
    "evidence",
)


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
