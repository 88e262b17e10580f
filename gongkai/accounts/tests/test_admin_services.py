"""The 政务公开管理员's writes on the agency tree and on staff accounts (issue 15, item 7):
new organisations (the import's rules), 停用/启用, staff accounts, temporary passwords —
each scoped to the organisations the administrator administers, and audited."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.accounts import services
from gongkai.accounts.models import Organisation, Role, RoleAssignment, User
from gongkai.accounts.permissions import can_administer_staff_user
from gongkai.accounts.selectors import staff_users_for_admin
from gongkai.accounts.tests.factories import InternalUnitFactory, StaffFactory
from gongkai.core.models import AuditEntry
from gongkai.oversight.ledger import audit_sentence

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


@pytest.fixture
def city_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["city"], username="city_root", include_descendants=True)


def _org_count():
    return Organisation.objects.count()


# --- organisation_create -------------------------------------------------------------------


def test_a_department_admin_creates_a_subordinate_and_administers_it(org_tree, finance_admin):
    org = services.organisation_create(
        code="113301000024900099",
        name=" 杭东市财政局票据管理中心 ",
        kind="other",
        parent=org_tree["finance"],
        acting_user=finance_admin,
    )
    org.refresh_from_db()
    assert (org.name, org.kind, org.parent_id, org.is_active) == (
        "杭东市财政局票据管理中心",
        "other",
        org_tree["finance"].pk,
        True,
    )
    assert org.index_number_format == "{code}/{yyyy}-{serial:05d}"
    # Without 含下级机构 the creator would lose the new body at once: they are made its admin.
    grant = RoleAssignment.objects.get(organisation=org)
    assert (grant.user, grant.role, grant.include_descendants) == (finance_admin, "admin", False)
    created = AuditEntry.objects.get(action="create", target_type="accounts.organisation")
    assert created.detail == {
        "code": "113301000024900099",
        "kind": "other",
        "parent": "113301000024900002",
    }
    assert created.organisation == org
    assert (
        AuditEntry.objects.filter(action="permission", target_id=str(finance_admin.pk)).count() == 1
    )


def test_an_admin_with_descendants_gets_no_extra_role(org_tree, city_admin):
    org = services.organisation_create(
        code="CITY-NEW",
        name="杭东市数据资源局",
        kind="department",
        parent=org_tree["city"],
        acting_user=city_admin,
    )
    assert not RoleAssignment.objects.filter(organisation=org).exists()


def test_a_parent_outside_the_scope_is_refused(org_tree, finance_admin):
    before = _org_count()
    with pytest.raises(PermissionDenied, match=r"^只能在本人管理的机构下新建下级机构$"):
        services.organisation_create(
            code="X1",
            name="办公厅下属中心",
            kind="other",
            parent=org_tree["office"],
            acting_user=finance_admin,
        )
    assert _org_count() == before
    assert not AuditEntry.objects.filter(actor=finance_admin).exists()


def test_top_level_needs_a_platform_admin(org_tree, finance_admin, city_admin):
    with pytest.raises(
        PermissionDenied, match=r"^只有全平台的政务公开管理员可以新建或停用顶级机构$"
    ):
        services.organisation_create(
            code="TOP1",
            name="杭西市人民政府",
            kind="government",
            parent=None,
            acting_user=finance_admin,
        )
    assert not Organisation.objects.filter(code="TOP1").exists()
    org = services.organisation_create(
        code="TOP1", name="杭西市人民政府", kind="government", parent=None, acting_user=city_admin
    )
    assert org.parent is None


def test_duplicate_code_and_bad_fields_are_refused_with_the_import_words(org_tree, finance_admin):
    before = _org_count()
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(
            code=org_tree["office"].code,
            name="",
            kind="bureau",
            parent=org_tree["finance"],
            acting_user=finance_admin,
        )
    assert caught.value.message_dict == {
        "code": ["机构代码“113301000024900001”已被“杭东市人民政府办公厅”使用"],
        "name": ["机构名称（name）不能为空"],
        "kind": ["机构类型（kind）“bureau”无效，应为 government、department 或 other"],
    }
    with pytest.raises(ValidationError, match="含有不允许的字符"):
        services.organisation_create(
            code="财政/01",
            name="某中心",
            kind="other",
            parent=org_tree["finance"],
            acting_user=finance_admin,
        )
    assert _org_count() == before
    assert not AuditEntry.objects.exists()


def test_no_new_body_under_a_stopped_one(org_tree, city_admin):
    Organisation.objects.filter(pk=org_tree["finance"].pk).update(is_active=False)
    finance = Organisation.objects.get(pk=org_tree["finance"].pk)
    with pytest.raises(ValidationError, match="上级机构“杭东市财政局”已停用，不能在其下新建机构"):
        services.organisation_create(
            code="F1", name="某中心", kind="other", parent=finance, acting_user=city_admin
        )
    assert not Organisation.objects.filter(code="F1").exists()


# --- organisation_active_set ---------------------------------------------------------------


def test_stop_and_restart_a_subordinate(org_tree, city_admin):
    finance = org_tree["finance"]
    services.organisation_active_set(organisation=finance, active=False, acting_user=city_admin)
    assert Organisation.objects.get(pk=finance.pk).is_active is False
    entry = AuditEntry.objects.get(action="edit", target_id=str(finance.pk))
    assert entry.detail == {"changed": ["is_active"], "is_active": False}
    assert audit_sentence(entry).endswith("修改了机构“杭东市财政局”的启用。")
    services.organisation_active_set(organisation=finance, active=True, acting_user=city_admin)
    assert Organisation.objects.get(pk=finance.pk).is_active is True


def test_a_body_with_active_children_cannot_be_stopped(org_tree, city_admin):
    with pytest.raises(
        ValidationError, match="“杭东市西湖区人民政府”还有启用的下级机构，请先停用下级机构"
    ):
        services.organisation_active_set(
            organisation=org_tree["district"], active=False, acting_user=city_admin
        )
    assert Organisation.objects.get(pk=org_tree["district"].pk).is_active is True


def test_an_admin_cannot_stop_its_own_organisation(org_tree, finance_admin):
    with pytest.raises(
        PermissionDenied, match=r"^只有上级机构的政务公开管理员可以停用或启用本机构$"
    ):
        services.organisation_active_set(
            organisation=org_tree["finance"], active=False, acting_user=finance_admin
        )
    assert Organisation.objects.get(pk=org_tree["finance"].pk).is_active is True


# --- staff accounts ------------------------------------------------------------------------


@pytest.fixture
def budget(org_tree):
    return InternalUnitFactory.create(organisation=org_tree["finance"], name="预算处")


def test_admin_creates_a_staff_account_in_its_unit(budget, finance_admin):
    user = services.staff_user_create_by_admin(
        username="liwei",
        display_name="李伟",
        unit=budget,
        email="liwei@example.cn",
        phone="13800000000",
        acting_user=finance_admin,
    )
    user = User.objects.get(pk=user.pk)
    assert (user.kind, user.unit, user.is_active, user.has_usable_password()) == (
        "staff",
        budget,
        True,
        False,
    )
    entry = AuditEntry.objects.get(action="create", target_id=str(user.pk))
    assert (entry.organisation.name, entry.actor) == ("杭东市财政局", finance_admin)


def test_creating_in_a_unit_of_another_organisation_is_refused(org_tree, finance_admin):
    office_unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    with pytest.raises(PermissionDenied, match=r"^只能选择本人所管机构的科室$"):
        services.staff_user_create_by_admin(
            username="x1", display_name="某人", unit=office_unit, acting_user=finance_admin
        )
    with pytest.raises(ValidationError, match="请选择所在科室"):
        services.staff_user_create_by_admin(
            username="x1", display_name="某人", unit=None, acting_user=finance_admin
        )
    assert not User.objects.filter(username="x1").exists()


def test_a_taken_or_malformed_username_is_refused(budget, finance_admin):
    with pytest.raises(ValidationError, match="用户名“FINANCE_ADMIN”已被使用"):
        services.staff_user_create_by_admin(
            username="FINANCE_ADMIN", display_name="某人", unit=budget, acting_user=finance_admin
        )
    with pytest.raises(ValidationError) as caught:
        services.staff_user_create_by_admin(
            username="li wei", display_name="某人", unit=budget, acting_user=finance_admin
        )
    assert list(caught.value.message_dict) == ["username"]
    assert User.objects.count() == 1


def test_listing_and_managing_follow_the_unit_and_the_roles(
    org_tree, make_staff, budget, finance_admin
):
    member = StaffFactory.create(username="member", unit=budget)
    office_unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    # A reviewer from the 办公厅 who also reviews for the 财政局: listed, not kept by finance.
    visitor = make_staff(
        Role.REVIEWER, org_tree["finance"], username="visitor", unit=office_unit, review_level=1
    )
    make_staff(Role.EDITOR, org_tree["office"], username="stranger")
    listed = set(staff_users_for_admin(finance_admin).values_list("username", flat=True))
    assert listed == {"finance_admin", "member", "visitor"}
    assert can_administer_staff_user(finance_admin, member) is True
    assert can_administer_staff_user(finance_admin, visitor) is False
    # No 科室: kept by whoever administers every organisation it holds a role in.
    assert can_administer_staff_user(finance_admin, finance_admin) is True


def test_edit_records_the_changed_fields_by_their_form_names(budget, finance_admin):
    member = StaffFactory.create(username="member", display_name="王五", unit=budget)
    other = InternalUnitFactory.create(organisation=budget.organisation, name="国库处")
    services.staff_user_update(
        user=member,
        data={"display_name": "王五", "unit": other, "email": " wangwu@example.cn ", "phone": ""},
        acting_user=finance_admin,
    )
    member.refresh_from_db()
    assert (member.unit, member.email) == (other, "wangwu@example.cn")
    entry = AuditEntry.objects.get(action="edit", target_id=str(member.pk))
    assert entry.detail == {"changed": ["email", "unit"]}
    assert audit_sentence(entry).endswith("修改了用户“王五”的电子邮件地址、所在科室。")


def test_edit_out_of_scope_changes_nothing(org_tree, make_staff, finance_admin):
    office_unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    outsider = StaffFactory.create(username="outsider", display_name="赵六", unit=office_unit)
    with pytest.raises(PermissionDenied, match=r"^只能管理本人所管机构的工作人员账号$"):
        services.staff_user_update(
            user=outsider, data={"display_name": "改名"}, acting_user=finance_admin
        )
    with pytest.raises(PermissionDenied, match=r"^只能管理本人所管机构的工作人员账号$"):
        services.staff_user_active_set(user=outsider, active=False, acting_user=finance_admin)
    with pytest.raises(PermissionDenied, match=r"^只能管理本人所管机构的工作人员账号$"):
        services.staff_password_reset_by_admin(user=outsider, acting_user=finance_admin)
    outsider.refresh_from_db()
    assert (outsider.display_name, outsider.is_active) == ("赵六", True)
    assert outsider.check_password("pass-1234-abcd")
    assert not AuditEntry.objects.exists()


def test_moving_an_account_to_a_unit_outside_the_scope_is_refused(org_tree, budget, finance_admin):
    member = StaffFactory.create(username="member", unit=budget)
    office_unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    with pytest.raises(PermissionDenied, match=r"^只能选择本人所管机构的科室$"):
        services.staff_user_update(
            user=member, data={"unit": office_unit}, acting_user=finance_admin
        )
    assert User.objects.get(pk=member.pk).unit == budget


def test_deactivate_and_reactivate(budget, finance_admin, client):
    member = StaffFactory.create(username="member", display_name="王五", unit=budget)
    services.staff_user_active_set(user=member, active=False, acting_user=finance_admin)
    assert User.objects.get(pk=member.pk).is_active is False
    assert client.login(username="member", password="pass-1234-abcd") is False
    entry = AuditEntry.objects.get(action="edit", target_id=str(member.pk))
    assert audit_sentence(entry).endswith("修改了用户“王五”的账号启用。")
    services.staff_user_active_set(user=member, active=True, acting_user=finance_admin)
    assert client.login(username="member", password="pass-1234-abcd") is True


def test_an_admin_cannot_deactivate_themselves(finance_admin):
    with pytest.raises(ValidationError, match="不能停用本人的账号，请由其他管理员操作"):
        services.staff_user_active_set(user=finance_admin, active=False, acting_user=finance_admin)
    assert User.objects.get(pk=finance_admin.pk).is_active is True


def test_password_reset_gives_a_strong_temporary_password(budget, finance_admin):
    member = StaffFactory.create(username="member", display_name="王五", unit=budget)
    password = services.staff_password_reset_by_admin(user=member, acting_user=finance_admin)
    assert re.fullmatch(r"[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){3}", password)
    member.refresh_from_db()
    assert member.check_password(password)
    assert not member.check_password("pass-1234-abcd")
    assert member.password_must_change is True
    entry = AuditEntry.objects.get(action="edit", target_id=str(member.pk))
    assert entry.detail == {"changed": ["password"], "temporary_password": True}
    assert password not in str(entry.detail)
    # Two resets never give the same password.
    assert (
        services.staff_password_reset_by_admin(user=member, acting_user=finance_admin) != password
    )


def test_own_password_change_clears_the_temporary_flag(budget, finance_admin):
    member = StaffFactory.create(username="member", unit=budget)
    services.staff_password_reset_by_admin(user=member, acting_user=finance_admin)
    services.password_set(
        user=member, password="Mein-eigenes-2026", acting_user=member, how="change"
    )
    assert User.objects.get(pk=member.pk).password_must_change is False


def test_no_reset_of_oneself_or_of_a_stopped_account(budget, finance_admin):
    with pytest.raises(ValidationError, match="不能为本人重置密码"):
        services.staff_password_reset_by_admin(user=finance_admin, acting_user=finance_admin)
    member = StaffFactory.create(
        username="member", display_name="王五", unit=budget, is_active=False
    )
    with pytest.raises(ValidationError, match="账号“王五”已停用，请先启用再重置密码"):
        services.staff_password_reset_by_admin(user=member, acting_user=finance_admin)
    assert User.objects.get(pk=member.pk).password_must_change is False
