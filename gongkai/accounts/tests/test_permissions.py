import pytest
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.accounts.permissions import (
    can_edit_item,
    can_handle_foi,
    can_review_item,
    can_view_item_draft,
)
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.tests.factories import InformationItemFactory


def make_item(org, serial: int, status: str = InformationItem.Status.DRAFT) -> InformationItem:
    return InformationItemFactory.create(
        index_number=f"{org.code}/2026-{serial:05d}",
        organisation=org,
        title=f"测试信息{serial}",
        status=status,
    )


@pytest.mark.django_db
def test_department_editor_cannot_touch_another_departments_items(org_tree, make_staff):
    finance_editor = make_staff(Role.EDITOR, org_tree["finance"])
    own = make_item(org_tree["finance"], 1)
    other = make_item(org_tree["office"], 2)
    assert can_edit_item(finance_editor, own) is True
    assert can_edit_item(finance_editor, other) is False
    assert can_view_item_draft(finance_editor, own) is True
    assert can_view_item_draft(finance_editor, other) is False
    # An editor is not a reviewer.
    assert can_review_item(finance_editor, own) is False


@pytest.mark.django_db
def test_roles_do_not_leak_down_or_up_the_tree_without_include_descendants(org_tree, make_staff):
    city_editor = make_staff(Role.EDITOR, org_tree["city"])
    district_admin = make_staff(Role.ADMIN, org_tree["district"], include_descendants=True)
    edu_item = make_item(org_tree["district_edu"], 3)
    city_item = make_item(org_tree["city"], 4)
    assert can_edit_item(city_editor, edu_item) is False
    assert can_edit_item(district_admin, edu_item) is True  # 管理员 implies 编辑 in its subtree
    assert can_review_item(district_admin, edu_item) is True
    assert can_edit_item(district_admin, city_item) is False


@pytest.mark.django_db
def test_public_and_anonymous_users_never_pass(org_tree, public_user, make_staff):
    from django.contrib.auth.models import AnonymousUser

    item = make_item(org_tree["finance"], 5)
    assert can_edit_item(public_user, item) is False
    assert can_view_item_draft(AnonymousUser(), item) is False
    assert can_handle_foi(public_user, item) is False
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    assert can_handle_foi(handler, item) is True
    assert can_edit_item(handler, item) is False


@pytest.mark.django_db
def test_rules_do_not_open_django_model_permissions(org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    item = make_item(org_tree["finance"], 6)
    assert editor.has_perm("catalogue.change_informationitem", item) is False
    assert editor.has_perm("catalogue.change_informationitem") is False


@pytest.mark.django_db
def test_staff_required_redirects_anonymous_to_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/"


@pytest.mark.django_db
def test_staff_required_refuses_public_accounts_with_chinese_403(client, public_user):
    client.force_login(public_user)
    response = client.get("/staff/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "此页面仅限工作人员访问" in html
    assert '<html lang="zh-CN">' in html


@pytest.mark.django_db
def test_dashboard_shows_roles_and_own_organisation_counts(
    client, org_tree, make_staff, django_assert_max_num_queries
):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    make_item(org_tree["finance"], 1)
    make_item(org_tree["finance"], 2, InformationItem.Status.RETURNED)
    make_item(org_tree["finance"], 3, InformationItem.Status.PUBLISHED)
    make_item(org_tree["office"], 4)  # another department: never counted
    make_item(org_tree["office"], 5, InformationItem.Status.PUBLISHED)
    client.force_login(editor)
    # 9: the navigation reads the user's roles once (issue 15: menus by role).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("staff:dashboard"))
    assert response.status_code == 200
    assert response.context["draft_count"] == 2
    assert response.context["published_count"] == 1
    counts = {s["status"]: s["count"] for s in response.context["status_counts"]}
    assert counts == {
        "draft": 1,
        "in_review": 0,
        "returned": 1,
        "approved": 0,
        "published": 1,
        "withdrawn": 0,
    }
    html = response.content.decode()
    assert "杭东市财政局" in html
    assert "编辑" in html


@pytest.mark.django_db
def test_superuser_dashboard_counts_every_organisation(client, org_tree, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pass-1234-abcd")
    make_item(org_tree["finance"], 1)
    make_item(org_tree["office"], 2)
    client.force_login(admin)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert response.context["all_organisations"] is True
    assert response.context["draft_count"] == 2
