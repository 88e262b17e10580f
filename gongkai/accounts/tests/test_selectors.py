from gongkai.accounts.models import Role
from gongkai.accounts.selectors import organisation_ids_for_role, user_has_role


def test_role_scope_is_own_organisation_only(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    assert organisation_ids_for_role(editor, Role.EDITOR) == {org_tree["finance"].pk}
    assert user_has_role(editor, org_tree["finance"], Role.EDITOR)
    assert not user_has_role(editor, org_tree["office"], Role.EDITOR)
    assert not user_has_role(editor, org_tree["finance"], Role.FOI_HANDLER)


def test_descendant_scope_covers_the_subtree(org_tree, make_staff):
    admin = make_staff(Role.ADMIN, org_tree["district"], include_descendants=True)
    assert organisation_ids_for_role(admin, Role.EDITOR) == {
        org_tree["district"].pk,
        org_tree["district_edu"].pk,
    }
    assert not user_has_role(admin, org_tree["city"], Role.EDITOR)
