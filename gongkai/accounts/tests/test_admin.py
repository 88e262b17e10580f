import pytest

from gongkai.accounts.models import Role, RoleAssignment, User
from gongkai.core.models import AuditEntry


@pytest.fixture
def admin_client(client, db):
    root = User.objects.create_superuser("root", password="pass-1234-abcd")
    client.force_login(root)
    client.root = root
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/organisation/",
        "/admin/accounts/organisation/add/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/roleassignment/",
        "/admin/accounts/roleassignment/add/",
        "/admin/accounts/internalunit/",
        "/admin/core/auditentry/",
    ],
)
def test_admin_pages_open(admin_client, org_tree, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_audit_entries_cannot_be_added_or_deleted_in_admin(admin_client):
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403
    entry = AuditEntry.objects.create(action="login", actor_name="x")
    assert admin_client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.post(f"/admin/core/auditentry/{entry.pk}/change/", {}).status_code == 403


@pytest.mark.django_db
def test_role_granted_in_admin_is_audited(admin_client, org_tree, make_staff):
    clerk = make_staff(Role.EDITOR, org_tree["city"])
    response = admin_client.post(
        "/admin/accounts/roleassignment/add/",
        {
            "user": clerk.pk,
            "organisation": org_tree["finance"].pk,
            "role": Role.FOI_HANDLER,
            "review_level": 0,
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=clerk, organisation=org_tree["finance"], role=Role.FOI_HANDLER
    ).exists()
    entry = AuditEntry.objects.get(action="permission")
    assert (entry.actor_id, entry.detail["change"], entry.detail["role"]) == (
        admin_client.root.pk,
        "assign",
        "foi_handler",
    )


@pytest.mark.django_db
def test_admin_refuses_role_for_public_account(admin_client, org_tree, public_user):
    response = admin_client.post(
        "/admin/accounts/roleassignment/add/",
        {
            "user": public_user.pk,
            "organisation": org_tree["city"].pk,
            "role": Role.EDITOR,
            "review_level": 0,
        },
    )
    assert response.status_code == 200
    assert "只能给工作人员账号授予角色" in response.content.decode()
    assert not RoleAssignment.objects.exists()
    assert not AuditEntry.objects.filter(action="permission").exists()
