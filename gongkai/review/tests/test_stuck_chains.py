"""Review chains that can never finish (issue 19 item 7): a level nobody may decide at.

Submitting there is refused with the level and organisation named; saving a chain and removing
the last reviewer of a level warn; the administrators' dashboard counts what is stuck.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role, RoleAssignment
from gongkai.accounts.services import role_revoke
from gongkai.accounts.tests.factories import RoleAssignmentFactory
from gongkai.catalogue.services import item_create
from gongkai.core.models import AuditEntry
from gongkai.review import chain_services as cs
from gongkai.review.chain_models import ContentVersion, ReviewChain, ReviewRequest
from gongkai.review.selectors import stuck_review_requests

STUCK_AT_2 = (
    "“杭东市财政局”的第2级（复审）没有审核人，提交后无法审核完成，请联系政务公开管理员配置审核人"
)


@pytest.fixture
def finance(org_tree):
    return org_tree["finance"]


@pytest.fixture
def editor(finance, make_staff):
    return make_staff(Role.EDITOR, finance, username="editor")


@pytest.fixture
def admin(finance, make_staff):
    return make_staff(Role.ADMIN, finance, username="ogi_admin")


def _item(editor, finance, title="关于开展植树活动的通知"):
    return item_create(
        organisation=finance,
        data={
            "title": title,
            "written_date": timezone.localdate(),
            "summary": "植树。",
            "body": "<p>正文。</p>",
        },
        acting_user=editor,
    )


def _reviewer(make_staff, org, username, level):
    return make_staff(Role.REVIEWER, org, username=username, review_level=level)


def test_submit_refused_when_a_level_has_no_reviewer(editor, finance, make_staff):
    _reviewer(make_staff, finance, "r1", 1)
    _reviewer(make_staff, finance, "r3", 3)
    item = _item(editor, finance)
    versions_before = ContentVersion.objects.count()
    with pytest.raises(ValidationError, match=STUCK_AT_2):
        cs.review_submit(content=item, acting_user=editor)
    item.refresh_from_db()
    assert item.status == "draft"
    assert not ReviewRequest.objects.exists()
    assert ContentVersion.objects.count() == versions_before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SUBMIT).exists()


def test_submitter_alone_at_a_level_does_not_count(editor, finance, make_staff):
    _reviewer(make_staff, finance, "r1", 1)
    _reviewer(make_staff, finance, "r3", 3)
    # The editor also reviews at level 2, but nobody reviews what they submitted.
    RoleAssignmentFactory.create(
        user=editor, organisation=finance, role=Role.REVIEWER, review_level=2
    )
    item = _item(editor, finance)
    with pytest.raises(ValidationError, match=STUCK_AT_2):
        cs.review_submit(content=item, acting_user=editor)
    assert not ReviewRequest.objects.exists()


def test_inherited_reviewer_fills_the_level(editor, finance, org_tree, make_staff):
    _reviewer(make_staff, finance, "r1", 1)
    make_staff(
        Role.REVIEWER, org_tree["city"], username="r2city", review_level=2, include_descendants=True
    )
    _reviewer(make_staff, finance, "r3", 3)
    request = cs.review_submit(content=_item(editor, finance), acting_user=editor)
    assert (request.level, request.levels) == (1, 3)
    assert stuck_review_requests(None) == []


def test_submit_page_shows_the_refusal(client, editor, finance, make_staff):
    _reviewer(make_staff, finance, "r1", 1)
    item = _item(editor, finance)
    client.force_login(editor)
    response = client.post(reverse("staff:workflow_submit", args=["item", item.pk]), follow=True)
    html = response.content.decode()
    assert STUCK_AT_2 in html
    item.refresh_from_db()
    assert item.status == "draft"


def test_saving_a_chain_warns_about_levels_without_reviewers(client, admin, finance, make_staff):
    _reviewer(make_staff, finance, "r1", 1)
    client.force_login(admin)
    response = client.post(
        reverse("staff:workflow_chains"),
        {"organisation": finance.pk, "content_kind": "item", "levels": "2"},
        follow=True,
    )
    html = response.content.decode()
    assert "已保存审核流程设置。" in html
    assert "“杭东市财政局”的政府信息审核第2级（终审）没有审核人，提交后无法审核完成" in html
    # A warning, not a refusal: the chain is saved.
    assert ReviewChain.objects.get(organisation=finance, content_kind="item").levels == 2


def test_saving_a_fully_staffed_chain_does_not_warn(client, admin, finance, make_staff):
    _reviewer(make_staff, finance, "r1", 1)
    client.force_login(admin)
    response = client.post(
        reverse("staff:workflow_chains"),
        {"organisation": finance.pk, "content_kind": "item", "levels": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "已保存审核流程设置。" in html
    assert "提交后无法审核完成" not in html


def test_stuck_item_on_dashboard_and_chains_page(client, admin, editor, finance, make_staff):
    r1 = _reviewer(make_staff, finance, "r1", 1)
    r2 = _reviewer(make_staff, finance, "r2", 2)
    _reviewer(make_staff, finance, "r3", 3)
    request = cs.review_submit(content=_item(editor, finance), acting_user=editor)
    cs.review_submit(content=_item(editor, finance, "另一条通知"), acting_user=editor)
    cs.review_decide(request=request, decision="approve", acting_user=r1)
    client.force_login(admin)

    def dashboard_count():
        html = client.get(reverse("staff:dashboard")).content.decode()
        assert f'href="{reverse("staff:workflow_chains")}#h-stuck"' in html
        return html.split('class="stat-review-stuck">', 1)[1].split("<", 1)[0]

    assert dashboard_count() == "0"
    # The last 复审 reviewer leaves: the item at level 2 can never finish.
    role_revoke(assignment=RoleAssignment.objects.get(user=r2), acting_user=None)
    assert [r.pk for r in stuck_review_requests(None)] == [request.pk]
    assert dashboard_count() == "1"
    page = client.get(reverse("staff:workflow_chains")).content.decode()
    assert "<td>关于开展植树活动的通知</td><td>杭东市财政局</td><td>第2级</td>" in page
    assert "“杭东市财政局”的政府信息审核第2级（复审）没有审核人" in page
    # Only the author at level 2 is still stuck: nobody reviews their own draft.
    RoleAssignmentFactory.create(
        user=editor, organisation=finance, role=Role.REVIEWER, review_level=2
    )
    assert dashboard_count() == "1"
    _reviewer(make_staff, finance, "r2b", 2)
    assert dashboard_count() == "0"
    assert stuck_review_requests(None) == []


def test_editor_sees_no_stuck_panel(client, editor):
    client.force_login(editor)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert "stat-review-stuck" not in html


def test_admin_removing_the_last_reviewer_warns(client, finance, make_staff, django_user_model):
    su = django_user_model.objects.create_superuser("root", "root@example.com", "pass-1234-abcd")
    r1 = _reviewer(make_staff, finance, "r1", 1)
    _reviewer(make_staff, finance, "r2", 2)
    _reviewer(make_staff, finance, "r3", 3)
    client.force_login(su)
    assignment = RoleAssignment.objects.get(user=r1)
    response = client.post(
        reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]),
        {"post": "yes"},
        follow=True,
    )
    html = response.content.decode()
    assert (
        "已移除该级别的最后一名审核人：“杭东市财政局”的政府信息审核第1级（初审）没有审核人，"
        "在该机构提交审核将被拒绝"
    ) in html
    assert not RoleAssignment.objects.filter(user=r1).exists()


def test_admin_removing_one_of_two_reviewers_does_not_warn(
    client, finance, make_staff, django_user_model
):
    su = django_user_model.objects.create_superuser("root", "root@example.com", "pass-1234-abcd")
    r1 = _reviewer(make_staff, finance, "r1", 1)
    _reviewer(make_staff, finance, "r1b", 1)
    client.force_login(su)
    assignment = RoleAssignment.objects.get(user=r1)
    response = client.post(
        reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]),
        {"post": "yes"},
        follow=True,
    )
    assert "已移除该级别的最后一名审核人" not in response.content.decode()
