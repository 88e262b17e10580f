"""政府开放日 registration and 公众代表列席 records."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.participation import services
from gongkai.participation.models import AttendanceRecord, OpenDayRegistration

from .factories import PublicUserFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def event(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    return services.open_day_create(
        organisation=org_tree["office"],
        title="“走进市政府办公厅”政府开放日",
        description="参观政务服务中心，座谈政策实施情况。",
        held_on=datetime.date(2026, 12, 20),
        place="市民中心",
        capacity=2,
        registration_closes_on=datetime.date(2026, 12, 15),
        acting_user=editor,
    )


def test_registration_once_within_capacity_and_deadline(event):
    first, second, third = PublicUserFactory.create_batch(3)
    at = datetime.datetime(2026, 12, 10, 9, tzinfo=SH)
    services.open_day_register(event=event, user=first, name="张三", phone="13800000001", now=at)
    with pytest.raises(ValidationError, match="已报名"):
        services.open_day_register(event=event, user=first, name="张三", phone="1", now=at)
    # 15 Dec 15:59 UTC is 23:59 on the closing day in China: still open
    services.open_day_register(
        event=event,
        user=second,
        name="李四",
        phone="13800000002",
        now=datetime.datetime(2026, 12, 15, 15, 59, tzinfo=UTC),
    )
    with pytest.raises(ValidationError, match="名额已满"):
        services.open_day_register(event=event, user=third, name="王五", phone="1", now=at)
    assert OpenDayRegistration.objects.filter(event=event).count() == 2


def test_registration_after_the_deadline_china_time(event):
    user = PublicUserFactory()
    with pytest.raises(ValidationError, match="报名已于2026-12-15截止"):
        services.open_day_register(
            event=event,
            user=user,
            name="张三",
            phone="13800000001",
            now=datetime.datetime(2026, 12, 15, 16, 0, tzinfo=UTC),  # 16 Dec 00:00 in China
        )
    assert not OpenDayRegistration.objects.exists()


def test_attendance_record_needs_representatives(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["city"])
    with pytest.raises(ValidationError, match="请填写列席代表") as error:
        services.attendance_record(
            organisation=org_tree["city"],
            meeting="市政府第12次常务会议",
            held_on=datetime.date(2026, 6, 1),
            representatives="",
            summary="列席代表就停车收费发表意见。",
            acting_user=editor,
        )
    assert error.value.message_dict == {"representatives": ["请填写列席代表"]}
    record = services.attendance_record(
        organisation=org_tree["city"],
        meeting="市政府第12次常务会议",
        held_on=datetime.date(2026, 6, 1),
        representatives="市民代表王某、企业代表李某",
        summary="列席代表就停车收费发表意见。",
        acting_user=editor,
    )
    assert AttendanceRecord.objects.get() == record


def test_staff_create_open_day_and_see_registrations(client, org_tree, make_staff):
    from gongkai.participation.models import OpenDayEvent

    editor = make_staff(Role.EDITOR, org_tree["office"])
    client.force_login(editor)
    data = {
        "organisation": org_tree["office"].pk,
        "title": "政务服务中心开放日",
        "description": "参观政务服务中心。",
        "held_on": "2099-05-20",
        "place": "市民中心",
        "capacity": "30",
        "registration_closes_on": "2099-05-25",
    }
    r = client.post("/staff/participation/open-days/", data)
    assert r.status_code == 400
    assert "报名截止日期不能晚于活动日期" in r.content.decode()
    assert OpenDayEvent.objects.count() == 0
    data["registration_closes_on"] = "2099-05-15"
    r = client.post("/staff/participation/open-days/", data)
    event = OpenDayEvent.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/staff/participation/open-days/{event.pk}/"
    assert (event.capacity, event.held_on) == (30, datetime.date(2099, 5, 20))
    person = PublicUserFactory()
    services.open_day_register(event=event, user=person, name="赵六", phone="13900000009")
    html = client.get(f"/staff/participation/open-days/{event.pk}/").content.decode()
    assert "报名名单（1/30人）" in html
    assert "<td>赵六</td><td>13900000009</td>" in html
    listing = client.get("/staff/participation/open-days/").content.decode()
    assert "<td>30</td><td>1</td>" in listing
    # the public page takes registrations and never shows the phone numbers
    public = client.get(f"/participation/open-days/{event.pk}/").content.decode()
    assert "名额30人，剩余29人" in public
    assert "13900000009" not in public


def test_staff_of_another_organisation_cannot_see_the_event(client, event, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    assert client.get(f"/staff/participation/open-days/{event.pk}/").status_code == 404
    assert event.title not in client.get("/staff/participation/open-days/").content.decode()


def test_staff_attendance_records(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    client.force_login(editor)
    r = client.post(
        "/staff/participation/attendance/",
        {
            "organisation": org_tree["office"].pk,
            "meeting": "市政府常务会议",
            "held_on": "2026-11-20",
        },
    )
    assert r.status_code == 400
    assert AttendanceRecord.objects.count() == 0
    r = client.post(
        "/staff/participation/attendance/",
        {
            "organisation": org_tree["office"].pk,
            "meeting": "市政府第12次常务会议",
            "held_on": "2026-11-20",
            "representatives": "王五（市民代表）",
            "summary": "就停车收费调整发表意见。",
        },
    )
    assert r.status_code == 302
    record = AttendanceRecord.objects.get()
    assert (record.meeting, record.created_by) == ("市政府第12次常务会议", editor)
    html = client.get("/staff/participation/attendance/").content.decode()
    assert "<td>市政府第12次常务会议</td><td>2026-11-20</td><td>杭东市人民政府办公厅</td>" in html
    assert "就停车收费调整发表意见。" in html


def test_public_list_shows_upcoming_open_days_only(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    common = {
        "organisation": org_tree["office"],
        "description": "参观。",
        "place": "市民中心",
        "capacity": 5,
        "acting_user": editor,
    }
    upcoming = services.open_day_create(
        title="即将举办的开放日",
        held_on=datetime.date(2099, 5, 20),
        registration_closes_on=datetime.date(2099, 5, 15),
        **common,
    )
    services.open_day_create(
        title="已经举办的开放日",
        held_on=datetime.date(2020, 5, 20),
        registration_closes_on=datetime.date(2020, 5, 15),
        **common,
    )
    html = client.get("/participation/evaluations/").content.decode()
    assert f'<a href="/participation/open-days/{upcoming.pk}/">即将举办的开放日</a>' in html
    assert "报名截止2099-05-15" in html
    assert "已经举办的开放日" not in html
