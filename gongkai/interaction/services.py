"""Writes of 政民互动: intake, 分办/转办, 办理, 答复 (through the review chain), 公开, 办结,
满意度 and 重办, merging duplicates and closing abusive messages.

Every step locks the message, checks the transition table, writes a ``MessageEvent`` and an
audit row in the same transaction (as ``foi.services`` does for cases), and queues the signed
webhooks of the platform the message came from (``webhooks``).

Clock rules: the due date counts from the date received (``deadlines``); a 转办 to another
organisation restarts the clock there from the day of the transfer (not counted) and keeps the
date received for the statistics and the three-month rule; 重办 does not change the due date
(the first reply is what the statistics measure).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import InternalUnit, Organisation, Role
from gongkai.accounts.selectors import is_staff_user, user_has_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.status import ContentStatus

from . import deadlines
from .models import (
    OPEN_STATUSES,
    Category,
    Channel,
    DeadlineRule,
    Message,
    MessageEvent,
    Publication,
    ReferenceSequence,
    Satisfaction,
    Status,
)
from .selectors import limits_for

E = MessageEvent.Type
QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TITLE_MAX = 200
CONTENT_MAX = 5000

# Which statuses each step may start from, and where it leads (None: unchanged).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": ((Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS), Status.ASSIGNED),
    "transfer": ((Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS), Status.REGISTERED),
    "start": ((Status.REGISTERED, Status.ASSIGNED), Status.IN_PROGRESS),
    "reply_draft": (
        (Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS),
        Status.IN_PROGRESS,
    ),
    "reply_submit": ((Status.IN_PROGRESS,), Status.REPLY_REVIEW),
    "reply_returned": ((Status.REPLY_REVIEW,), Status.IN_PROGRESS),
    "reply_approved": ((Status.REPLY_REVIEW,), Status.REPLIED),
    "close": ((Status.REPLIED,), Status.CLOSED),
    "feedback": ((Status.REPLIED, Status.CLOSED), None),
    "redo": ((Status.REPLIED, Status.CLOSED), Status.IN_PROGRESS),
    "merge": (OPEN_STATUSES, Status.MERGED),
    "reject": (OPEN_STATUSES, Status.REJECTED),
}

STEP_LABELS = {
    "assign": _("分办"),
    "transfer": _("转办"),
    "start": _("开始办理"),
    "reply_draft": _("拟定答复"),
    "reply_submit": _("提交审核"),
    "reply_returned": _("退回修改"),
    "reply_approved": _("审核通过并答复"),
    "close": _("办结"),
    "feedback": _("满意度评价"),
    "redo": _("重办"),
    "merge": _("合并重复留言"),
    "reject": _("不予受理"),
}


class MessageError(ValidationError):
    """A step refused for a reason the user can fix or must know (Chinese message)."""


# --------------------------------------------------------------------------------------------
# Shared steps
# --------------------------------------------------------------------------------------------


def can_handle(user: Any, organisation: Organisation) -> bool:
    """Message handlers: the organisation's 依申请公开经办人 and 政务公开管理员."""
    return is_staff_user(user) and user_has_role(user, organisation, Role.FOI_HANDLER, Role.ADMIN)


def _require_handler(user: Any, organisation: Organisation) -> None:
    if not can_handle(user, organisation):
        raise PermissionDenied(_("您没有办理该机构留言的权限"))


def _check_step(message: Message, step: str) -> str:
    allowed, target = TRANSITIONS[step]
    if message.status not in allowed:
        raise MessageError(
            _("留言 %(ref)s 当前状态为“%(status)s”，不能执行“%(step)s”")
            % {
                "ref": message.reference,
                "status": Status(message.status).label,
                "step": STEP_LABELS[step],
            }
        )
    return target or message.status


def _lock(message: Message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


def _event(
    message: Message,
    type_: str,
    *,
    acting_user: Any = None,
    note: str = "",
    data: dict | None = None,
    on: date | None = None,
) -> MessageEvent:
    event = MessageEvent.record(
        message=message,
        type_=type_,
        on=on or timezone.localdate(),
        acting_user=acting_user,
        note=note,
        data=data,
    )
    creating = type_ in (E.SUBMITTED, E.RECORDED, E.RECEIVED_API, E.IMPORTED)
    audit_record(
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.TRANSITION,
        acting_user=acting_user,
        target=message,
        target_label=message.reference,
        organisation=message.organisation,
        detail={"event": type_, "status": message.status, **(data or {})},
    )
    from .webhooks import webhook_queue

    webhook_queue(message=message, event=type_)
    return event


def _reason(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise MessageError(_("请填写%(what)s") % {"what": what})
    return value[:500]


def set_deadline(message: Message, *, start: date | None = None) -> None:
    """Due dates from ``start`` (the date received unless a transfer restarted the clock)."""
    from gongkai.workdays.calendar import CalendarMissing
    from gongkai.workdays.selectors import load_calendar

    start = start or message.received_date
    message.clock_start = start
    message.three_months_date = deadlines.three_months_after(message.received_date)
    limits = limits_for(message.organisation_id, message.channel)
    try:
        result = deadlines.compute_message_deadline(start, limits, load_calendar())
    except CalendarMissing as exc:
        message.due_date = message.resolution_due_date = None
        message.calendar_version = ""
        message.deadline_note = str(exc)
        return
    message.due_date = result.due
    message.resolution_due_date = result.resolution_due
    if limits.first_contact_hours and message.received_at is not None:
        # 接诉即办: "接件后2小时内与企业取得联系" — clock hours from receipt (or the transfer).
        base = message.received_at if start == message.received_date else timezone.now()
        message.first_contact_due = base + timedelta(hours=limits.first_contact_hours)
    message.calendar_version = result.calendar_version
    message.deadline_note = "\n".join(result.explanation)


def _allocate_reference(org: Organisation, year: int) -> str:
    seq, _created = ReferenceSequence.objects.get_or_create(organisation=org, year=year)
    seq = ReferenceSequence.objects.select_for_update().get(pk=seq.pk)
    while True:
        seq.last += 1
        reference = f"LY-{year}-{org.pk:02d}-{seq.last:06d}"
        if not Message.objects.filter(reference=reference).exists():
            break
    seq.save(update_fields=["last"])
    return reference


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))


def _validate(data: dict) -> None:
    errors: dict[str, str] = {}
    if data.get("category") not in Category.values:
        errors["category"] = _("请选择留言类别")
    if data.get("channel") not in Channel.values:
        errors["channel"] = _("请选择留言渠道")
    title = (data.get("title") or "").strip()
    content = (data.get("content") or "").strip()
    if not title:
        errors["title"] = _("请填写留言标题")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("留言标题不能超过%(n)d个字") % {"n": TITLE_MAX}
    if not content:
        errors["content"] = _("请填写留言内容")
    elif len(content) > CONTENT_MAX:
        errors["content"] = _("留言内容不能超过%(n)d个字") % {"n": CONTENT_MAX}
    if errors:
        raise MessageError(errors)


def _create(
    *,
    organisation: Organisation,
    data: dict,
    received_at: datetime,
    event: str,
    acting_user: Any,
    code_hash: str,
    integration: Any = None,
) -> Message:
    received_local = timezone.localtime(received_at)
    message = Message(
        reference=data.get("reference") or _allocate_reference(organisation, received_local.year),
        query_code_hash=code_hash,
        organisation=organisation,
        channel=data["channel"],
        category=data["category"],
        received_at=received_at,
        received_date=received_local.date(),
        title=data["title"].strip(),
        content=data["content"].strip(),
        user=data.get("user"),
        wants_public=bool(data.get("wants_public")),
        integration=integration,
        work_order_id=data.get("work_order_id", "") or "",
    )
    message.publication = Publication.PENDING if message.wants_public else Publication.PRIVATE
    message.name = (data.get("name") or "").strip()
    message.phone = (data.get("phone") or "").strip()
    message.email = (data.get("email") or "").strip()
    set_deadline(message)
    message.save()
    _event(
        message,
        event,
        acting_user=acting_user,
        on=message.received_date,
        data={"channel": message.channel, "category": message.category},
    )
    return message


# --------------------------------------------------------------------------------------------
# Intake
# --------------------------------------------------------------------------------------------


def message_submit(
    *,
    organisation: Organisation,
    data: dict,
    acting_user: Any = None,
    attachments: list | None = None,
) -> tuple[Message, str]:
    """A message filed by the public on the portal: registered at once, the clock starts on the
    day of receipt. ``attachments`` are ``attachments.CheckedFile`` values, stored with it or
    not at all. Returns the message and its query code (shown once)."""
    from .attachments import MAX_FILES, attachments_store

    data = {**data, "channel": data.get("channel") or Channel.WEBSITE}
    _validate(data)
    files = list(attachments or [])
    if len(files) > MAX_FILES:
        raise MessageError({"attachments": _("最多上传%(n)d个附件") % {"n": MAX_FILES}})
    if getattr(acting_user, "is_authenticated", False):
        data["user"] = acting_user
    code = new_query_code()
    code_hash = make_password(code)
    stored: list = []
    try:
        with transaction.atomic():
            message = _create(
                organisation=organisation,
                data=data,
                received_at=timezone.now(),
                event=E.SUBMITTED,
                acting_user=acting_user,
                code_hash=code_hash,
            )
            attachments_store(message=message, files=files, acting_user=acting_user, stored=stored)
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return message, code


def message_record(
    *,
    organisation: Organisation,
    data: dict,
    received_at: datetime,
    acting_user: Any,
) -> tuple[Message, str]:
    """Staff register a message that came by letter, hotline or another channel (登记)."""
    _require_handler(acting_user, organisation)
    _validate(data)
    if received_at > timezone.now():
        raise MessageError(_("收到时间不能晚于现在"))
    code = new_query_code()
    with transaction.atomic():
        message = _create(
            organisation=organisation,
            data=data,
            received_at=received_at,
            event=E.RECORDED,
            acting_user=acting_user,
            code_hash=make_password(code),
        )
    return message, code


def message_receive_work_order(
    *, integration: Any, data: dict, received_at: datetime | None = None
) -> tuple[Message, bool]:
    """A work order dispatched by a 12345 / 接诉即办 platform. Idempotent by the platform's
    work-order id: the same id returns the message already created (``created`` False)."""
    work_order_id = (data.get("work_order_id") or "").strip()
    if not work_order_id:
        raise MessageError({"work_order_id": _("缺少工单号")})
    data = {**data, "work_order_id": work_order_id}
    data["channel"] = data.get("channel") or integration.channel
    _validate(data)
    existing = Message.objects.filter(integration=integration, work_order_id=work_order_id)
    try:
        with transaction.atomic():
            if existing.exists():
                return existing.get(), False
            message = _create(
                organisation=data.get("organisation") or integration.organisation,
                data=data,
                received_at=received_at or timezone.now(),
                event=E.RECEIVED_API,
                acting_user=None,
                code_hash="",
                integration=integration,
            )
    except IntegrityError:
        # The same work order sent twice at once: the unique constraint lets one through.
        found = existing.first()
        if found is None:
            raise
        return found, False
    return message, True


def message_by_query(reference: str, code: str) -> Message | None:
    """The message a member of the public may follow with its reference and query code."""
    message = Message.objects.filter(reference=(reference or "").strip()).first()
    if message is None or not message.query_code_hash:
        make_password(code or "")  # same time whether or not the reference exists
        return None
    if not check_password((code or "").strip().upper(), message.query_code_hash):
        return None
    return message


# --------------------------------------------------------------------------------------------
# Handling
# --------------------------------------------------------------------------------------------


def message_assign(
    *,
    message: Message,
    acting_user: Any,
    unit: InternalUnit | None = None,
    handler: Any = None,
) -> Message:
    """分办: to a department (承办科室) and/or a handler of the same organisation."""
    _require_handler(acting_user, message.organisation)
    if unit is not None and unit.organisation_id != message.organisation_id:
        raise MessageError(_("承办科室不属于该留言的办理机构"))
    with transaction.atomic():
        message = _lock(message)
        message.status = _check_step(message, "assign")
        message.handling_unit = unit
        message.handler = handler
        message.save()
        _event(
            message,
            E.ASSIGNED,
            acting_user=acting_user,
            note=unit.name if unit else "",
            data={"unit": unit.pk if unit else None, "handler": getattr(handler, "pk", None)},
        )
    return message


def message_transfer(
    *, message: Message, to_organisation: Organisation, reason: str, acting_user: Any
) -> Message:
    """转办 to another organisation: the clock restarts there (module docstring)."""
    _require_handler(acting_user, message.organisation)
    reason = _reason(reason, _("转办理由"))
    if to_organisation.pk == message.organisation_id:
        raise MessageError(_("不能转办给本机构"))
    with transaction.atomic():
        message = _lock(message)
        message.status = _check_step(message, "transfer")
        source = message.organisation
        message.organisation = to_organisation
        message.handling_unit = None
        message.handler = None
        set_deadline(message, start=timezone.localdate())
        message.save()
        _event(
            message,
            E.TRANSFERRED,
            acting_user=acting_user,
            note=_("由%(a)s转办至%(b)s：%(r)s")
            % {"a": source.name, "b": to_organisation.name, "r": reason},
            data={
                "from": source.code,
                "to": to_organisation.code,
                "due": message.due_date.isoformat() if message.due_date else None,
            },
        )
    return message


def message_start(*, message: Message, acting_user: Any) -> Message:
    _require_handler(acting_user, message.organisation)
    with transaction.atomic():
        message = _lock(message)
        message.status = _check_step(message, "start")
        message.save()
        _event(message, E.STARTED, acting_user=acting_user)
    return message


def message_contact(
    *, message: Message, acting_user: Any, at: datetime | None = None, note: str = ""
) -> Message:
    """First contact with the person (接诉即办: within hours of receipt); the event says whether
    it was within the limit."""
    _require_handler(acting_user, message.organisation)
    at = at or timezone.now()
    with transaction.atomic():
        message = _lock(message)
        if not message.is_open:
            raise MessageError(_("留言已办结，无需登记联系"))
        if at < message.received_at or at > timezone.now():
            raise MessageError(_("联系时间应在收到留言之后、现在之前"))
        if message.first_contact_at is None:
            message.first_contact_at = at
            message.save()
        on_time = message.first_contact_due is None or at <= message.first_contact_due
        _event(
            message,
            E.CONTACTED,
            acting_user=acting_user,
            note=(note or "").strip()[:500],
            data={"at": timezone.localtime(at).isoformat(), "on_time": on_time},
            on=timezone.localtime(at).date(),
        )
    return message


def message_reply_draft(*, message: Message, text: str, acting_user: Any) -> Message:
    """拟定答复: the handler writes (or rewrites after a return) the reply."""
    _require_handler(acting_user, message.organisation)
    text = _reason(text, _("答复内容"))
    with transaction.atomic():
        message = _lock(message)
        if message.reply_review in (ContentStatus.IN_REVIEW, ContentStatus.APPROVED):
            raise MessageError(_("答复已在审核中或已通过，不能修改"))
        message.status = _check_step(message, "reply_draft")
        message.reply = text[:CONTENT_MAX]
        message.reply_author = acting_user
        message.reply_review = ContentStatus.DRAFT
        message.save()
        _event(message, E.REPLY_DRAFTED, acting_user=acting_user)
    return message


def message_reply_submit(*, message: Message, acting_user: Any, override_reason: str = "") -> Any:
    """Send the drafted reply to the organisation's review chain (留言答复, 错敏词 and privacy
    checks). The chain's final approval answers the person (``reply_record``)."""
    from gongkai.review.chain_services import review_submit

    _require_handler(acting_user, message.organisation)
    message.refresh_from_db()
    if message.status != Status.IN_PROGRESS or not message.reply:
        raise MessageError(_("请先拟定答复再提交审核"))
    return review_submit(content=message, acting_user=acting_user, override_reason=override_reason)


def reply_submit_problem(message: Message) -> str:
    if message.status not in (Status.IN_PROGRESS, Status.REPLY_REVIEW) or not message.reply:
        return _("留言 %(ref)s 没有待审核的答复") % {"ref": message.reference}
    return ""


def reply_record(
    *, message: Message, step: str, acting_user: Any, note: str = "", data: dict | None = None
) -> None:
    """The review chain's hooks (``content.MessageReplyAdapter``), inside its transaction."""
    if step == "submitted":
        message.status = _check_step(message, "reply_submit")
        message.save(update_fields=["status", "updated_at"])
        _event(message, E.REPLY_SUBMITTED, acting_user=acting_user, note=note, data=data)
    elif step == "returned":
        message.status = _check_step(message, "reply_returned")
        message.save(update_fields=["status", "updated_at"])
        _event(message, E.REPLY_RETURNED, acting_user=acting_user, note=note, data=data)
    elif step == "approved":
        _event(message, E.REPLY_APPROVED, acting_user=acting_user, note=note, data=data)
        _answer(message, acting_user=acting_user)


def _answer(message: Message, *, acting_user: Any) -> None:
    """The approved reply reaches the person; published if they agreed and staff did not
    refuse. The first reply's date is the one the statistics count."""
    message.status = _check_step(message, "reply_approved")
    now = timezone.now()
    if message.replied_at is None:
        message.replied_at = now
        message.replied_date = timezone.localtime(now).date()
    publish = message.wants_public and message.publication == Publication.PENDING
    held = publication_problems(message) if publish else []
    if publish and not held:
        message.publication = Publication.PUBLIC
    message.save()
    _event(message, E.REPLIED, acting_user=acting_user)
    if publish and not held:
        _event(message, E.PUBLISHED, acting_user=acting_user)
    elif held:
        audit_record(
            action=AuditEntry.Action.TRANSITION,
            acting_user=acting_user,
            target=message,
            target_label=message.reference,
            organisation=message.organisation,
            detail={"publication_held": held},
        )


def message_refuse_publication(*, message: Message, reason: str, acting_user: Any) -> Message:
    """Staff refuse (or withdraw) publication of a message the person agreed to publish."""
    _require_handler(acting_user, message.organisation)
    reason = _reason(reason, _("不予公开的理由"))
    with transaction.atomic():
        message = _lock(message)
        if not message.wants_public:
            raise MessageError(_("留言人未同意公开，无需处理"))
        message.publication = Publication.REFUSED
        message.publication_note = reason[:300]
        message.save()
        _event(message, E.PUBLICATION_REFUSED, acting_user=acting_user, note=reason)
    return message


def message_close(*, message: Message, acting_user: Any) -> Message:
    """办结 after the reply."""
    _require_handler(acting_user, message.organisation)
    with transaction.atomic():
        message = _lock(message)
        message.status = _check_step(message, "close")
        message.closed_date = timezone.localdate()
        message.save()
        _event(message, E.CLOSED, acting_user=acting_user)
    return message


def message_feedback(*, message: Message, satisfaction: str, note: str = "") -> Message:
    """满意度 from the person (through the status page with the query code)."""
    if satisfaction not in Satisfaction.values:
        raise MessageError({"satisfaction": _("请选择满意度")})
    with transaction.atomic():
        message = _lock(message)
        _check_step(message, "feedback")
        message.satisfaction = satisfaction
        message.satisfaction_note = (note or "").strip()[:500]
        message.save()
        _event(
            message,
            E.FEEDBACK,
            note=str(Satisfaction(satisfaction).label),
            data={"satisfaction": satisfaction},
        )
    return message


def message_redo(*, message: Message, reason: str, acting_user: Any) -> Message:
    """重办: the person was not satisfied; the message goes back to 办理中 for a new reply."""
    _require_handler(acting_user, message.organisation)
    reason = _reason(reason, _("重办理由"))
    with transaction.atomic():
        message = _lock(message)
        message.status = _check_step(message, "redo")
        message.redo_count += 1
        message.reply_review = ContentStatus.DRAFT
        message.closed_date = None
        message.save()
        _event(message, E.REDO, acting_user=acting_user, note=reason)
    return message


def message_merge(
    *, duplicate: Message, original: Message, reason: str, acting_user: Any
) -> Message:
    """A duplicate is merged into its original and no longer counted on its own."""
    _require_handler(acting_user, duplicate.organisation)
    reason = _reason(reason, _("合并理由"))
    if duplicate.pk == original.pk or original.status == Status.MERGED:
        raise MessageError(_("只能合并到另一条未被合并的留言"))
    with transaction.atomic():
        duplicate = _lock(duplicate)
        duplicate.status = _check_step(duplicate, "merge")
        duplicate.merged_into = original
        duplicate.close_reason = reason
        duplicate.closed_date = timezone.localdate()
        duplicate.save()
        _event(
            duplicate,
            E.MERGED,
            acting_user=acting_user,
            note=reason,
            data={"into": original.reference},
        )
    return duplicate


def message_reject(*, message: Message, reason: str, acting_user: Any) -> Message:
    """Close an abusive or meaningless message with a reason (不予受理)."""
    _require_handler(acting_user, message.organisation)
    reason = _reason(reason, _("不予受理理由"))
    with transaction.atomic():
        message = _lock(message)
        message.status = _check_step(message, "reject")
        message.close_reason = reason
        message.closed_date = timezone.localdate()
        if message.publication == Publication.PENDING:
            message.publication = Publication.REFUSED
            message.publication_note = reason[:300]
        message.save()
        _event(message, E.REJECTED, acting_user=acting_user, note=reason)
    return message


# --------------------------------------------------------------------------------------------
# Publication
# --------------------------------------------------------------------------------------------


def mask_personal_text(text: str) -> str:
    """Published text with personal data masked by the platform's one privacy rule set
    (``checks.text``: ID numbers, mobile numbers, e-mail addresses, bank cards …)."""
    from gongkai.checks.text import mask, privacy_findings

    return mask(text, privacy_findings(text))


def publication_problems(message: Message) -> list[str]:
    """错敏词 in the person's title or text that keep the message off the portal until staff
    have looked (blocking dictionary entries; personal data is masked, not blocking)."""
    from gongkai.checks.selectors import current_checker

    words = current_checker().words
    found = [*words.findings(message.title), *words.findings(message.content)]
    return sorted({f.match for f in found if f.blocking})


def message_publish(*, message: Message, acting_user: Any) -> Message:
    """Staff publish a replied message the person agreed to publish once its screening
    findings are resolved (the text is masked on the page, never rewritten)."""
    _require_handler(acting_user, message.organisation)
    with transaction.atomic():
        message = _lock(message)
        if not message.wants_public or message.publication != Publication.PENDING:
            raise MessageError(_("只能公开留言人同意公开、尚未公开的留言"))
        if message.replied_at is None:
            raise MessageError(_("留言答复后才能公开"))
        problems = publication_problems(message)
        if problems:
            raise MessageError(
                _("留言含错敏词“%(w)s”，不能公开；可选择不予公开并说明理由")
                % {"w": "、".join(problems)}
            )
        message.publication = Publication.PUBLIC
        message.save()
        _event(message, E.PUBLISHED, acting_user=acting_user)
    return message


def message_promote_to_qa(*, message: Message, acting_user: Any) -> Any:
    """常见问题: a good public reply becomes a draft 政策问答 entry of the organisation (masked
    question and answer); editors review and publish it through the 政策问答 chain."""
    from gongkai.policies.services import qa_create

    if not message.is_public or not message.reply:
        raise MessageError(_("只有已公开并已答复的留言可以转入政策问答"))
    with transaction.atomic():
        entry = qa_create(
            organisation=message.organisation,
            question=mask_personal_text(message.title)[:500],
            answer=mask_personal_text(message.reply),
            acting_user=acting_user,
        )
        _event(
            message,
            E.PROMOTED,
            acting_user=acting_user,
            data={"qa": entry.pk},
        )
    return entry


# --------------------------------------------------------------------------------------------
# Integrations (12345 / 接诉即办)
# --------------------------------------------------------------------------------------------


def integration_issue(
    *,
    name: str,
    organisation: Organisation,
    acting_user: Any,
    channel: str = Channel.HOTLINE_12345,
    webhook_url: str = "",
) -> tuple[Any, str, str]:
    """Create an integration; returns it with its bearer token and webhook secret, shown once
    (only a hash of the token and the encrypted secret are stored)."""
    import hashlib

    from .models import Integration

    if not (is_staff_user(acting_user) and user_has_role(acting_user, organisation, Role.ADMIN)):
        raise PermissionDenied(_("只有政务公开管理员可以签发平台对接令牌"))
    if channel not in Channel.values:
        raise MessageError({"channel": _("请选择渠道")})
    prefix = secrets.token_hex(4)
    token = f"gk_{prefix}_{secrets.token_urlsafe(32).replace('_', '-')}"
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        integration = Integration(
            name=_reason(name, _("平台名称"))[:120],
            organisation=organisation,
            channel=channel,
            token_prefix=prefix,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            webhook_url=webhook_url,
        )
        integration.secret = secret
        integration.save()
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=integration,
            target_label=integration.name,
            organisation=organisation,
            detail={"integration": integration.pk, "token_prefix": prefix},
        )
    return integration, token, secret


def integration_revoke(*, integration: Any, acting_user: Any) -> Any:
    if not (
        is_staff_user(acting_user)
        and user_has_role(acting_user, integration.organisation, Role.ADMIN)
    ):
        raise PermissionDenied(_("只有政务公开管理员可以停用平台对接"))
    with transaction.atomic():
        integration.is_active = False
        integration.save(update_fields=["is_active"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=acting_user,
            target=integration,
            target_label=integration.name,
            organisation=integration.organisation,
            detail={"is_active": False},
        )
    return integration


# --------------------------------------------------------------------------------------------
# 留言答复时限: an organisation's own limits per channel (DeadlineRule)
# --------------------------------------------------------------------------------------------

# Upper bounds keep the working-day arithmetic within the calendar years the platform knows and
# catch typing slips (the longest default is 接诉即办's 15 working days to the resolution).
MAX_RULE_WORKDAYS = 60
MAX_FIRST_CONTACT_HOURS = 72


def _rule_problems(reply: Any, resolution: Any, first_contact: Any) -> dict[str, str]:
    problems: dict[str, str] = {}
    if reply is None:
        problems["reply_workdays"] = _("请填写答复时限（工作日）")
    elif not 1 <= reply <= MAX_RULE_WORKDAYS:
        problems["reply_workdays"] = _("答复时限须为1至%(n)d个工作日") % {"n": MAX_RULE_WORKDAYS}
    if resolution is not None:
        if not 1 <= resolution <= MAX_RULE_WORKDAYS:
            problems["resolution_workdays"] = _("办结时限须为1至%(n)d个工作日") % {
                "n": MAX_RULE_WORKDAYS
            }
        elif reply is not None and resolution < reply:
            problems["resolution_workdays"] = _(
                "办结时限（%(r)d个工作日）不能短于答复时限（%(a)d个工作日）"
            ) % {"r": resolution, "a": reply}
    if first_contact is not None and not 1 <= first_contact <= MAX_FIRST_CONTACT_HOURS:
        problems["first_contact_hours"] = _("首次联系时限须为1至%(n)d小时") % {
            "n": MAX_FIRST_CONTACT_HOURS
        }
    return problems


def _require_org_admin(acting_user: Any, organisation: Organisation) -> None:
    from gongkai.accounts.permissions import can_administer_organisation

    if not can_administer_organisation(acting_user, organisation):
        raise PermissionDenied(
            _("只有“%(o)s”的政务公开管理员可以设置其留言答复时限") % {"o": organisation.name}
        )


@transaction.atomic
def deadline_rule_set(
    *,
    organisation: Organisation,
    channel: str,
    reply_workdays: int | None,
    resolution_workdays: int | None = None,
    first_contact_hours: int | None = None,
    acting_user: Any,
) -> DeadlineRule:
    """Set ``organisation``'s own 承诺时限 for ``channel`` (it replaces the default of
    ``deadlines``). Messages already received keep the due dates they were given: a limit
    applies from the next message (or transfer) on."""
    _require_org_admin(acting_user, organisation)
    if channel not in Channel.values:
        raise MessageError({"channel": _("未知的渠道“%(c)s”") % {"c": str(channel)[:20]}})
    problems = _rule_problems(reply_workdays, resolution_workdays, first_contact_hours)
    if problems:
        raise MessageError(problems)
    rule = (
        DeadlineRule.objects.select_for_update()
        .filter(organisation=organisation, channel=channel)
        .first()
    )
    created = rule is None
    if rule is None:
        rule = DeadlineRule(organisation=organisation, channel=channel)
    values = {
        "reply_workdays": reply_workdays,
        "resolution_workdays": resolution_workdays,
        "first_contact_hours": first_contact_hours,
    }
    changes = {
        name: {"old": None if created else getattr(rule, name), "new": value}
        for name, value in values.items()
        if created or getattr(rule, name) != value
    }
    if not changes:
        return rule
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=rule,
        target_label=_("%(o)s %(c)s留言答复时限")
        % {"o": organisation.name, "c": Channel(channel).label},
        organisation=organisation,
        detail={"channel": channel, "changes": changes},
    )
    return rule


@transaction.atomic
def deadline_rule_delete(*, rule: DeadlineRule, acting_user: Any) -> None:
    """Drop an organisation's own limit: the channel's default applies again (to new
    messages)."""
    organisation = rule.organisation
    _require_org_admin(acting_user, organisation)
    label = _("%(o)s %(c)s留言答复时限") % {
        "o": organisation.name,
        "c": Channel(rule.channel).label,
    }
    audit_record(
        action=AuditEntry.Action.DELETE,
        acting_user=acting_user,
        target=rule,
        target_label=label,
        organisation=organisation,
        detail={
            "channel": rule.channel,
            "reply_workdays": rule.reply_workdays,
            "resolution_workdays": rule.resolution_workdays,
            "first_contact_hours": rule.first_contact_hours,
        },
    )
    rule.delete()


# --------------------------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------------------------


def _handler_emails(organisation_id: int) -> list[str]:
    from gongkai.accounts.models import RoleAssignment

    return sorted(
        set(
            RoleAssignment.objects.filter(
                organisation_id=organisation_id,
                role__in=[Role.FOI_HANDLER, Role.ADMIN],
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def message_reminders_send(*, today: date | None = None) -> int:
    """One morning digest per organisation to its handlers: open messages due today or on the
    next working day, and overdue ones. Returns the number of e-mails queued."""
    from django.conf import settings
    from django.core.mail import send_mail

    from gongkai.workdays.selectors import load_calendar

    today = today or timezone.localdate()
    try:
        horizon = load_calendar().add_workdays(today, 1)
    except LookupError:
        horizon = today
    rows: dict[int, list[Message]] = {}
    qs = Message.objects.filter(
        status__in=OPEN_STATUSES, due_date__isnull=False, due_date__lte=horizon
    ).order_by("due_date", "id")
    for message in qs:
        rows.setdefault(message.organisation_id, []).append(message)
    sent = 0
    for organisation_id, messages in rows.items():
        recipients = _handler_emails(organisation_id)
        if not recipients:
            continue
        lines = [
            _("%(ref)s %(title)s：答复期限 %(due)s%(late)s")
            % {
                "ref": m.reference,
                "title": m.title,
                "due": m.due_date.isoformat() if m.due_date else "",
                "late": _("（已超期）") if m.due_date and m.due_date < today else "",
            }
            for m in messages
        ]
        send_mail(
            _("留言答复期限提醒：%(n)d条") % {"n": len(messages)},
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
        sent += 1
    return sent
