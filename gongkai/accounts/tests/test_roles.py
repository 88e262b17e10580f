import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role, RoleAssignment, User
from gongkai.accounts.selectors import user_has_role
from gongkai.accounts.services import role_assign, role_revoke, staff_user_create
from gongkai.core.models import AuditEntry


@pytest.mark.django_db
def test_staff_user_create_and_role_lifecycle_are_audited(org_tree):
    root = User.objects.create_superuser("root", password="pass-1234-abcd")
    clerk = staff_user_create(
        username="wangwu", password="Gongkai-2026-x", display_name="王五", acting_user=root
    )
    assert (clerk.kind, clerk.is_staff) == ("staff", False)
    assignment = role_assign(
        user=clerk,
        organisation=org_tree["finance"],
        role=Role.REVIEWER,
        review_level=2,
        acting_user=root,
    )
    assert user_has_role(clerk, org_tree["finance"], Role.REVIEWER)
    role_revoke(assignment=assignment, acting_user=root)
    assert not RoleAssignment.objects.exists()
    rows = list(
        AuditEntry.objects.order_by("id").values_list(
            "action", "actor_id", "target_id", "organisation_id"
        )
    )
    assert rows == [
        ("create", root.pk, str(clerk.pk), None),
        ("permission", root.pk, str(clerk.pk), org_tree["finance"].pk),
        ("permission", root.pk, str(clerk.pk), org_tree["finance"].pk),
    ]
    details = [
        e.detail["change"] for e in AuditEntry.objects.filter(action="permission").order_by("id")
    ]
    assert details == ["assign", "revoke"]


@pytest.mark.django_db
def test_role_assign_refuses_public_accounts_bad_levels_and_duplicates(
    org_tree, public_user, make_staff
):
    with pytest.raises(ValidationError, match="只能给工作人员账号授予角色"):
        role_assign(
            user=public_user, organisation=org_tree["city"], role=Role.EDITOR, acting_user=None
        )
    editor = make_staff(Role.EDITOR, org_tree["city"])
    with pytest.raises(ValidationError, match="审核人须指定审核级别"):
        role_assign(
            user=editor, organisation=org_tree["city"], role=Role.REVIEWER, acting_user=None
        )
    with pytest.raises(ValidationError, match="只有审核人才有审核级别"):
        role_assign(
            user=editor,
            organisation=org_tree["city"],
            role=Role.ADMIN,
            review_level=1,
            acting_user=None,
        )
    with pytest.raises(ValidationError, match="已在 杭东市人民政府 拥有该角色"):
        role_assign(user=editor, organisation=org_tree["city"], role=Role.EDITOR, acting_user=None)
    assert RoleAssignment.objects.count() == 1
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_staff_user_create_refuses_taken_name(org_tree, make_staff):
    make_staff(Role.EDITOR, org_tree["city"], username="editor")
    with pytest.raises(ValidationError, match="已被使用"):
        staff_user_create(username="EDITOR", password=None, display_name="x", acting_user=None)
    assert User.objects.count() == 1
