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
