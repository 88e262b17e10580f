"""Every write to the working-day calendar goes through here (atomic, audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import CalendarDay, CalendarYear
from .source import PACKAGE_VERSION, YearNotInPackage, exceptions_from_package

MIN_YEAR = 1990
MAX_YEAR = 2100


def _check_year(year: int) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("年份“%(y)s”无效，应为%(a)d至%(b)d之间的整数")
            % {"y": year, "a": MIN_YEAR, "b": MAX_YEAR}
        )


def validate_calendar_day(day: date, kind: str, name: str) -> None:
    """Reject entries that would not be exceptions to Mon–Fri, with a Chinese message."""
    if kind not in CalendarDay.Kind.values:
        raise ValidationError(_("类型“%(k)s”无效，应为节假日或调休上班日") % {"k": kind})
    weekend = day.weekday() >= 5
    if kind == CalendarDay.Kind.WORKDAY and not weekend:
        raise ValidationError(
            _("%(d)s是周一至周五，本来就是工作日，无需登记为调休上班日") % {"d": day.isoformat()}
        )
    if kind == CalendarDay.Kind.HOLIDAY and not name.strip():
        raise ValidationError(
            _("%(d)s登记为节假日时必须填写节日名称（例如：国庆节）") % {"d": day.isoformat()}
        )


def _year_upsert(year: int, source: str, notice: str) -> tuple[CalendarYear, bool, dict]:
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    created = row is None
    if row is None:
        row = CalendarYear(year=year)
    before = {"source": row.source, "notice": row.notice}
    row.source = source
    row.notice = notice
    row.full_clean()
    row.save()
    return row, created, before


@transaction.atomic
def calendar_year_set(
    *, year: int, source: str = "", notice: str = "", acting_user: Any
) -> CalendarYear:
    """Create or update the row that makes ``year`` a known calendar year."""
    _check_year(year)
    row, created, before = _year_upsert(year, source, notice)
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=row,
        target_label=_("工作日历%(y)d年") % {"y": year},
        detail={"year": year, "source": source, "notice": notice, "before": before},
    )
    return row


@transaction.atomic
def calendar_day_set(*, day: date, kind: str, name: str = "", acting_user: Any) -> CalendarDay:
    """Record ``day`` as a holiday or a 调休 working day (replacing any earlier entry)."""
    name = (name or "").strip()
    validate_calendar_day(day, kind, name)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    created = row is None
    before = None if row is None else {"kind": row.kind, "name": row.name}
    if row is None:
        row = CalendarDay(date=day)
    row.kind = kind
    row.name = name
    row.full_clean()
    row.save()
    audit_record(
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=row,
        detail={"date": day.isoformat(), "kind": kind, "name": name, "before": before},
    )
    return row


@transaction.atomic
def calendar_day_delete(*, day: date, acting_user: Any) -> None:
    """Remove the entry for ``day``: it becomes an ordinary day again (Mon–Fri rule)."""
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise ValidationError(_("%(d)s没有节假日或调休记录") % {"d": day.isoformat()})
    detail = {"date": day.isoformat(), "kind": row.kind, "name": row.name}
    label = str(row)
    pk = row.pk
    row.delete()
    audit_record(
        action=AuditEntry.Action.DELETE,
        acting_user=acting_user,
        target_label=label,
        detail={**detail, "id": pk},
    )


@transaction.atomic
def calendar_year_delete(*, year: int, acting_user: Any) -> None:
    """Forget ``year`` (its row and its days): deadlines reaching it will be refused."""
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        raise ValidationError(_("工作日历中没有%(y)d年") % {"y": year})
    deleted, _counts = CalendarDay.objects.filter(date__year=year).delete()
    row.delete()
    audit_record(
        action=AuditEntry.Action.DELETE,
        acting_user=acting_user,
        target_label=_("工作日历%(y)d年") % {"y": year},
        detail={"year": year, "days_deleted": deleted},
    )


@transaction.atomic
def calendar_year_import(*, year: int, acting_user: Any, notice: str = "") -> CalendarYear:
    """Seed ``year`` from the ``chinesecalendar`` package, replacing its days.

    Raises ``ValidationError`` (Chinese) if the installed package does not know the year.
    """
    _check_year(year)
    try:
        exceptions = exceptions_from_package(year)
    except YearNotInPackage as exc:
        raise ValidationError(str(exc)) from exc
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=e.date, kind=e.kind, name=e.name) for e in exceptions]
    )
    existing = CalendarYear.objects.filter(year=year).first()
    row, _created, _before = _year_upsert(
        year, PACKAGE_VERSION, notice or (existing.notice if existing else "")
    )
    audit_record(
        action=AuditEntry.Action.IMPORT,
        acting_user=acting_user,
        target=row,
        target_label=_("工作日历%(y)d年") % {"y": year},
        detail={"year": year, "source": PACKAGE_VERSION, "days": len(exceptions)},
    )
    return row
