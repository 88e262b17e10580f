"""Staff navigation offers only what the role may use (issue 15, item 3)."""

import re

import pytest

from gongkai.accounts.models import Role

pytestmark = pytest.mark.django_db

FIXED = ["先审后发", "审核与检查", "不公开信息评估", "年度报告", "统计分析", "搜索", "公开管理"]


def _nav(client) -> list[str]:
    html = client.get("/staff/").content.decode()
    nav = html.split('aria-label="工作台导航"')[1].split("</nav>")[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', nav)


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        (Role.EDITOR, {"年度报告", "公开管理"}),
        (Role.REVIEWER, {"不公开信息评估", "年度报告", "统计分析", "公开管理"}),
        (Role.FOI_HANDLER, {"不公开信息评估", "公开管理"}),
        (Role.ADMIN, set()),
    ],
)
def test_fixed_entries_follow_the_role(client, org_tree, make_staff, role, hidden):
    client.force_login(make_staff(role, org_tree["finance"]))
    links = _nav(client)
    assert [label for label in links if label in FIXED] == [
        label for label in FIXED if label not in hidden
    ]


def test_department_editor_is_not_offered_the_annual_report_it_cannot_open(
    client, org_tree, make_staff
):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    assert "年度报告" not in _nav(client)
    assert client.get("/staff/reports/annual/").status_code == 403
    client.force_login(make_staff(Role.ADMIN, org_tree["finance"]))
    assert "年度报告" in _nav(client)
    assert client.get("/staff/reports/annual/").status_code == 200


@pytest.mark.parametrize(
    ("role", "offered"),
    [(Role.EDITOR, False), (Role.REVIEWER, False), (Role.FOI_HANDLER, True), (Role.ADMIN, True)],
)
def test_foi_entry_only_for_those_who_handle_cases(client, org_tree, make_staff, role, offered):
    client.force_login(make_staff(role, org_tree["finance"]))
    assert ("依申请公开" in _nav(client)) is offered


# Every content kind's entry (issue 15, item 3), in the apps' registration order: each role is
# offered the kinds whose pages it works in; the 政务公开管理员 every one.
KINDS = ["政府信息", "政策解读", "政策问答", "依申请公开", "政民互动", "清单与台账", "意见征集"]


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.EDITOR, ["政府信息", "政策解读", "政策问答", "政民互动", "清单与台账", "意见征集"]),
        (Role.REVIEWER, ["政府信息", "政策解读", "政策问答", "清单与台账", "意见征集"]),
        (Role.FOI_HANDLER, ["依申请公开", "政民互动"]),
        (Role.ADMIN, KINDS),
    ],
)
def test_content_kind_entries_follow_the_role(client, org_tree, make_staff, role, offered):
    client.force_login(make_staff(role, org_tree["finance"]))
    assert [label for label in _nav(client) if label in KINDS] == offered


def test_a_public_account_is_offered_no_workbench_entry(client, public_user):
    from gongkai.staff.templatetags.staff_nav import content_nav_links, fixed_nav_links

    assert [link.label for link in content_nav_links(public_user) if link.label in KINDS] == []
    assert [link.label for link in fixed_nav_links(public_user)] == [
        "先审后发",
        "审核与检查",
        "搜索",
    ]
