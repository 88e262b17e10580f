"""View tests moved from gongkai/participation/tests/test_open_day.py (issue 11 item 7)."""

import datetime

import pytest

from gongkai.accounts.models import Role
from gongkai.participation import services
from gongkai.participation.models import OpenDayRegistration
from gongkai.participation.tests.factories import PublicUserFactory

pytestmark = pytest.mark.django_db


def test_public_page_registers_a_logged_in_citizen(client, org_tree, make_staff):
    from django.utils import timezone

    from gongkai.participation import rules

    today = rules.china_date(timezone.now())
    event = services.open_day_create(
        organisation=org_tree["office"],
        title="政府开放日",
        description="座谈。",
        held_on=today + datetime.timedelta(days=10),
        place="市民中心",
        capacity=2,
        registration_closes_on=today + datetime.timedelta(days=5),
        acting_user=make_staff(Role.EDITOR, org_tree["office"]),
    )
    url = f"/participation/open-days/{event.pk}/"
    assert client.post(url, {"name": "张三", "phone": "13800000001"}).status_code == 302
    assert not OpenDayRegistration.objects.exists()  # anonymous: sent to the login page
    client.force_login(PublicUserFactory())
    assert "剩余2人" in client.get(url).content.decode()
    assert client.post(url, {"name": "张三", "phone": "13800000001"}).status_code == 302
    page = client.get(url).content.decode()
    assert "剩余1人" in page
    assert "您已报名本次活动。" in page
    assert "13800000001" not in page
