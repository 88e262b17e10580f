"""Page tests moved from gongkai/checks/tests/test_item_checks.py (issue 11 item 7)."""

import pytest


@pytest.mark.django_db
def test_one_click_masking_of_an_item(client, policy_item, make_staff, org_tree):
    from gongkai.accounts.models import Role
    from gongkai.core.models import AuditEntry

    editor = make_staff(Role.EDITOR, org_tree["finance"])
    client.force_login(editor)
    response = client.post(f"/staff/review/items/{policy_item.pk}/mask/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/items/{policy_item.pk}/"
    policy_item.refresh_from_db()
    assert policy_item.body_text.splitlines()[0] == "联系人张三，身份证号11*************02X。"
    assert "11010519491231002X" not in policy_item.body
    edit = AuditEntry.objects.filter(action="edit", target_id=str(policy_item.pk)).get()
    assert edit.actor == editor
    assert edit.detail["changed"] == ["body"]
    # Nothing left to mask: no second edit.
    client.post(f"/staff/review/items/{policy_item.pk}/mask/")
    assert AuditEntry.objects.filter(action="edit", target_id=str(policy_item.pk)).count() == 1


@pytest.mark.django_db
def test_masking_needs_the_editor_role_of_the_item(client, policy_item, make_staff, org_tree):
    client.force_login(make_staff("editor", org_tree["district_edu"]))
    response = client.post(f"/staff/review/items/{policy_item.pk}/mask/")
    assert response.status_code == 403
    policy_item.refresh_from_db()
    assert "11010519491231002X" in policy_item.body
