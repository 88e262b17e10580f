"""A published 重大行政决策事项目录 changes only through a reviewed adjustment, in a real
browser: the editor drafts a 调整 on the directory page and submits it; the public page still
shows the directory as published; 初审, 复审 and 终审 approve in turn; the public page then shows
the adjusted decision, the adjustment with its reason, and (one click on its date) the
directory as it stood before."""

import datetime

import pytest

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import OrganisationFactory
from gongkai.participation import services
from gongkai.participation.tests.factories import DirectoryFactory

from .test_review_flow import _logged_in_page, _staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adjustment_drafted_reviewed_and_applied(live_server, chromium, assert_accessible):
    from playwright.sync_api import expect

    city = OrganisationFactory.create(
        code="113301000024900001", name="杭东市人民政府", kind="government"
    )
    owner = OrganisationFactory.create(
        code="113301000024900009", name="杭东市教育局", kind="department", parent=city
    )
    editor = _staff("bianji", city, Role.EDITOR)
    reviewers = [_staff(f"shenhe{n}", city, Role.REVIEWER, n) for n in (1, 2, 3)]
    directory = DirectoryFactory(organisation=city, year=2026)
    services.decision_add(
        directory=directory,
        title="杭东市中小学布局专项规划",
        owner=owner,
        legal_basis="《中华人民共和国教育法》",
        planned_time="2026年12月",
        acting_user=editor,
    )
    services.directory_publish(
        directory=directory,
        acting_user=editor,
        on=datetime.date(2026, 1, 15),
        without_review="测试：目录在本平台启用前已公布",
    )
    base = live_server.url
    public = f"{base}/participation/decisions/?year=2026"

    # 1. The editor drafts a 调整 of the published directory and submits it.
    context, page = _logged_in_page(chromium, live_server, editor)
    page.goto(f"{base}/staff/participation/directories/{directory.pk}/")
    page.get_by_label("调整类型").select_option(label="调整事项")
    page.get_by_label("调整或调出的事项").select_option(label="杭东市中小学布局专项规划")
    page.locator("#id_title").fill("杭东市中小学布局专项规划")
    page.get_by_label("承办单位").select_option(label="杭东市教育局")
    page.get_by_label("决策依据").fill("《中华人民共和国教育法》")
    page.get_by_label("计划完成时间").fill("2027年6月")
    page.get_by_label("调整理由").fill("学龄人口预测数据更新，需补充专家论证，完成时间顺延")
    assert_accessible(page)
    page.get_by_role("button", name="保存调整草稿").click()
    page.wait_for_url(f"{base}/staff/workflow/decision_directory_adjustment/*/")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#workflow-state")).to_have_text("审核中（第1级·初审）")
    context.close()

    # 2. Nothing public has changed while it is in review.
    context = chromium.new_context(locale="zh-CN")
    reader = context.new_page()
    reader.goto(public)
    expect(reader.get_by_role("cell", name="2026年12月")).to_be_visible()
    expect(reader.get_by_text("学龄人口预测数据更新")).to_have_count(0)

    # 3. 初审, 复审, 终审 approve in turn.
    title = "杭东市人民政府2026年度重大行政决策事项目录调整事项：杭东市中小学布局专项规划"
    for reviewer in reviewers:
        staff_context, staff_page = _logged_in_page(chromium, live_server, reviewer)
        staff_page.goto(f"{base}/staff/workflow/")
        staff_page.get_by_role("link", name=title).click()
        staff_page.get_by_role("button", name="通过", exact=True).click()
        staff_page.wait_for_url(f"{base}/staff/workflow/")
        staff_context.close()

    # 4. The public directory shows the adjusted decision and the adjustment with its reason;
    # the adjustment's date shows the directory as it stood that day.
    reader.goto(public)
    expect(reader.get_by_role("cell", name="2027年6月")).to_be_visible()
    expect(reader.get_by_role("cell", name="2026年12月")).to_have_count(0)
    expect(
        reader.get_by_role("cell", name="学龄人口预测数据更新，需补充专家论证，完成时间顺延")
    ).to_be_visible()
    assert_accessible(reader)
    reader.goto(f"{public}&on=2026-06-30")
    expect(reader.get_by_text("以下为2026-06-30当日的目录内容。")).to_be_visible()
    expect(reader.get_by_role("cell", name="2026年12月")).to_be_visible()
    context.close()
