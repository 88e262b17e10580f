"""公开管理 (issue 15, item 7): the 政务公开管理员 administers their organisations in the back
office — organisations and 科室, 索引号 formats, internal targets, columns and 专题专栏, the
公开指南/公开制度 pages, the working-day calendar, roles and reviewers — scoped, audited."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.accounts.models import InternalUnit, Organisation, Role, RoleAssignment
from gongkai.catalogue.models import Column, Page
from gongkai.core.models import AuditEntry
from gongkai.foi.models import InternalTarget
from gongkai.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


@pytest.fixture
def city_admin_user(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["city"], username="city_root", include_descendants=True)


def _org_url(org):
    return reverse("staff:manage_organisation", args=[org.code])


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["staff:manage_home", "staff:manage_columns", "staff:manage_roles", "staff:manage_calendar"],
)
def test_an_editor_gets_403_on_every_admin_screen(client, org_tree, make_staff, url_name):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "政务公开管理员" in response.content.decode()


def test_a_department_admin_cannot_edit_another_organisation(client, org_tree, finance_admin):
    office = org_tree["office"]
    client.force_login(finance_admin)
    assert client.get(_org_url(office)).status_code == 403
    response = client.post(
        _org_url(office), {"form": "org", "org-name": "改名", "org-sort_order": "1"}
    )
    assert response.status_code == 403
    office.refresh_from_db()
    assert office.name == "杭东市人民政府办公厅"
    response = client.post(
        _org_url(office), {"form": "index", "index-index_number_format": "{code}-{yyyy}-{serial}"}
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=office.pk).index_number_format == (
        "{code}/{yyyy}-{serial:05d}"
    )
    # Nor the platform-wide calendar, nor the platform's columns.
    assert client.get(reverse("staff:manage_calendar_year", args=[2027])).status_code == 403
    assert client.get(reverse("staff:manage_columns") + "?org=").status_code == 200
    assert not AuditEntry.objects.filter(actor=finance_admin).exclude(action="login").exists()


def test_a_department_admin_sees_its_own_organisation_only(client, org_tree, finance_admin):
    client.force_login(finance_admin)
    html = client.get(reverse("staff:manage_home")).content.decode()
    assert "<td>杭东市财政局</td>" in html
    assert "杭东市人民政府办公厅" not in html
    assert "工作日历（节假日和调休）" not in html


def test_the_city_admin_reaches_its_departments(client, org_tree, city_admin_user):
    client.force_login(city_admin_user)
    html = client.get(reverse("staff:manage_home")).content.decode()
    assert "<td>杭东市财政局</td>" in html
    assert "工作日历（节假日和调休）" in html
    assert client.get(_org_url(org_tree["district_edu"])).status_code == 200


CALENDAR_NAV = '<li><a href="/staff/manage/calendar/">工作日历</a></li>'


def test_the_menu_offers_the_calendar_to_platform_admins_on_every_screen(
    client, org_tree, finance_admin, city_admin_user
):
    pages = [
        reverse("staff:manage_home"),
        _org_url(org_tree["finance"]),
        reverse("staff:manage_columns"),
        reverse("staff:manage_roles"),
        reverse("staff:manage_staff"),
    ]
    client.force_login(city_admin_user)
    for url in pages:
        assert CALENDAR_NAV in client.get(url).content.decode(), url
    client.force_login(finance_admin)
    for url in pages:
        assert CALENDAR_NAV not in client.get(url).content.decode(), url


# --- organisations, 索引号, internal targets, 科室 ------------------------------------------


def test_organisation_info_saved_and_audited_with_only_what_changed(
    client, org_tree, finance_admin
):
    finance = org_tree["finance"]
    client.force_login(finance_admin)
    response = client.post(
        _org_url(finance),
        {
            "form": "org",
            "org-name": "杭东市财政局",
            "org-short_name": "市财政局",
            "org-address": "杭东市解放路18号",
            "org-phone": "0571-87050000",
            "org-sort_order": "100",
        },
    )
    assert response.status_code == 302
    finance.refresh_from_db()
    assert finance.address == "杭东市解放路18号"
    entry = AuditEntry.objects.get(actor=finance_admin, target_type="accounts.organisation")
    assert entry.detail["changes"] == {
        "address": {"old": "", "new": "杭东市解放路18号"},
        "phone": {"old": "", "new": "0571-87050000"},
    }


def test_index_number_format_checked_and_saved(client, org_tree, finance_admin):
    finance = org_tree["finance"]
    client.force_login(finance_admin)
    response = client.post(
        _org_url(finance), {"form": "index", "index-index_number_format": "{code}/{serial}"}
    )
    assert response.status_code == 400
    assert "索引号格式必须包含年份占位符 {yyyy}" in response.content.decode()
    assert Organisation.objects.get(pk=finance.pk).index_number_format == (
        "{code}/{yyyy}-{serial:05d}"
    )
    response = client.post(
        _org_url(finance),
        {"form": "index", "index-index_number_format": "{code}-{yyyy}{mm}-{serial:04d}"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=finance.pk).index_number_format == (
        "{code}-{yyyy}{mm}-{serial:04d}"
    )
    assert AuditEntry.objects.filter(
        actor=finance_admin, detail__changes__index_number_format__isnull=False
    ).exists()


def test_internal_target_set_from_the_back_office(client, org_tree, finance_admin):
    finance = org_tree["finance"]
    client.force_login(finance_admin)
    response = client.post(
        _org_url(finance),
        {"form": "target", "target-normal_days": "10", "target-difficult_days": "5"},
    )
    assert response.status_code == 400
    assert "疑难办件的目标不应短于一般办件" in response.content.decode()
    assert not InternalTarget.objects.exists()
    response = client.post(
        _org_url(finance),
        {"form": "target", "target-normal_days": "7", "target-difficult_days": "15"},
    )
    assert response.status_code == 302
    target = InternalTarget.objects.get(organisation=finance)
    assert (target.normal_days, target.difficult_days) == (7, 15)


def test_units_added_renamed_and_deleted(client, org_tree, finance_admin):
    finance = org_tree["finance"]
    client.force_login(finance_admin)
    response = client.post(
        _org_url(finance), {"form": "unit", "unit-name": "预算处", "unit-sort_order": "10"}
    )
    assert response.status_code == 302
    unit = InternalUnit.objects.get(organisation=finance)
    response = client.post(
        _org_url(finance), {"form": "unit", "unit-name": "预算处", "unit-sort_order": "20"}
    )
    assert response.status_code == 400
    assert "杭东市财政局已有名为“预算处”的科室" in response.content.decode()
    assert InternalUnit.objects.filter(organisation=finance).count() == 1
    url = reverse("staff:manage_unit", args=[finance.code, unit.pk])
    assert client.post(url, {"name": "预算管理处", "sort_order": "10"}).status_code == 302
    assert InternalUnit.objects.get(pk=unit.pk).name == "预算管理处"
    assert client.post(url, {"delete": "1"}).status_code == 302
    assert not InternalUnit.objects.filter(pk=unit.pk).exists()
    actions = list(
        AuditEntry.objects.filter(actor=finance_admin)
        .exclude(action=AuditEntry.Action.LOGIN)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "edit", "delete"]


# --- columns and pages ---------------------------------------------------------------------


def test_columns_and_special_columns_of_the_organisation(client, org_tree, finance_admin):
    finance = org_tree["finance"]
    client.force_login(finance_admin)
    url = reverse("staff:manage_columns")
    response = client.post(
        url,
        {
            "org": finance.code,
            "name": "优化营商环境专题",
            "slug": "caizheng-yingshang",
            "kind": "special",
            "sort_order": "100",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    column = Column.objects.get(slug="caizheng-yingshang")
    assert column.organisation == finance
    assert column.get_kind_display() == "专题专栏"
    html = client.get(url + f"?org={finance.code}").content.decode()
    assert "优化营商环境专题</a></td><td>专题专栏</td>" in html
    # Another organisation's column is not theirs to edit.
    other = Column.objects.create(
        name="办公厅专栏", slug="bgt", kind="special", organisation=org_tree["office"]
    )
    assert client.get(reverse("staff:manage_column", args=[other.pk])).status_code == 403
    # A platform column (no organisation) neither: only a top-level administrator's.
    platform = Column.objects.filter(organisation__isnull=True).first()
    response = client.post(
        reverse("staff:manage_column", args=[platform.pk]),
        {"name": "改名", "slug": platform.slug, "kind": platform.kind, "sort_order": "1"},
    )
    assert response.status_code == 403
    assert Column.objects.get(pk=platform.pk).name == platform.name


def test_column_cannot_be_its_own_ancestor(client, org_tree, finance_admin):
    finance = org_tree["finance"]
    parent = Column.objects.create(name="甲", slug="jia", kind="special", organisation=finance)
    child = Column.objects.create(
        name="乙", slug="yi", kind="special", organisation=finance, parent=parent
    )
    client.force_login(finance_admin)
    response = client.post(
        reverse("staff:manage_column", args=[parent.pk]),
        {"name": "甲", "slug": "jia", "kind": "special", "parent": child.pk, "sort_order": "1"},
    )
    assert response.status_code == 400
    assert "上级栏目不能是本栏目或其下级栏目" in response.content.decode()
    assert Column.objects.get(pk=parent.pk).parent is None


def test_rules_page_of_the_organisation_shown_on_the_portal(client, org_tree, finance_admin):
    finance = org_tree["finance"]
    client.force_login(finance_admin)
    url = reverse("staff:manage_page", args=["rules"]) + f"?org={finance.code}"
    assert "本机构尚未单独编写" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "杭东市财政局政府信息公开制度",
            "body": "<p>保密审查：先审查、后公开。</p><script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    page = Page.objects.get(slug="rules", organisation=finance)
    assert page.body == "<p>保密审查：先审查、后公开。</p>"
    portal = client.get(f"/zfxxgk/rules/?org={finance.code}").content.decode()
    assert "保密审查：先审查、后公开。" in portal
    assert "alert(1)" not in portal
    entry = AuditEntry.objects.get(actor=finance_admin, target_type="catalogue.page")
    assert entry.detail == {
        "page": "rules",
        "changes": {"title": {"old": "", "new": "杭东市财政局政府信息公开制度"}},
        "body_changed": True,
    }


# --- the working-day calendar --------------------------------------------------------------


def test_city_admin_enters_the_2027_notice_and_its_days(client, org_tree, city_admin_user):
    client.force_login(city_admin_user)
    url = reverse("staff:manage_calendar_year", args=[2027])
    CalendarYear.objects.filter(year=2027).delete()
    html = client.get(url).content.decode()
    assert "2027年尚未登记" in html
    response = client.post(url, {"form": "day", "day-day": "2027-10-01", "day-kind": "holiday"})
    assert response.status_code == 400
    response = client.post(
        url,
        {"form": "year", "year-notice": "国务院办公厅关于2027年部分节假日安排的通知"},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "管理员录入"
    response = client.post(
        url, {"form": "day", "day-day": "2027-10-01", "day-kind": "holiday", "day-name": "国庆节"}
    )
    assert response.status_code == 302
    # A weekday is a working day already: refused, with the reason.
    response = client.post(
        url, {"form": "day", "day-day": "2027-09-29", "day-kind": "workday", "day-name": ""}
    )
    assert response.status_code == 400
    assert "2027-09-29是周一至周五，本来就是工作日" in response.content.decode()
    response = client.post(
        url, {"form": "day", "day-day": "2027-09-26", "day-kind": "workday", "day-name": "国庆节"}
    )
    assert response.status_code == 302
    days = list(CalendarDay.objects.filter(date__year=2027).values_list("date", "kind"))
    assert days == [(date(2027, 9, 26), "workday"), (date(2027, 10, 1), "holiday")]
    html = client.get(url).content.decode()
    assert "<td>2027年10月1日</td><td>节假日（放假）</td><td>国庆节</td>" in html
    assert client.post(url, {"form": "delete", "day": "2027-09-26"}).status_code == 302
    assert not CalendarDay.objects.filter(date=date(2027, 9, 26)).exists()
    assert AuditEntry.objects.filter(actor=city_admin_user).exclude(action="login").count() == 4


# --- roles and reviewers -------------------------------------------------------------------


def test_admin_assigns_a_reviewer_level_in_its_organisation_only(
    client, org_tree, finance_admin, make_staff
):
    colleague = make_staff(Role.EDITOR, org_tree["finance"], username="colleague")
    client.force_login(finance_admin)
    url = reverse("staff:manage_roles")
    html = client.get(url).content.decode()
    assert f'value="{org_tree["office"].pk}">杭东市人民政府办公厅' not in html
    response = client.post(
        url,
        {
            "user": colleague.pk,
            "organisation": org_tree["office"].pk,
            "role": Role.REVIEWER,
            "review_level": "1",
        },
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=colleague, role=Role.REVIEWER).exists()
    response = client.post(
        url,
        {"user": colleague.pk, "organisation": org_tree["finance"].pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 400
    assert "审核人须指定审核级别" in response.content.decode()
    response = client.post(
        url,
        {
            "user": colleague.pk,
            "organisation": org_tree["finance"].pk,
            "role": Role.REVIEWER,
            "review_level": "3",
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=colleague, role=Role.REVIEWER)
    assert assignment.review_level == 3
    assert "审核人（终审）" in client.get(url).content.decode()
    entry = AuditEntry.objects.get(actor=finance_admin, action=AuditEntry.Action.PERMISSION)
    assert entry.detail["review_level"] == 3
    # Revoked again; and another organisation's assignment cannot be revoked.
    other = RoleAssignment.objects.filter(organisation=org_tree["office"]).first() or (
        make_staff(Role.EDITOR, org_tree["office"]).roles.get()
    )
    assert client.post(reverse("staff:manage_role_revoke", args=[other.pk])).status_code == 403
    assert RoleAssignment.objects.filter(pk=other.pk).exists()
    revoke = reverse("staff:manage_role_revoke", args=[assignment.pk])
    assert client.post(revoke).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_deleting_a_date_that_has_no_entry_says_so(client, org_tree, city_admin_user):
    client.force_login(city_admin_user)
    url = reverse("staff:manage_calendar_year", args=[2026])
    before = CalendarDay.objects.count()
    response = client.post(url, {"form": "delete", "day": "2026-03-04"})
    assert response.status_code == 400
    assert "2026-03-04没有节假日或调休记录" in response.content.decode()
    response = client.post(url, {"form": "delete", "day": "2026-13-01"})
    assert response.status_code == 400
    assert "日期“2026-13-01”格式不正确" in response.content.decode()
    assert CalendarDay.objects.count() == before
