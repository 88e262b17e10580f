"""History import of 依申请公开 cases (`gongkai import_applications FILE.csv`).

Columns: reference,org_code,received,channel,applicant_type,outcome,closed. Agencies bring
their past years this way so the annual report (table 三) can count them: an imported case
carries no personal data, is archived when it has an outcome and closing date, and is open
(已登记) otherwise. All or nothing: every bad line is reported, then nothing is written.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Organisation
from gongkai.core.imports import ImportRejected, LineError
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from . import deadlines
from .models import ApplicantType, Case, CaseEvent, Channel, Outcome, Status

COLUMNS = ("reference", "org_code", "received", "channel", "applicant_type", "outcome", "closed")
BATCH = 2000


def _parse_date(value: str, what: str, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            _("%(what)s“%(v)s”不是有效日期（格式 YYYY-MM-DD）") % {"what": what, "v": value}
        )
        return None


def applications_import(
    *,
    records: Iterable[tuple[int, dict[str, str]]],
    acting_user: Any = None,
    dry_run: bool = False,
    source: str = "",
) -> int:
    """Validate every record, then create the cases in bulk; returns the number imported."""
    records = list(records)
    valid, errors = _validate(records)
    if not records:
        errors.append(LineError(0, _("文件中没有数据行")))
    if errors:
        raise ImportRejected(errors)
    if dry_run:
        return len(valid)
    _insert_cases(valid, acting_user=acting_user, source=source)
    return len(valid)


@dataclass
class _Checks:
    """What every line is checked against, read once per import."""

    today: date
    orgs: dict[str, Organisation]
    existing: set[str]
    seen: dict[str, int] = field(default_factory=dict)  # reference → first line


def _validate(
    records: list[tuple[int, dict[str, str]]],
) -> tuple[list[tuple[int, dict[str, Any]]], list[LineError]]:
    """(valid lines with their case fields, one error per bad line)."""
    checks = _Checks(
        today=timezone.localdate(),
        orgs={o.code: o for o in Organisation.objects.all()},
        existing=_existing_references([r.get("reference", "") for _line, r in records]),
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


def _existing_references(refs: list[str]) -> set[str]:
    existing: set[str] = set()
    # Chunks keep the IN list under SQLite's parameter limit.
    for i in range(0, len(refs), 900):
        existing |= set(
            Case.objects.filter(reference__in=refs[i : i + 900]).values_list("reference", flat=True)
        )
    return existing


def _parse_record(
    line: int, r: dict[str, str], checks: _Checks, problems: list[str]
) -> dict[str, Any]:
    """The case fields of one line; every problem found is appended to ``problems`` (in the
    order of the columns, so the message reads like the line)."""
    _check_reference(line, r["reference"], checks, problems)
    org = checks.orgs.get(r["org_code"])
    if org is None:
        problems.append(_("机构代码“%(c)s”不存在") % {"c": r["org_code"]})
    received = _received_date(r["received"], checks.today, problems)
    _check_codes(r, problems)
    outcome = r["outcome"]
    if outcome and outcome not in Outcome.values:
        problems.append(
            _("办理结果“%(v)s”无效，应为年报表格的行号 1、2、3.1…3.8、4.1…4.3、5.1…5.5、6.1…6.3")
            % {"v": outcome}
        )
    closed = _closed_date(r["closed"], received, checks.today, problems)
    if r["closed"] and not outcome:
        problems.append(_("已填写办结日期，但缺少办理结果（outcome）"))
    if outcome and not r["closed"]:
        problems.append(_("已填写办理结果，但缺少办结日期（closed）"))
    return {
        "reference": r["reference"],
        "organisation": org,
        "received_date": received,
        "channel": r["channel"],
        "applicant_type": r["applicant_type"],
        "outcome": outcome,
        "closed_date": closed,
    }


def _check_reference(line: int, ref: str, checks: _Checks, problems: list[str]) -> None:
    if not ref:
        problems.append(_("申请编号（reference）不能为空"))
    elif len(ref) > 64:
        problems.append(_("申请编号“%(r)s”超过64个字符") % {"r": ref})
    elif ref in checks.seen:
        problems.append(_("申请编号“%(r)s”与第%(n)d行重复") % {"r": ref, "n": checks.seen[ref]})
    elif ref in checks.existing:
        problems.append(_("申请编号“%(r)s”已存在于系统中") % {"r": ref})
    if ref and ref not in checks.seen:
        checks.seen[ref] = line


def _received_date(value: str, today: date, problems: list[str]) -> date | None:
    if not value:
        problems.append(_("收到申请日期（received）不能为空"))
        return None
    received = _parse_date(value, _("收到申请日期"), problems)
    if received and received > today:
        problems.append(_("收到申请日期%(d)s晚于今天") % {"d": received.isoformat()})
    return received


def _check_codes(r: dict[str, str], problems: list[str]) -> None:
    if r["channel"] not in Channel.values:
        problems.append(
            _("申请方式“%(v)s”无效，应为 %(ok)s")
            % {"v": r["channel"], "ok": "、".join(Channel.values)}
        )
    if r["applicant_type"] not in ApplicantType.values:
        problems.append(
            _("申请人类型“%(v)s”无效，应为 %(ok)s")
            % {"v": r["applicant_type"], "ok": "、".join(ApplicantType.values)}
        )


def _closed_date(
    value: str, received: date | None, today: date, problems: list[str]
) -> date | None:
    if not value:
        return None
    closed = _parse_date(value, _("办结日期"), problems)
    if closed and received and closed < received:
        problems.append(
            _("办结日期%(c)s早于收到申请日期%(r)s")
            % {"c": closed.isoformat(), "r": received.isoformat()}
        )
    if closed and closed > today:
        problems.append(_("办结日期%(d)s晚于今天") % {"d": closed.isoformat()})
    return closed


def _insert_cases(
    valid: list[tuple[int, dict[str, Any]]], *, acting_user: Any, source: str
) -> None:
    """Write the validated cases and their 历史导入 events in batches, with one audit row, in
    one transaction."""
    today = timezone.localdate()
    calendar = _calendar_or_none()
    deadline_cache: dict[date, tuple] = {}
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    with transaction.atomic():
        for start in range(0, len(valid), BATCH):
            chunk = valid[start : start + BATCH]
            cases = [_case(fields, calendar, deadline_cache) for _line, fields in chunk]
            _insert_rows(Case, cases)
            ids = dict(
                Case.objects.filter(reference__in=[c.reference for c in cases]).values_list(
                    "reference", "id"
                )
            )
            _insert_rows(
                CaseEvent,
                [
                    CaseEvent(
                        case_id=ids[c.reference],
                        type=CaseEvent.Type.IMPORTED,
                        date=c.received_date or today,
                        actor=actor,
                        note=_("历史导入：%(s)s第%(n)d行") % {"s": source or "CSV", "n": line},
                        data={
                            "outcome": c.outcome,
                            "closed": c.closed_date.isoformat() if c.closed_date else None,
                        },
                    )
                    for (line, _f), c in zip(chunk, cases, strict=True)
                ],
            )
        audit_record(
            action=AuditEntry.Action.IMPORT,
            acting_user=acting_user,
            target_label=_("依申请公开历史数据导入"),
            detail={"source": source, "count": len(valid)},
        )


def _insert_rows(model: Any, objs: list) -> None:
    """INSERT through ``executemany`` with values prepared by the model fields.

    ``bulk_create`` spent ~90% of an import of 20 000 cases compiling SQL value by value
    (45 columns × 20 000 rows); preparing each value once with ``get_db_prep_save`` and handing
    the rows to the driver is ~10× faster on both SQLite and PostgreSQL. Auto timestamps are set
    here because no ``pre_save`` runs.
    """
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    # Only identifiers quoted by the backend from model metadata; values go as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        tuple(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields) for o in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _calendar_or_none():
    from gongkai.workdays.selectors import load_calendar

    return load_calendar()


def _case(fields: dict[str, Any], calendar, cache: dict[date, tuple]) -> Case:
    from gongkai.workdays.calendar import CalendarMissing

    closed = bool(fields["outcome"])
    case = Case(
        reference=fields["reference"],
        organisation=fields["organisation"],
        applicant_type=fields["applicant_type"],
        channel=fields["channel"],
        received_date=fields["received_date"],
        outcome=fields["outcome"],
        closed_date=fields["closed_date"],
        status=Status.ARCHIVED if closed else Status.REGISTERED,
        imported=True,
    )
    if not closed:
        # An open imported case gets its statutory due date like any other (no events known);
        # many rows share a receipt date, so each date is computed once.
        received = fields["received_date"]
        if received not in cache:
            try:
                result = deadlines.compute_deadline(received, [], calendar)
                cache[received] = (
                    result.due,
                    result.calendar_version,
                    "\n".join(result.explanation),
                )
            except (deadlines.DeadlineError, CalendarMissing) as exc:
                cache[received] = (None, "", str(exc))
        case.due_date, case.calendar_version, case.deadline_note = cache[received]
    return case
