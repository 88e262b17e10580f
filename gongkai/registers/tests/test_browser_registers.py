"""The registers in a real browser: a 权责清单 变更 goes through three levels of review and the
public list and its history change; a 网站自查 finding becomes a 整改 item and is 销号."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Organisation, Role, RoleAssignment, User
from gongkai.oversight.models import InspectionRun
from gongkai.registers import services
from gongkai.registers.models import Rectification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff(username: str, org: Organisation, role: str, level: int = 0) -> User:
    user = User.objects.create_user(
        username=username, password="pass-1234-abcd", kind=User.Kind.STAFF, display_name=username
    )
    RoleAssignment.objects.create(user=user, organisation=org, role=role, review_level=level)
    return user


def _page(chromium, live_server, user=None):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _published_list(org: Organisation, editor: User) -> None:
    for name in ("对违反预算管理规定行为的处罚", "对会计师事务所的监督检查"):
        adjustment = services.adjustment_create(
            organisation=org,
            list_kind="powers",
            action="add",
            effective_date=datetime.date(2025, 1, 1),
            reason="清单初次公布",
            legal_basis="杭政办〔2025〕1号",
            values={
                "name": name,
                "category": "检查" if "检查" in name else "处罚",
                "basis": "《中华人民共和国预算法》",
                "implementer": "杭东市财政局",
            },
            acting_user=editor,
        )
        services.adjustment_publish(
            adjustment=adjustment, acting_user=editor, without_review="测试：已公布的清单"
        )


def test_adjustment_through_review_changes_the_public_list_and_history(
    live_server, chromium, assert_accessible
):
    from playwright.sync_api import expect

    org = Organisation.objects.create(
        code="113301000024900002", name="杭东市财政局", kind="department"
    )
    editor = _staff("bianji", org, Role.EDITOR)
    reviewers = [_staff(f"shenhe{n}", org, Role.REVIEWER, n) for n in (1, 2, 3)]
    _published_list(org, editor)
    base = live_server.url
    new_name = "对违反预算管理规定行为的行政处罚"
    today = timezone.localdate()

    # 1. The editor drafts a 变更 of the first entry and submits it.
    context, page = _page(chromium, live_server, editor)
    page.goto(f"{base}/staff/registers/?org={org.pk}&kind=powers")
    page.locator("#current-entries tr", has_text="预算管理").get_by_role(
        "link", name="变更"
    ).click()
    page.get_by_label("事项名称").fill(new_name)
    page.get_by_label("调整日期").fill(today.isoformat())
    page.get_by_label("调整理由").fill("依据新修订的预算法调整事项名称")
    page.get_by_label("调整依据").fill("《中华人民共和国预算法》（2018年修正）")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#adjustment-status")).to_have_text("草稿")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#adjustment-status")).to_have_text("审核中")
    context.close()

    # 2. 初审, 复审, 终审 approve from their queue.
    for reviewer in reviewers:
        context, page = _page(chromium, live_server, reviewer)
        page.goto(f"{base}/staff/workflow/")
        page.get_by_role("link", name=f"权责清单变更：{new_name}").click()
        page.get_by_role("button", name="通过", exact=True).click()
        page.wait_for_url(f"{base}/staff/workflow/")
        context.close()

    # 3. The public list shows the new name; yesterday's list and the history tell the story.
    context, page = _page(chromium, live_server)
    page.goto(f"{base}/zfxxgk/qingdan/{org.pk}/powers/")
    table = page.locator("#register-list")
    expect(table).to_contain_text(new_name)
    expect(table).to_contain_text("对会计师事务所的监督检查")
    expect(table.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_label("查看历史日期").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="查询").click()
    expect(table).to_contain_text("对违反预算管理规定行为的处罚")
    expect(table).not_to_contain_text(new_name)
    page.get_by_role("link", name="动态调整记录").click()
    first = page.locator("#register-history tbody tr").first
    expect(first).to_contain_text("变更")
    expect(first).to_contain_text(new_name)
    expect(first).to_contain_text("依据新修订的预算法调整事项名称")
    expect(page.locator("#register-history tbody tr")).to_have_count(3)
    context.close()


def test_self_inspection_finding_becomes_a_rectification_and_is_closed(live_server, chromium):
    from playwright.sync_api import expect

    org = Organisation.objects.create(
        code="11330100002489948X", name="杭东市人民政府", kind="government"
    )
    admin = _staff("guanliyuan", org, Role.ADMIN)
    InspectionRun.objects.create(
        today=timezone.localdate(),
        findings=[
            {
                "rule": "stale_column",
                "message": "栏目“财政预决算”超过1年未更新",
                "target_type": "",
                "target_id": None,
                "target_label": "财政预决算",
                "url": "",
            }
        ],
        counts={"stale_column": 1},
    )
    base = live_server.url
    context, page = _page(chromium, live_server, admin)
    page.goto(f"{base}/staff/workflow/inspection/")
    page.get_by_role("button", name="列入整改台账").click()
    expect(page.locator("#problem")).to_have_text("栏目“财政预决算”超过1年未更新")
    expect(page.locator("#state")).to_have_text("整改中")
    page.get_by_label("整改措施").fill("补发2024年度财政决算和2025年度财政预算")
    page.get_by_label("整改佐证").fill("/items/1024/ 、/items/1025/")
    page.get_by_label("已整改完成，提交销号").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#state")).to_have_text("已整改待销号")
    page.get_by_role("button", name="销号").click()
    expect(page.locator("#state")).to_have_text("已销号")
    item = Rectification.objects.get()
    assert (item.source, item.state, item.closed_by_id) == ("self_inspection", "closed", admin.pk)
    page.goto(f"{base}/staff/registers/rectifications/")
    expect(page.locator("#rectifications")).to_contain_text("已销号")
    context.close()


def test_public_register_pages_are_accessible(live_server, chromium, assert_accessible):
    from playwright.sync_api import expect

    from .factories import ProjectFactory, StageItemFactory

    org = Organisation.objects.create(
        code="113301000024900001", name="杭东市发展和改革委员会", kind="department"
    )
    project = ProjectFactory(organisation=org, name="杭东市城市快速路二期工程")
    StageItemFactory(project=project, title="关于快速路二期工程可行性研究报告的批复")
    editor = _staff("bianji2", org, Role.EDITOR)
    _published_list(org, editor)
    context, page = _page(chromium, live_server)
    base = live_server.url
    for path, text in (
        ("/zfxxgk/qingdan/", "杭东市发展和改革委员会"),
        ("/zfxxgk/zdxm/", "杭东市城市快速路二期工程"),
        (f"/zfxxgk/zdxm/{project.pk}/", "关于快速路二期工程可行性研究报告的批复"),
        ("/zfxxgk/ssj/", "随机抽查事项清单"),
        ("/zfxxgk/jyta/", "办理情况"),
    ):
        page.goto(base + path)
        expect(page.locator("main")).to_contain_text(text)
        assert_accessible(page)
    context.close()
