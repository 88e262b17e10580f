"""Calendar table: seed, services (validated, audited), cache invalidation, command, admin."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from gongkai.core.models import AuditEntry
from gongkai.foi.deadlines import compute_deadline
from gongkai.workdays import services
from gongkai.workdays.calendar import CalendarMissing
from gongkai.workdays.models import CalendarDay, CalendarYear
from gongkai.workdays.selectors import load_calendar
from gongkai.workdays.source import exceptions_from_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        username="calendar_admin", password="pass-1234-abcd", email="a@example.cn"
    )


def snapshot():
    return (
        list(CalendarYear.objects.order_by("year").values_list("year", "source", "notice")),
        list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name")),
        AuditEntry.objects.count(),
    )


def test_migrated_calendar_equals_package_for_every_year():
    for year in range(2004, 2027):
        expected = [(e.date, e.kind, e.name) for e in exceptions_from_package(year)]
        stored = list(
            CalendarDay.objects.filter(date__year=year)
            .order_by("date")
            .values_list("date", "kind", "name")
        )
        assert stored == expected, year
    assert CalendarYear.objects.get(year=2026).notice.startswith(
        "国务院办公厅关于2026年部分节假日安排的通知"
    )


def test_national_day_2025_rows():
    rows = list(
        CalendarDay.objects.filter(date__range=(date(2025, 9, 27), date(2025, 10, 12)))
        .order_by("date")
        .values_list("date", "kind", "name")
    )
    assert rows == [
        (date(2025, 9, 28), "workday", "国庆节"),
        (date(2025, 10, 1), "holiday", "国庆节"),
        (date(2025, 10, 2), "holiday", "国庆节"),
        (date(2025, 10, 3), "holiday", "国庆节"),
        (date(2025, 10, 4), "holiday", "国庆节"),
        (date(2025, 10, 5), "holiday", "国庆节"),
        (date(2025, 10, 6), "holiday", "中秋节"),
        (date(2025, 10, 7), "holiday", "国庆节"),
        (date(2025, 10, 8), "holiday", "国庆节"),
        (date(2025, 10, 11), "workday", "国庆节"),
    ]


def test_day_set_is_audited_and_invalidates_the_cached_calendar(admin_user):
    before = load_calendar()
    assert load_calendar() is before  # cached while nothing changes
    assert compute_deadline(date(2026, 2, 10), [], before).due == date(2026, 3, 16)

    # An imagined extra holiday on Mon 2026-03-02 pushes #20 from 03-16 to 03-17.
    services.calendar_day_set(
        day=date(2026, 3, 2), kind="holiday", name="临时放假", acting_user=admin_user
    )
    after = load_calendar()
    assert after is not before
    assert after.is_workday(date(2026, 3, 2)) is False
    assert compute_deadline(date(2026, 2, 10), [], after).due == date(2026, 3, 17)
    entry = AuditEntry.objects.get(target_type="workdays.calendarday")
    assert (entry.action, entry.actor, entry.detail["date"], entry.detail["kind"]) == (
        "create",
        admin_user,
        "2026-03-02",
        "holiday",
    )

    services.calendar_day_delete(day=date(2026, 3, 2), acting_user=admin_user)
    assert load_calendar().is_workday(date(2026, 3, 2)) is True
    assert AuditEntry.objects.filter(action="delete").count() == 1


def test_day_set_replaces_an_existing_entry(admin_user):
    services.calendar_day_set(
        day=date(2025, 10, 11), kind="holiday", name="国庆节", acting_user=admin_user
    )
    row = CalendarDay.objects.get(date=date(2025, 10, 11))
    assert (row.kind, row.name) == ("holiday", "国庆节")
    entry = AuditEntry.objects.get()
    assert entry.action == "edit"
    assert entry.detail["before"] == {"kind": "workday", "name": "国庆节"}


@pytest.mark.parametrize(
    ("day", "kind", "name", "message"),
    [
        (
            date(2026, 3, 4),
            "workday",
            "",
            "2026-03-04是周一至周五，本来就是工作日，无需登记为调休上班日",
        ),
        (
            date(2026, 3, 4),
            "holiday",
            "  ",
            "2026-03-04登记为节假日时必须填写节日名称（例如：国庆节）",
        ),
        (date(2026, 3, 7), "rest", "x", "类型“rest”无效，应为节假日或调休上班日"),
    ],
)
def test_day_set_rejects_bad_entries_and_changes_nothing(admin_user, day, kind, name, message):
    before = snapshot()
    with pytest.raises(ValidationError, match=re.escape(message)) as info:
        services.calendar_day_set(day=day, kind=kind, name=name, acting_user=admin_user)
    assert info.value.messages == [message]
    assert snapshot() == before


def test_new_year_is_unknown_until_entered(admin_user):
    with pytest.raises(
        CalendarMissing,
        match="缺少2027年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ):
        compute_deadline(date(2026, 12, 20), [], load_calendar())
    # The administrator enters the 2027 notice and the 元旦 holiday (hypothetical data for the
    # test: 2027-01-01 Fri off). Received Sun 2026-12-20: 12-21..25 #1..#5; 12-28..31 #6..#9;
    # 2027-01-01 off; 01-04..08 #10..#14; 01-11..15 #15..#19; 01-18 Mon #20.
    services.calendar_year_set(
        year=2027,
        source="管理员按通知录入",
        notice="国务院办公厅关于2027年部分节假日安排的通知",
        acting_user=admin_user,
    )
    services.calendar_day_set(
        day=date(2027, 1, 1), kind="holiday", name="元旦", acting_user=admin_user
    )
    assert compute_deadline(date(2026, 12, 20), [], load_calendar()).due == date(2027, 1, 18)
    assert (
        AuditEntry.objects.filter(target_type="workdays.calendaryear", action="create").count() == 1
    )


def test_year_delete_forgets_the_year(admin_user):
    services.calendar_year_delete(year=2004, acting_user=admin_user)
    assert not CalendarYear.objects.filter(year=2004).exists()
    assert not CalendarDay.objects.filter(date__year=2004).exists()
    assert load_calendar().knows(2004) is False
    assert AuditEntry.objects.get().detail["year"] == 2004


def test_year_set_rejects_bad_year(admin_user):
    before = snapshot()
    with pytest.raises(ValidationError, match="年份“20260”无效，应为1990至2100之间的整数") as info:
        services.calendar_year_set(year=20260, acting_user=admin_user)
    assert info.value.messages == ["年份“20260”无效，应为1990至2100之间的整数"]
    assert snapshot() == before


def test_load_calendar_restricted_to_years():
    cal = load_calendar(years=[2025])
    assert cal.years == frozenset({2025})
    with pytest.raises(
        CalendarMissing,
        match="缺少2026年的工作日历（节假日及调休安排），无法计算期限，请管理员先录入国务院办公厅公布的安排",
    ):
        cal.is_workday(date(2026, 1, 5))


def test_command_reimports_a_year(capsys):
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    call_command("calendar_import_year", "2025")
    assert capsys.readouterr().out.strip() == "已导入2025年工作日历：节假日28天，调休上班日5天"
    assert CalendarYear.objects.get(year=2025).source.startswith("chinesecalendar ")
    assert load_calendar().is_workday(date(2025, 10, 11)) is True
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_command_refuses_a_year_the_package_does_not_know():
    before = snapshot()
    with pytest.raises(
        CommandError,
        match=(
            "chinesecalendar 软件包没有2027年的节假日安排（"
            "仅有2004至2026年），请在管理后台按国务院办公厅的通知手工录入"
        ),
    ) as info:
        call_command("calendar_import_year", "2027")
    assert str(info.value) == (
        "chinesecalendar 软件包没有2027年的节假日安排（仅有2004至2026年），"
        "请在管理后台按国务院办公厅的通知手工录入"
    )
    assert snapshot() == before


def test_admin_add_day_goes_through_the_service(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/workdays/calendarday/add/",
        {"date": "2026-03-02", "kind": "holiday", "name": "临时放假"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2026, 3, 2)).name == "临时放假"
    assert AuditEntry.objects.get(target_type="workdays.calendarday").actor == admin_user

    # A weekday cannot be a 调休 working day: the form shows the Chinese error, nothing saved.
    before = snapshot()
    response = client.post(
        "/admin/workdays/calendarday/add/", {"date": "2026-03-04", "kind": "workday", "name": ""}
    )
    assert response.status_code == 200
    assert (
        "2026-03-04是周一至周五，本来就是工作日，无需登记为调休上班日" in response.content.decode()
    )
    assert snapshot() == before


def test_admin_add_year(admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/workdays/calendaryear/add/",
        {"year": "2027", "source": "管理员按通知录入", "notice": "国办发明电〔2026〕X号"},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).notice == "国办发明电〔2026〕X号"
    assert AuditEntry.objects.get(target_type="workdays.calendaryear").action == "create"
    assert client.get("/admin/workdays/calendarday/?year=2026").status_code == 200
