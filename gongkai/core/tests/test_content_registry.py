"""A content kind that only the tests know (``tests.throwaway_kind``: a 公告) is reviewed,
checked, versioned, searched, published, announced and withdrawn by the platform without any
app knowing it: it registered itself in its AppConfig.ready(), as ARCHITECTURE.md's walkthrough
says. Nothing here touches review, search or core internals — only their public services."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.core import content
from gongkai.core.models import AuditEntry
from gongkai.core.signals import content_changed, content_published, content_withdrawn
from gongkai.review import chain_services as cs
from gongkai.review.models import ContentVersion, ReviewRequest
from gongkai.search.selectors import run_search
from tests.throwaway_kind.models import Notice
from tests.throwaway_kind.services import notice_create, notice_publish


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path):
    settings.GONGKAI_SEARCH_DIR = tmp_path / "search"


@pytest.fixture
def announced():
    heard: list[tuple[str, str, int]] = []

    def listener(signal_name):
        def receive(sender, instance, kind, **kwargs):
            heard.append((signal_name, kind, instance.pk))

        return receive

    receivers = {
        content_published: listener("published"),
        content_withdrawn: listener("withdrawn"),
        content_changed: listener("changed"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield heard
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def _keys(q, **kw):
    return {h["key"] for h in run_search(q=q, page_size=50, **kw).hits}


@pytest.mark.django_db
def test_a_registered_kind_is_reviewed_searched_published_and_announced(
    org_tree, make_staff, announced, django_capture_on_commit_callbacks
):
    entry = content.get("notice")
    assert entry is not None
    assert entry.model_label == "throwaway_kind.Notice"
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance, username="notice_editor")
    reviewer = make_staff(Role.REVIEWER, finance, username="notice_rev", review_level=1)
    admin = make_staff(Role.ADMIN, finance, username="notice_admin")
    cs.review_chain_set(organisation=finance, content_kind="notice", levels=1, acting_user=admin)
    WordlistEntryFactory.create(word="共合国", category="typo", suggestion="共和国")

    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_create(
            organisation=finance,
            title="关于春节期间办事大厅开放时间的公告",
            body="共合国法定节假日期间，办事大厅照常开放。",
            acting_user=editor,
        )
    # The draft's first version is a change, announced once committed.
    assert announced == [("changed", "notice", notice.pk)]
    # Searched as a draft by staff of its organisation, not by the public.
    key = f"notice:{notice.pk}"
    assert key not in _keys("办事大厅开放时间", user=None)
    assert key in _keys("办事大厅开放时间", user=editor, staff_scope=True)

    # Reviewed: the checks apply (the typo is found), the chain takes it, a version is kept.
    request = cs.review_submit(content=notice, acting_user=editor)
    assert (request.state, request.content_kind, request.levels) == ("in_review", "notice", 1)
    assert [f.match for f in cs.adapter_for(notice).findings(notice)] == ["共合国"]
    versions = ContentVersion.objects.filter(object_id=notice.pk, content_type__model="notice")
    assert versions.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        outcome = cs.review_decide(request=request, decision="approve", acting_user=reviewer)
    assert outcome.published is True

    # Published by the one publish step, the approving reviewer as actor, and announced.
    notice.refresh_from_db()
    assert notice.status == "published"
    publish_row = AuditEntry.objects.get(action="publish", target_type="throwaway_kind.notice")
    assert (publish_row.actor, publish_row.actor_name) == (reviewer, reviewer.get_full_name())
    assert announced[1:] == [("published", "notice", notice.pk)]
    assert ReviewRequest.objects.get(pk=request.pk).state == "published"
    assert key in _keys("办事大厅开放时间", user=None)

    # Withdrawn through the chain: announced, and gone from public search.
    with django_capture_on_commit_callbacks(execute=True):
        cs.review_withdraw(content=notice, reason="活动取消", acting_user=editor)
    notice.refresh_from_db()
    assert notice.status == "withdrawn"
    assert announced[-1] == ("withdrawn", "notice", notice.pk)
    assert key not in _keys("办事大厅开放时间", user=None)


@pytest.mark.django_db
def test_the_kind_publishes_only_through_the_one_publish_step(org_tree, make_staff):
    # The template new kinds copy: its publish service is the chain's step, so it refuses
    # what the chain has not approved, and publishes once.
    finance = org_tree["finance"]
    editor = make_staff(Role.EDITOR, finance, username="notice_editor")
    reviewer = make_staff(Role.REVIEWER, finance, username="notice_rev", review_level=1)
    admin = make_staff(Role.ADMIN, finance, username="notice_admin")
    cs.review_chain_set(organisation=finance, content_kind="notice", levels=1, acting_user=admin)
    notice = notice_create(
        organisation=finance,
        title="关于暂停受理窗口业务的公告",
        body="系统升级。",
        acting_user=editor,
    )

    def publications():
        return AuditEntry.objects.filter(
            action="publish", target_type="throwaway_kind.notice", target_id=str(notice.pk)
        )

    with pytest.raises(
        ValidationError, match="“关于暂停受理窗口业务的公告”未经审核流程终审通过，不能发布"
    ):
        notice_publish(notice=notice, acting_user=editor)
    stored = Notice.objects.get(pk=notice.pk)
    assert (stored.status, stored.published_date) == ("draft", None)
    assert not publications().exists()

    request = cs.review_submit(content=notice, acting_user=editor)
    assert cs.review_decide(request=request, decision="approve", acting_user=reviewer).published
    with pytest.raises(ValidationError, match="该公告已经发布"):
        notice_publish(notice=notice, acting_user=editor)
    assert publications().count() == 1


@pytest.mark.django_db
def test_an_unregistered_kind_is_refused_by_review(org_tree):
    assert content.get("no_such_kind") is None
    with pytest.raises(Exception, match="不支持审核的内容类型：no_such_kind"):
        cs.adapter_for_kind("no_such_kind")
    assert Notice.objects.count() == 0


@pytest.mark.django_db
def test_the_staff_navigation_is_built_from_the_registry(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["finance"], username="nav_editor")
    client.force_login(editor)
    page = client.get("/staff/").content.decode()
    nav = page[page.index('aria-label="工作台导航"') : page.index("</nav>")]
    # The built-in kinds in the apps' order, then the throw-away kind's own entry — which no
    # template names — before the workbench's fixed entries. An editor is not offered
    # 依申请公开 (issue 15, item 3).
    expected = (
        '<li><a href="/staff/">概览</a></li>\n'
        '        <li><a href="/staff/items/">政府信息</a></li>\n'
        '        <li><a href="/staff/interpretations/">政策解读</a></li>\n'
        '        <li><a href="/staff/qa/">政策问答</a></li>\n'
        '        <li><a href="/staff/interaction/">政民互动</a></li>\n'
        '        <li><a href="/staff/interaction/press/">新闻发布会</a></li>\n'
        '        <li><a href="/staff/interaction/concerns/">回应关切</a></li>\n'
        '        <li><a href="/staff/registers/">清单与台账</a></li>\n'
        '        <li><a href="/staff/participation/consultations/">意见征集</a></li>\n'
        '        <li><a href="/staff/workflow/">公告</a></li>\n'
        '        <li><a href="/staff/workflow/">先审后发</a></li>\n'
    )
    assert expected in nav
    content.unregister("notice")
    try:
        page = client.get("/staff/").content.decode()
    finally:
        from tests.throwaway_kind.content import register_content

        register_content()
    assert '<li><a href="/staff/workflow/">公告</a></li>' not in page
    last_kind_then_workflow = (
        '<li><a href="/staff/participation/consultations/">意见征集</a></li>\n'
        '        <li><a href="/staff/workflow/">先审后发'
    )
    assert last_kind_then_workflow in page
