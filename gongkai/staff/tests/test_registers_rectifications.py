"""View tests moved from gongkai/registers/tests/test_rectifications.py (issue 11 item 7)."""

import io

import pytest
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.oversight.models import InspectionRun
from gongkai.registers.models import Rectification
from gongkai.registers.tests.conftest import D
from gongkai.registers.tests.factories import RectificationFactory

pytestmark = pytest.mark.django_db


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
    assert '<span class="stat-projects">报批0，在建0，竣工0</span>' in html
