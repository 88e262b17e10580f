import pytest

from gongkai.accounts.models import Role


@pytest.fixture
def editor(org_tree, make_staff):
    """An editor of 杭东市财政局 (code 113301000024900002)."""
    return make_staff(Role.EDITOR, org_tree["finance"], username="finance_editor")


@pytest.fixture
def office_editor(org_tree, make_staff):
    return make_staff(Role.EDITOR, org_tree["office"], username="office_editor")
