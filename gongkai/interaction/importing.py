"""History import of messages (``gongkai import_messages FILE.csv``).

Columns: reference,org_code,channel,category,received,title,content,replied,reply; ``received``
and ``replied`` as ``YYYY-MM-DD HH:MM`` in China time; ``replied`` and ``reply`` empty for an
open message (a reply time without text is accepted: a reply given by telephone, say; a text
without a time is refused, its date would be unknown). All or nothing: every bad line is
reported with its number, then nothing is written. An imported message carries no personal
data and is not public; a replied one is 已办结 with its reply date, an open one 已登记 with its
due date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.imports import ImportRejected, LineError
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.signals import rows_written_send

from . import deadlines
from .models import Category, Channel, Message, MessageEvent, Publication, Status
from .selectors import limits_for

COLUMNS = (
    "reference",
    "org_code",
    "channel",
    "category",
    "received",
    "title",
    "content",
    "replied",
    "reply",
)
CHINA = ZoneInfo("Asia/Shanghai")
BATCH = 2000
FORMAT = "%Y-%m-%d %H:%M"


@dataclass
class _Checks:
    now: datetime
    orgs: dict[str, Organisation]
    existing: set[str]
    seen: dict[str, int] = field(default_factory=dict)


def _parse_time(value: str, what: str, problems: list[str]) -> datetime | None:
    try:
        return datetime.strptime(value, FORMAT).replace(tzinfo=CHINA)
    except ValueError:
        problems.append(
            _("%(what)s“%(v)s”不是有效时间（格式 YYYY-MM-DD HH:MM，北京时间）")
            % {"what": what, "v": value}
        )
        return None


def _check_reference(line: int, ref: str, checks: _Checks, problems: list[str]) -> None:
    if not ref:
        problems.append(_("留言编号（reference）不能为空"))
    elif len(ref) > 64:
        problems.append(_("留言编号“%(r)s”超过64个字符") % {"r": ref})
    elif ref in checks.seen:
        problems.append(_("留言编号“%(r)s”与第%(n)d行重复") % {"r": ref, "n": checks.seen[ref]})
    elif ref in checks.existing:
        problems.append(_("留言编号“%(r)s”已存在于系统中") % {"r": ref})
    if ref and ref not in checks.seen:
        checks.seen[ref] = line


def _check_codes(r: dict[str, str], problems: list[str]) -> None:
    if r["channel"] not in Channel.values:
        problems.append(
            _("渠道“%(v)s”无效，应为 %(ok)s") % {"v": r["channel"], "ok": "、".join(Channel.values)}
        )
    if r["category"] not in Category.values:
        problems.append(
            _("类别“%(v)s”无效，应为 %(ok)s")
            % {"v": r["category"], "ok": "、".join(Category.values)}
        )


def _check_texts(r: dict[str, str], problems: list[str]) -> None:
    if not r["title"]:
        problems.append(_("标题（title）不能为空"))
    elif len(r["title"]) > 200:
        problems.append(_("标题超过200个字符"))
    if not r["content"]:
        problems.append(_("留言内容（content）不能为空"))


def _received(value: str, checks: _Checks, problems: list[str]) -> datetime | None:
    if not value:
        problems.append(_("收到时间（received）不能为空"))
        return None
    received = _parse_time(value, _("收到时间"), problems)
    if received and received > checks.now:
        problems.append(_("收到时间%(d)s晚于现在") % {"d": value})
    return received


def _replied(
    r: dict[str, str], received: datetime | None, checks: _Checks, problems: list[str]
) -> datetime | None:
    value = r["replied"]
    if not value:
        if r["reply"]:
            problems.append(_("已填写答复内容（reply），但缺少答复时间（replied）"))
        return None
    replied = _parse_time(value, _("答复时间"), problems)
    if replied is None:
        return None
    if received is not None and replied < received:
        problems.append(_("答复时间%(a)s早于收到时间%(b)s") % {"a": value, "b": r["received"]})
    if replied > checks.now:
        problems.append(_("答复时间%(d)s晚于现在") % {"d": value})
    return replied


def _parse_record(
    line: int, r: dict[str, str], checks: _Checks, problems: list[str]
) -> dict[str, Any]:
    """The message fields of one line; problems in the order of the columns."""
    _check_reference(line, r["reference"], checks, problems)
    org = checks.orgs.get(r["org_code"])
    if org is None:
        problems.append(_("机构代码“%(c)s”不存在") % {"c": r["org_code"]})
    _check_codes(r, problems)
    received = _received(r["received"], checks, problems)
    _check_texts(r, problems)
    replied = _replied(r, received, checks, problems)
    return {
        "reference": r["reference"],
        "organisation": org,
        "channel": r["channel"],
        "category": r["category"],
        "received_at": received,
        "title": r["title"],
        "content": r["content"],
        "replied_at": replied,
        "reply": r["reply"],
    }


def _validate(
    records: list[tuple[int, dict[str, str]]],
) -> tuple[list[tuple[int, dict[str, Any]]], list[LineError]]:
    refs = [r.get("reference", "") for _line, r in records]
    existing: set[str] = set()
    for i in range(0, len(refs), 900):
        existing |= set(
            Message.objects.filter(reference__in=refs[i : i + 900]).values_list(
                "reference", flat=True
            )
        )
    checks = _Checks(
        now=timezone.now(),
        orgs={o.code: o for o in Organisation.objects.all()},
        existing=existing,
    )
    valid: list[tuple[int, dict[str, Any]]] = []
    errors: list[LineError] = []
    for line, r in records:
        problems: list[str] = []
        fields = _parse_record(line, r, checks, problems)
        if problems:
            errors.append(LineError(line, "；".join(problems)))
        else:
            valid.append((line, fields))
    return valid, errors


def messages_import(
    *,
    records: list[tuple[int, dict[str, str]]],
    acting_user: Any = None,
    dry_run: bool = False,
    source: str = "",
) -> int:
    """Validate every record, then create the messages in bulk; returns the number imported."""
    valid, errors = _validate(records)
    if not records:
        errors.append(LineError(0, _("文件中没有数据行")))
    if errors:
        raise ImportRejected(errors)
    if not dry_run:
        _insert(valid, acting_user=acting_user, source=source)
    return len(valid)


class _Deadlines:
    """Due dates per (organisation, channel, date received), computed once each."""

    def __init__(self) -> None:
        from gongkai.workdays.selectors import load_calendar

        self.calendar = load_calendar()
        self.limits: dict[tuple[int, str], deadlines.Limits] = {}
        self.cache: dict[tuple[int, str, date], tuple] = {}

    def apply(self, message: Message) -> None:
        from gongkai.workdays.calendar import CalendarMissing

        key = (message.organisation_id, message.channel, message.received_date)
        if key not in self.cache:
            lk = key[:2]
            if lk not in self.limits:
                self.limits[lk] = limits_for(*lk)
            try:
                r = deadlines.compute_message_deadline(key[2], self.limits[lk], self.calendar)
                self.cache[key] = (
                    r.due,
                    r.resolution_due,
                    r.calendar_version,
                    "\n".join(r.explanation),
                )
            except CalendarMissing as exc:
                self.cache[key] = (None, None, "", str(exc))
        (
            message.due_date,
            message.resolution_due_date,
            message.calendar_version,
            message.deadline_note,
        ) = self.cache[key]
        message.clock_start = message.received_date
        message.three_months_date = deadlines.three_months_after(message.received_date)


def _message(fields: dict[str, Any], due: _Deadlines) -> Message:
    received = fields["received_at"]
    replied = fields["replied_at"]
    message = Message(
        reference=fields["reference"],
        organisation=fields["organisation"],
        channel=fields["channel"],
        category=fields["category"],
        received_at=received,
        received_date=received.astimezone(CHINA).date(),
        title=fields["title"],
        content=fields["content"],
        reply=fields["reply"],
        replied_at=replied,
        replied_date=replied.astimezone(CHINA).date() if replied else None,
        status=Status.CLOSED if replied else Status.REGISTERED,
        closed_date=replied.astimezone(CHINA).date() if replied else None,
        publication=Publication.PRIVATE,
        imported=True,
    )
    due.apply(message)
    return message


def _insert(valid: list[tuple[int, dict[str, Any]]], *, acting_user: Any, source: str) -> None:
    """Bulk-write the messages and their 历史导入 events in one transaction, one audit row."""
    due = _Deadlines()
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    with transaction.atomic():
        for start in range(0, len(valid), BATCH):
            chunk = valid[start : start + BATCH]
            messages = Message.objects.bulk_create([_message(f, due) for _line, f in chunk])
            ids = dict(
                Message.objects.filter(reference__in=[m.reference for m in messages]).values_list(
                    "reference", "id"
                )
            )
            events = MessageEvent.objects.bulk_create(
                [
                    MessageEvent(
                        message_id=ids[m.reference],
                        type=MessageEvent.Type.IMPORTED,
                        date=m.received_date,
                        actor=actor,
                        note=_("历史导入：%(s)s第%(n)d行") % {"s": source or "CSV", "n": line},
                    )
                    for (line, _f), m in zip(chunk, messages, strict=True)
                ]
            )
            rows_written_send(Message, list(ids.values()))
            rows_written_send(MessageEvent, events)
        audit_record(
            action=AuditEntry.Action.IMPORT,
            acting_user=acting_user,
            target_label=_("留言历史数据导入"),
            detail={"source": source, "count": len(valid)},
        )
