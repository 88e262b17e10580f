"""Staff navigation offers only what the role may use (issue 15, item 3)."""

import re

import pytest

from gongkai.accounts.models import Role

pytestmark = pytest.mark.django_db

FIXED = ["先审后发", "审核与检查", "不公开信息评估", "年度报告", "统计分析", "搜索"]


def _nav(client) -> list[str]:
    html = client.get("/staff/").content.decode()
    nav = html.split('aria-label="工作台导航"')[1].split("</nav>")[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', nav)


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        (Role.EDITOR, {"年度报告"}),
        (Role.REVIEWER, {"不公开信息评估", "年度报告", "统计分析"}),
        (Role.FOI_HANDLER, {"不公开信息评估"}),
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
