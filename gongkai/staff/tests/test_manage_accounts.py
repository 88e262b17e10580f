"""公开管理 › 新建机构 and 工作人员账号 (issue 15, item 7), as the administrator sees them:
the rendered pages, the refusals in Chinese, and the temporary password shown once."""

import pytest
from django.urls import reverse

from gongkai.accounts.models import Organisation, Role, User
from gongkai.accounts.tests.factories import InternalUnitFactory, StaffFactory
from gongkai.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


@pytest.fixture
def budget(org_tree):
    return InternalUnitFactory.create(organisation=org_tree["finance"], name="预算处")


def test_nav_and_home_offer_the_new_screens(client, finance_admin):
    client.force_login(finance_admin)
    html = client.get(reverse("staff:manage_home")).content.decode()
    assert '<a href="/staff/manage/organisations/new/">新建机构</a>' in html
    assert '<a href="/staff/manage/staff/">工作人员账号</a>' in html
    assert (
        '<a href="/staff/manage/organisations/new/?parent=113301000024900002">新建下级机构</a>'
        in html
    )
    assert "新建顶级机构" not in html


@pytest.mark.parametrize(
    "url_name", ["staff:manage_organisation_new", "staff:manage_staff", "staff:manage_staff_new"]
)
def test_an_editor_gets_403(client, org_tree, make_staff, url_name):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "只有政务公开管理员可以使用公开管理" in response.content.decode()


def test_create_a_subordinate_from_the_form(client, org_tree, finance_admin):
    client.force_login(finance_admin)
    url = reverse("staff:manage_organisation_new")
    html = client.get(url, {"parent": org_tree["finance"].code}).content.decode()
    assert f'<option value="{org_tree["finance"].pk}" selected>杭东市财政局</option>' in html
    assert "（无，顶级机构）" not in html
    response = client.post(
        url,
        {
            "parent": org_tree["finance"].pk,
            "code": "113301000024900077",
            "name": "杭东市财政票据中心",
            "kind": "other",
            "sort_order": "100",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/staff/manage/org/113301000024900077/", 302)]
    html = response.content.decode()
    assert "已新建机构“杭东市财政票据中心”。请继续填写机构信息、添加科室。" in html
    assert Organisation.objects.get(code="113301000024900077").parent == org_tree["finance"]


def test_duplicate_code_shown_beside_the_field(client, org_tree, finance_admin):
    client.force_login(finance_admin)
    before = Organisation.objects.count()
    response = client.post(
        reverse("staff:manage_organisation_new"),
        {
            "parent": org_tree["finance"].pk,
            "code": org_tree["city"].code,
            "name": "重复",
            "kind": "other",
            "sort_order": "100",
        },
    )
    assert response.status_code == 400
    assert "机构代码“11330100002489948X”已被“杭东市人民政府”使用" in response.content.decode()
    assert Organisation.objects.count() == before


def test_a_parent_outside_the_scope_is_not_even_offered(client, org_tree, finance_admin):
    client.force_login(finance_admin)
    response = client.post(
        reverse("staff:manage_organisation_new"),
        {
            "parent": org_tree["office"].pk,
            "code": "ZZ1",
            "name": "某中心",
            "kind": "other",
            "sort_order": "100",
        },
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not Organisation.objects.filter(code="ZZ1").exists()


def test_stop_a_subordinate_from_its_parents_admin(client, org_tree, make_staff):
    city_admin = make_staff(Role.ADMIN, org_tree["city"], include_descendants=True)
    client.force_login(city_admin)
    finance_url = reverse("staff:manage_organisation", args=[org_tree["finance"].code])
    assert "停用本机构" in client.get(finance_url).content.decode()
    response = client.post(
        reverse("staff:manage_organisation_status", args=[org_tree["finance"].code]),
        {"active": "0"},
        follow=True,
    )
    html = response.content.decode()
    assert "已停用“杭东市财政局”。" in html
    assert "<h1>杭东市财政局（已停用）</h1>" in html
    assert "启用本机构" in html
    city_html = client.get(
        reverse("staff:manage_organisation", args=[org_tree["city"].code])
    ).content.decode()
    assert "杭东市财政局</a>（已停用）" in city_html


def test_own_organisation_cannot_be_stopped_by_its_admin(client, org_tree, finance_admin):
    client.force_login(finance_admin)
    html = client.get(
        reverse("staff:manage_organisation", args=[org_tree["finance"].code])
    ).content.decode()
    assert "停用本机构" not in html
    response = client.post(
        reverse("staff:manage_organisation_status", args=[org_tree["finance"].code]),
        {"active": "0"},
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=org_tree["finance"].pk).is_active is True


def test_staff_list_shows_own_and_visiting_accounts(
    client, org_tree, make_staff, budget, finance_admin
):
    StaffFactory.create(username="member", display_name="王五", unit=budget)
    office_unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    make_staff(
        Role.REVIEWER, org_tree["finance"], username="visitor", unit=office_unit, review_level=1
    )
    make_staff(Role.EDITOR, org_tree["office"], username="stranger")
    client.force_login(finance_admin)
    html = client.get(reverse("staff:manage_staff")).content.decode()
    assert "<td>member</td><td>王五</td><td>市财政局 预算处</td>" in html
    assert (
        "<td>visitor</td><td>审核人2</td><td>市政府办公厅 秘书处</td>\n"
        "    <td>市财政局 审核人</td>\n    <td>启用</td>\n    <td>由所属机构管理</td></tr>"
    ) in html
    assert "stranger" not in html


def test_create_account_then_reset_password_shown_once(client, budget, finance_admin):
    client.force_login(finance_admin)
    response = client.post(
        reverse("staff:manage_staff_new"),
        {"username": "liwei", "display_name": "李伟", "unit": budget.pk, "email": "", "phone": ""},
        follow=True,
    )
    user = User.objects.get(username="liwei")
    assert response.redirect_chain == [(f"/staff/manage/staff/{user.pk}/", 302)]
    html = response.content.decode()
    assert "已新建账号“liwei”。该账号还没有密码：请生成临时密码，并分配角色。" in html
    assert f'href="/staff/manage/roles/?user={user.pk}"' in html
    assert "生成临时密码" in html
    response = client.post(reverse("staff:manage_staff_password", args=[user.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    password = html.split('<code class="temporary-password">')[1].split("</code>")[0]
    user.refresh_from_db()
    assert user.check_password(password)
    assert "此密码只显示这一次" in html
    # Not on the account page afterwards.
    assert (
        password
        not in client.get(reverse("staff:manage_staff_user", args=[user.pk])).content.decode()
    )


def test_roles_page_preselects_the_new_account(client, budget, finance_admin):
    member = StaffFactory.create(username="member", display_name="王五", unit=budget)
    client.force_login(finance_admin)
    html = client.get(reverse("staff:manage_roles"), {"user": member.pk}).content.decode()
    assert f'<option value="{member.pk}" selected>王五（member）</option>' in html
    assert '<a href="/staff/manage/staff/new/">新建工作人员账号</a>' in html


def test_edit_account_and_refusals_on_the_page(client, org_tree, budget, finance_admin):
    member = StaffFactory.create(username="member", display_name="王五", unit=budget)
    client.force_login(finance_admin)
    url = reverse("staff:manage_staff_user", args=[member.pk])
    response = client.post(url, {"display_name": "", "unit": budget.pk, "email": "", "phone": ""})
    assert response.status_code == 400
    assert User.objects.get(pk=member.pk).display_name == "王五"
    response = client.post(
        url, {"display_name": "王五", "unit": budget.pk, "email": "", "phone": "13900000000"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).phone == "13900000000"
    # Own account: no 停用 button, and the service refuses a forged request.
    own = client.get(reverse("staff:manage_staff_user", args=[finance_admin.pk])).content.decode()
    assert "停用账号" not in own
    response = client.post(
        reverse("staff:manage_staff_active", args=[finance_admin.pk]), {"active": "0"}, follow=True
    )
    assert "不能停用本人的账号，请由其他管理员操作" in response.content.decode()
    assert User.objects.get(pk=finance_admin.pk).is_active is True


def test_accounts_of_other_organisations_are_out_of_reach(
    client, org_tree, make_staff, finance_admin
):
    office_unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    outsider = StaffFactory.create(username="outsider", unit=office_unit)
    visitor = make_staff(
        Role.REVIEWER, org_tree["finance"], username="visitor", unit=office_unit, review_level=1
    )
    client.force_login(finance_admin)
    # Not listed at all: as if it did not exist.
    assert client.get(reverse("staff:manage_staff_user", args=[outsider.pk])).status_code == 404
    response = client.post(reverse("staff:manage_staff_password", args=[outsider.pk]))
    assert response.status_code == 404
    # Listed (a role in the 财政局) but kept by the 办公厅: a Chinese 403.
    response = client.post(reverse("staff:manage_staff_active", args=[visitor.pk]), {"active": "0"})
    assert response.status_code == 403
    assert "该账号由其科室所属机构的政务公开管理员管理" in response.content.decode()
    assert User.objects.get(pk=outsider.pk).check_password("pass-1234-abcd")
    assert User.objects.get(pk=visitor.pk).is_active is True
    assert not AuditEntry.objects.filter(actor=finance_admin).exclude(action="login").exists()


def test_temporary_password_must_be_changed_at_login(client, budget, finance_admin):
    member = StaffFactory.create(username="member", unit=budget)
    member.password_must_change = True
    member.save()
    client.force_login(member)
    response = client.get(reverse("staff:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "您正在使用管理员设置的临时密码，请先修改密码。" in response.content.decode()


def test_a_temporary_password_lifts_the_login_lockout(client, budget, finance_admin, settings):
    settings.AXES_ENABLED = True
    member = StaffFactory.create(username="locked", unit=budget)
    login = reverse("accounts:login")
    for _attempt in range(5):
        client.post(login, {"username": "locked", "password": "wrong"}, REMOTE_ADDR="10.0.0.8")
    assert (
        client.post(
            login, {"username": "locked", "password": "pass-1234-abcd"}, REMOTE_ADDR="10.0.0.8"
        ).status_code
        == 429
    )

    # force_login has no request: axes would log an access from no address (PostgreSQL's inet
    # refuses it), so the administrator's visit runs with axes off.
    settings.AXES_ENABLED = False
    client.force_login(finance_admin)
    html = client.post(reverse("staff:manage_staff_password", args=[member.pk])).content.decode()
    password = html.split('<code class="temporary-password">')[1].split("</code>")[0]
    client.logout()
    settings.AXES_ENABLED = True
    response = client.post(
        login, {"username": "locked", "password": password}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
