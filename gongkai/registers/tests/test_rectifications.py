"""整改台账: working-day deadlines, 销号 only by the 政务公开管理员, 网站自查 findings, Excel."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.oversight.models import InspectionRun
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


def test_one_click_from_a_self_inspection_finding(client, org_tree, make_staff):
    org = org_tree["finance"]
    admin = make_staff(Role.ADMIN, org)
    run = InspectionRun.objects.create(
        today=D(2025, 9, 30),
        findings=[
            {
                "rule": "stale_column",
                "message": "栏目“财政预决算”超过1年未更新",
                "target_type": "",
                "target_id": None,
                "target_label": "财政预决算",
                "url": "",
            },
        ],
        counts={"stale_column": 1},
    )
    client.force_login(admin)
    response = client.post(
        "/staff/registers/rectifications/from-finding/", {"run": run.pk, "index": 0}
    )
    item = Rectification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/registers/rectifications/{item.pk}/"
    assert (item.source, item.problem, item.deadline, item.source_ref) == (
        "self_inspection",
        "栏目“财政预决算”超过1年未更新",
        # 10 working days from 9月30日: 10月9、10、11（调休）、13–17、20、21日.
        D(2025, 10, 21),
        f"inspection:{run.pk}:0",
    )
    # A second click does not add it twice.
    client.post("/staff/registers/rectifications/from-finding/", {"run": run.pk, "index": 0})
    assert Rectification.objects.count() == 1
    assert (
        client.post(
            "/staff/registers/rectifications/from-finding/", {"run": run.pk, "index": 5}
        ).status_code
        == 404
    )
    # An editor (no 管理员) may not.
    client.force_login(make_staff(Role.EDITOR, org))
    run.findings = run.findings * 2
    run.save()
    response = client.post(
        "/staff/registers/rectifications/from-finding/", {"run": run.pk, "index": 1}
    )
    assert response.status_code == 403
    assert Rectification.objects.count() == 1


def test_ledger_page_and_excel_export(client, org_tree, make_staff):
    org = org_tree["finance"]
    RectificationFactory(organisation=org, problem="首页链接失效", deadline=D(2025, 1, 31))
    RectificationFactory(organisation=org_tree["office"], problem="别人的问题")
    client.force_login(make_staff(Role.EDITOR, org))
    html = client.get("/staff/registers/rectifications/").content.decode()
    assert "首页链接失效" in html
    assert "已逾期" in html
    assert "别人的问题" not in html
    response = client.get("/staff/registers/rectifications/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "机构", "问题来源", "来源说明", "问题描述")
    assert [(r[1], r[2], r[4], r[8], r[11], r[12]) for r in rows[1:]] == [
        ("杭东市财政局", "第三方测评", "首页链接失效", "2025-01-31", "整改中", "是")
    ]


def test_staff_close_button_only_for_admin(client, item, org_tree, make_staff):
    org = org_tree["finance"]
    Rectification.objects.filter(pk=item.pk).update(state="done", evidence="佐证")
    url = f"/staff/registers/rectifications/{item.pk}/"
    client.force_login(make_staff(Role.EDITOR, org))
    assert 'id="close-item"' not in client.get(url).content.decode()
    client.post(url, {"close": "1"})
    assert Rectification.objects.get(pk=item.pk).state == "done"
    client.force_login(make_staff(Role.ADMIN, org))
    assert 'id="close-item"' in client.get(url).content.decode()
    client.post(url, {"close": "1"})
    assert Rectification.objects.get(pk=item.pk).state == "closed"


def test_dashboard_shows_overdue_problems_to_the_admin(client, org_tree, make_staff):
    org = org_tree["finance"]
    RectificationFactory(organisation=org, deadline=D(2025, 1, 31))
    RectificationFactory(organisation=org, deadline=D(2025, 1, 31), state="closed")
    client.force_login(make_staff(Role.ADMIN, org))
    html = client.get("/staff/").content.decode()
    assert '<strong class="stat-rectification-overdue">1</strong>' in html
    assert '<span class="stat-projects">报批 0，在建 0，竣工 0</span>' in html
