"""Filing and registration (条例第二十九条、第三十一条): online submission, staff registration
and confirmation of receipt."""

import secrets
from datetime import date
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation, User

from ..models import (
    ApplicantType,
    AssistanceKind,
    Case,
    CaseEvent,
    Channel,
    LetterKind,
    ReferenceSequence,
    Status,
)
from .base import CaseError, _check_step, _event, _lock, _not_future, _require_handler
from .clock import _save

E = CaseEvent.Type

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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


def case_submit(
    *, organisation: Organisation, data: dict, acting_user: Any = None
) -> tuple[Case, str]:
    """A public online application (条例第二十九条). Returns the case and its query code.

    The clock does not start yet: 第三十一条 makes the date both sides confirm the date of
    receipt for internet applications, so staff must confirm receipt (`case_confirm_receipt`).
    """
    _validate_application(data)
    # The password hash is slow by design: computed before the write transaction, so the
    # database's write lock (SQLite: the whole file) is not held while it runs.
    code = _new_query_code()
    code_hash = make_password(code)
    with transaction.atomic():
        now = timezone.now()
        case = Case(
            organisation=organisation,
            channel=Channel.ONLINE,
            submitted_at=now,
            status=Status.SUBMITTED,
            query_code_hash=code_hash,
            applicant_user=acting_user
            if getattr(acting_user, "is_authenticated", False)
            and acting_user.kind == User.Kind.PUBLIC
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
