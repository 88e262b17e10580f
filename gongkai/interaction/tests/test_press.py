"""新闻发布会: plan, record, planned vs held."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEntry
from gongkai.interaction import press
from gongkai.interaction.models import PressConference

pytestmark = pytest.mark.django_db


def test_planned_versus_held(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    year = timezone.localdate().year
    press.press_plan_set(
        organisation=org_tree["finance"], year=year, planned_count=4, acting_user=editor
    )
    press.press_plan_set(
        organisation=org_tree["finance"], year=year, planned_count=6, acting_user=editor
    )
    for n in range(2):
        press.press_conference_record(
            organisation=org_tree["finance"],
            data={
                "held_on": date(year, 1, 1) + timedelta(days=n),
                "topic": f"第{n + 1}场",
                "speakers": "局长",
            },
            acting_user=editor,
        )
    assert press.press_figures({org_tree["finance"].pk}, year) == {"planned": 6, "held": 2}
    assert press.press_figures(None, year - 1) == {"planned": 0, "held": 0}
    assert AuditEntry.objects.filter(target_type="interaction.pressconference").count() == 2


def test_refusals_save_nothing(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    with pytest.raises(ValidationError, match="召开日期不能晚于今天"):
        press.press_conference_record(
            organisation=org_tree["finance"],
            data={
                "held_on": timezone.localdate() + timedelta(days=1),
                "topic": "t",
                "speakers": "s",
            },
            acting_user=editor,
        )
    with pytest.raises(
        PermissionDenied, match="只有该机构的编辑或政务公开管理员可以登记新闻发布会"
    ):
        press.press_conference_record(
            organisation=org_tree["finance"],
            data={"held_on": timezone.localdate(), "topic": "t", "speakers": "s"},
            acting_user=handler,
        )
    assert PressConference.objects.count() == 0
