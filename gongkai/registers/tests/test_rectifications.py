"""整改台账: working-day deadlines, 销号 only by the 政务公开管理员, 网站自查 findings, Excel."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts.models import Role
from gongkai.registers import selectors, services
from gongkai.registers.models import Rectification

from .conftest import D
from .factories import RectificationFactory

pytestmark = pytest.mark.django_db


def test_deadline_in_working_days_skips_the_national_day_holiday_and_counts_tiaoxiu():
    # 2025: 10月1日–8日 放假; 10月11日 (Saturday) is a 调休 working day. Found on 9月30日,
    # five working days: 10月9日, 10日, 11日 (调休), 13日, 14日.
    assert services.rectification_deadline(
        found_on=D(2025, 9, 30), deadline=None, period_workdays=5
    ) == D(2025, 10, 14)
    # 9月28日 (Sunday) is a 调休 working day too: found on the 26th (Friday), 1 working day.
    assert services.rectification_deadline(
        found_on=D(2025, 9, 26), deadline=None, period_workdays=1
    ) == D(2025, 9, 28)
    assert services.rectification_deadline(
        found_on=D(2025, 9, 26), deadline=D(2025, 12, 31), period_workdays=5
    ) == D(2025, 12, 31)


def test_deadline_errors():
    with pytest.raises(ValidationError, match="请填写整改期限，或整改时限（工作日）") as caught:
        services.rectification_deadline(
            found_on=D(2025, 9, 26), deadline=None, period_workdays=None
        )
    assert caught.value.message_dict == {"deadline": ["请填写整改期限，或整改时限（工作日）"]}
    with pytest.raises(ValidationError, match="整改期限不能早于发现日期") as caught:
        services.rectification_deadline(
            found_on=D(2025, 9, 26), deadline=D(2025, 9, 1), period_workdays=None
        )
    assert caught.value.message_dict == {"deadline": ["整改期限不能早于发现日期"]}


def test_create_with_period_stores_the_computed_deadline(org_tree, make_staff):
    org = org_tree["finance"]
    editor = make_staff(Role.EDITOR, org)
    item = services.rectification_create(
        organisation=org,
        source="superior",
        source_label="省政务公开办2025年第3季度通报",
        problem="政策解读比例不达标",
        found_on=D(2025, 9, 30),
        lead_unit="办公室",
        supporting_units="预算处、法规处",
        period_workdays=5,
        acting_user=editor,
    )
    item.refresh_from_db()
    assert (item.deadline, item.period_workdays, item.state) == (D(2025, 10, 14), 5, "open")


@pytest.fixture
def item(org_tree):
    return RectificationFactory(organisation=org_tree["finance"])


def test_only_the_admin_closes_and_only_once_done(item, org_tree, make_staff):
    org = org_tree["finance"]
    editor = make_staff(Role.EDITOR, org)
    reviewer = make_staff(Role.REVIEWER, org, review_level=3)
    other_admin = make_staff(Role.ADMIN, org_tree["office"])
    admin = make_staff(Role.ADMIN, org)
    with pytest.raises(ValidationError, match="只有已整改并提交佐证的问题可以销号") as caught:
        services.rectification_close(item=item, acting_user=admin)
    assert caught.value.messages == ["只有已整改并提交佐证的问题可以销号"]
    with pytest.raises(ValidationError, match="报告整改完成时请填写整改佐证"):
        services.rectification_progress(
            item=item, measures="更新栏目", evidence="", done=True, acting_user=editor
        )
    services.rectification_progress(
        item=item,
        measures="补发解读3篇",
        evidence="链接：/interpretations/12/",
        done=True,
        acting_user=editor,
    )
    for user in (editor, reviewer, other_admin):
        with pytest.raises(PermissionDenied, match="只有政务公开管理员可以销号"):
            services.rectification_close(item=item, acting_user=user)
        item.refresh_from_db()
        assert (item.state, item.closed_by_id) == ("done", None)
    services.rectification_close(item=item, acting_user=admin)
    item.refresh_from_db()
    assert (item.state, item.closed_by_id) == ("closed", admin.pk)
    with pytest.raises(ValidationError, match="该问题已销号，不能再修改"):
        services.rectification_progress(
            item=item, measures="x", evidence="y", done=False, acting_user=editor
        )


def test_an_admin_above_with_descendants_may_close(item, org_tree, make_staff):
    city_admin = make_staff(Role.ADMIN, org_tree["city"], include_descendants=True)
    Rectification.objects.filter(pk=item.pk).update(state="done", evidence="佐证")
    services.rectification_close(item=item, acting_user=city_admin)
    assert Rectification.objects.get(pk=item.pk).state == "closed"


def test_overdue(org_tree):
    org = org_tree["finance"]
    late = RectificationFactory(organisation=org, deadline=D(2025, 9, 30))
    RectificationFactory(organisation=org, deadline=D(2025, 10, 31))
    RectificationFactory(organisation=org, deadline=D(2025, 9, 1), state="closed")
    assert list(selectors.overdue_rectifications(None, today=D(2025, 10, 1))) == [late]
    assert (
        list(selectors.overdue_rectifications([org_tree["office"].pk], today=D(2025, 10, 1))) == []
    )
