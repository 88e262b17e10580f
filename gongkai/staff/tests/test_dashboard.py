"""The workbench home shows real to-do counts — 待我审核, 依申请公开 即将到期 / 已超期, 网站自查
— each only to the roles it concerns, with a bounded number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import RoleAssignmentFactory
from gongkai.catalogue.services import item_create
from gongkai.foi import services as foi_services
from gongkai.foi.models import Case, Status
from gongkai.foi.tests.conftest import application
from gongkai.oversight.tests.factories import InspectionRunFactory
from gongkai.review import chain_services as cs
from gongkai.workdays.services import calendar_year_set

pytestmark = pytest.mark.django_db

# Friday 2026-11-20; the next working days are Mon 23, Tue 24, Wed 25, Thu 26 (no holiday).
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def people(org_tree, make_staff):
    finance, district, edu, office = (
        org_tree["finance"],
        org_tree["district"],
        org_tree["district_edu"],
        org_tree["office"],
    )
    rev = make_staff(Role.REVIEWER, finance, username="rev", review_level=1)
    # 复审 for the district and everything below it (the district's 教育局).
    RoleAssignmentFactory.create(
        user=rev,
        organisation=district,
        role=Role.REVIEWER,
        review_level=2,
        include_descendants=True,
    )
    RoleAssignmentFactory.create(user=rev, organisation=finance, role=Role.FOI_HANDLER)
    RoleAssignmentFactory.create(user=rev, organisation=finance, role=Role.EDITOR)
    return {
        "rev": rev,
        "admin": make_staff(Role.ADMIN, finance, username="adm"),
        "editor_only": make_staff(Role.EDITOR, office, username="ed_office"),
        "editor_fin": make_staff(Role.EDITOR, finance, username="ed_fin"),
        "editor_edu": make_staff(Role.EDITOR, edu, username="ed_edu"),
        "rev1_fin": make_staff(Role.REVIEWER, finance, username="r1fin", review_level=1),
        "rev1_edu": make_staff(Role.REVIEWER, edu, username="r1edu", review_level=1),
        "handler_office": make_staff(Role.FOI_HANDLER, office, username="h_office"),
        # Every level has someone who may decide, or submitting is refused (issue 19 item 7).
        "rev1_office": make_staff(Role.REVIEWER, office, username="r1office", review_level=1),
        "rev_final": _city_reviewer(make_staff, org_tree["city"], "rfinal", 2, 3),
    }


def _city_reviewer(make_staff, city, username, *levels):
    user = make_staff(
        Role.REVIEWER, city, username=username, review_level=levels[0], include_descendants=True
    )
    for level in levels[1:]:
        RoleAssignmentFactory.create(
            user=user,
            organisation=city,
            role=Role.REVIEWER,
            review_level=level,
            include_descendants=True,
        )
    return user


def submit_item(org, editor, title, approvers=()):
    item = item_create(
        organisation=org,
        data={"title": title, "written_date": TODAY, "summary": "摘要。", "body": "<p>正文。</p>"},
        acting_user=editor,
    )
    request = cs.review_submit(content=item, acting_user=editor)
    for reviewer in approvers:
        cs.review_decide(request=request, decision="approve", acting_user=reviewer)
    return request


def make_case(org, handler, due, status=None):
    case, _code = foi_services.case_record(
        organisation=org,
        data=application(),
        channel="in_person",
        arrived=datetime.date(2026, 10, 20),
        acting_user=handler,
    )
    # The statutory due date is the deadline engine's business (tested there); here the
    # dashboard's counting is under test, so the cases get the due dates the counts need.
    Case.objects.filter(pk=case.pk).update(due_date=due, **({"status": status} if status else {}))
    return case


@pytest.fixture
def data(org_tree, people):
    finance, edu, office = org_tree["finance"], org_tree["district_edu"], org_tree["office"]
    p = people
    # 待我审核 for rev: two finance items at 初审, one 教育局 item at 复审 → 3.
    submit_item(finance, p["editor_fin"], "财政预算公开说明")
    submit_item(finance, p["editor_fin"], "政府采购意向公开")
    submit_item(edu, p["editor_edu"], "学区划分方案", approvers=[p["rev1_edu"]])
    # Not for rev: finance at 复审, 教育局 at 初审, the office's item, and rev's own submission.
    submit_item(finance, p["editor_fin"], "已过初审的通知", approvers=[p["rev1_fin"]])
    submit_item(edu, p["editor_edu"], "招生计划")
    submit_item(office, p["editor_only"], "办公厅通知")
    submit_item(finance, p["rev"], "本人起草的公告")
    # 依申请公开 of finance: due today (0), Wed 25 (3) → 即将到期 2; Thu 26 (4) not yet;
    # overdue Thu 19 and Mon 16 → 已超期 2; a replied case past its date is closed.
    handler = p["rev"]
    make_case(finance, handler, TODAY)
    make_case(finance, handler, datetime.date(2026, 11, 25))
    make_case(finance, handler, datetime.date(2026, 11, 26))
    make_case(finance, handler, datetime.date(2026, 11, 19))
    make_case(finance, handler, datetime.date(2026, 11, 16))
    make_case(finance, handler, datetime.date(2026, 11, 18), status=Status.REPLIED)
    # The office's cases belong to another organisation.
    make_case(office, p["handler_office"], datetime.date(2026, 11, 18))
    make_case(office, p["handler_office"], TODAY)
    # Two self-inspection reports: the dashboard shows the newest.
    InspectionRunFactory.create(
        today=datetime.date(2026, 11, 19), findings=[{"rule": "empty_column"}] * 9
    )
    InspectionRunFactory.create(today=TODAY, findings=[{"rule": "stale_column"}] * 4)
    return p


def stat(html, name):
    match = re.search(rf'<strong class="stat-{name}">(\d+)</strong>', html)
    return int(match.group(1)) if match else None


def test_reviewer_and_handler_sees_review_and_deadline_counts(client, data):
    client.force_login(data["rev"])
    html = client.get("/staff/").content.decode()
    assert stat(html, "review") == 3
    assert stat(html, "foi-due") == 2
    assert stat(html, "foi-overdue") == 2
    assert '<a href="/staff/workflow/">进入审核队列</a>' in html
    assert '<a href="/staff/foi/#h-due">即将到期（3个工作日内）</a>' in html
    assert '<a href="/staff/foi/?view=overdue">已超期</a>' in html
    # Not an administrator: no 网站自查 block; nothing announces features as coming.
    assert 'id="h-inspection"' not in html
    assert "审核功能即将上线" not in html
    assert "依申请公开办理功能即将上线" not in html
    assert "网站自查功能即将上线" not in html
    # The queue page lists the same three requests.
    queue = client.get("/staff/workflow/").content.decode()
    for title in ("财政预算公开说明", "政府采购意向公开", "学区划分方案"):
        assert title in queue
    for title in ("已过初审的通知", "招生计划", "办公厅通知"):
        assert title not in queue


def test_administrator_sees_deadlines_and_latest_inspection_but_no_review(client, data):
    client.force_login(data["admin"])
    html = client.get("/staff/").content.decode()
    assert stat(html, "review") is None
    assert 'id="h-review"' not in html
    assert stat(html, "foi-due") == 2
    assert stat(html, "foi-overdue") == 2
    assert stat(html, "inspection") == 4
    assert "2026-11-20 自查发现的问题" in html
    assert '<a href="/staff/workflow/inspection/">查看自查报告</a>' in html


def test_editor_sees_none_of_the_role_blocks(client, data):
    client.force_login(data["editor_only"])
    html = client.get("/staff/").content.decode()
    for block in ("h-review", "h-foi", "h-inspection"):
        assert f'id="{block}"' not in html
    assert 'id="h-items"' in html


def test_administrator_before_the_first_inspection(client, org_tree, make_staff):
    admin = make_staff(Role.ADMIN, org_tree["finance"], username="adm2")
    client.force_login(admin)
    html = client.get("/staff/").content.decode()
    assert "尚未进行网站自查。" in html
    assert stat(html, "foi-due") == 0
    assert stat(html, "foi-overdue") == 0


def test_dashboard_queries_do_not_grow_with_the_data(client, org_tree, data):
    client.force_login(data["rev"])
    with CaptureQueriesContext(connection) as first:
        assert client.get("/staff/").status_code == 200
    finance, edu = org_tree["finance"], org_tree["district_edu"]
    for n in range(5):
        submit_item(finance, data["editor_fin"], f"补充公开事项{n}")
        submit_item(edu, data["editor_edu"], f"教育公开事项{n}", approvers=[data["rev1_edu"]])
        make_case(finance, data["rev"], datetime.date(2026, 11, 24))
        make_case(finance, data["rev"], datetime.date(2026, 11, 10))
    with CaptureQueriesContext(connection) as second:
        html = client.get("/staff/").content.decode()
    assert stat(html, "review") == 13
    assert stat(html, "foi-due") == 7
    assert stat(html, "foi-overdue") == 7
    assert len(second.captured_queries) == len(first.captured_queries)
    # 20, + 2 for the 待回复留言 block (its scope and one grouped count, issue 15 item 3),
    # + 2 for the calendar's known years and, while a year is missing, the platform-admin check.
    assert len(second.captured_queries) <= 24


def test_messages_and_scheduled_publications_wait_for_their_roles(client, org_tree, people):
    """Issue 15 item 3: 待回复留言 with counts for those who answer messages (handlers and
    administrators of the organisation), 定时发布 waiting for publication for the editors."""
    from gongkai.catalogue.tests.factories import InformationItemFactory
    from gongkai.interaction.tests.factories import MessageFactory

    finance, office = org_tree["finance"], org_tree["office"]
    received = datetime.date(2026, 11, 2)
    MessageFactory.create(organisation=finance, received_date=received, due_date=TODAY)
    MessageFactory.create(
        organisation=finance, received_date=received, due_date=datetime.date(2026, 11, 19)
    )
    # Answered, or another organisation's: not waiting for the finance handler.
    MessageFactory.create(
        organisation=finance,
        received_date=received,
        due_date=datetime.date(2026, 11, 18),
        status="replied",
    )
    MessageFactory.create(
        organisation=office, received_date=received, due_date=datetime.date(2026, 11, 18)
    )
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for number, org, scheduled_at in (
        (1, finance, tomorrow),
        (2, finance, None),
        (3, office, tomorrow),
    ):
        InformationItemFactory.create(
            organisation=org,
            status="approved",
            scheduled_at=scheduled_at,
            index_number=f"{org.code}/2026-9000{number}",
        )

    client.force_login(people["rev"])
    html = client.get("/staff/").content.decode()
    assert stat(html, "messages") == 2
    assert stat(html, "messages-overdue") == 1
    assert stat(html, "scheduled") == 1
    assert '<a href="/staff/items/?status=approved">已通过审核、等待定时发布</a>' in html

    # An editor answers no messages: no block, no link to an empty queue.
    client.force_login(people["editor_only"])
    html = client.get("/staff/").content.decode()
    assert 'id="h-messages"' not in html
    assert stat(html, "scheduled") == 1
    client.force_login(people["editor_fin"])
    assert stat(client.get("/staff/").content.decode(), "scheduled") == 1


CALENDAR_WARNING = (
    "工作日历尚未录入2027年的节假日和调休安排：答复期限延伸到2027年的申请将无法计算期限。"
)


def test_a_missing_next_year_calendar_is_announced_before_deadlines_reach_it(
    client, org_tree, make_staff, data
):
    # 20 November + 70 days reaches January 2027, which the seeded calendar does not hold.
    platform_admin = make_staff(Role.ADMIN, org_tree["city"], username="city_adm")
    client.force_login(platform_admin)
    html = client.get("/staff/").content.decode()
    assert CALENDAR_WARNING in html
    assert '<a href="/staff/manage/calendar/2027/">录入2027年工作日历</a>' in html
    # A department's administrator and a handler are told whom to ask; an editor sees nothing.
    for user in (data["admin"], data["rev"]):
        client.force_login(user)
        html = client.get("/staff/").content.decode()
        assert CALENDAR_WARNING + "请联系平台的政务公开管理员按国务院办公厅公布的安排录入。" in html
        assert "/staff/manage/calendar/2027/" not in html
    client.force_login(data["editor_only"])
    assert "工作日历尚未录入" not in client.get("/staff/").content.decode()

    calendar_year_set(year=2027, acting_user=platform_admin)
    client.force_login(platform_admin)
    assert "工作日历尚未录入" not in client.get("/staff/").content.decode()
