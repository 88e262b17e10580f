import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.tests.factories import InternalUnitFactory
from gongkai.catalogue.models import Attachment, Audience, Column, InformationItem, TopicCategory
from gongkai.catalogue.services import item_create, item_publish
from gongkai.catalogue.tests.test_attachments import png_bytes
from gongkai.core.models import AuditEntry
from gongkai.review.chain_models import ReviewRequest
from gongkai.review.chain_services import review_decide, review_submit
from gongkai.review.testing import mark_approved
from gongkai.search.models import SearchChange


@pytest.fixture
def finance_item(org_tree, editor):
    return item_create(
        organisation=org_tree["finance"],
        data={"title": "财政局草稿", "written_date": datetime.date(2026, 1, 5)},
        acting_user=editor,
    )


def test_anonymous_and_public_users_kept_out(client, public_user):
    url = reverse("staff:items_list")
    response = client.get(url)
    assert response.status_code == 302
    client.force_login(public_user)
    assert client.get(url).status_code == 403


def test_list_shows_only_own_organisation_with_bounded_queries(
    client, org_tree, editor, office_editor, django_assert_max_num_queries
):
    topic = TopicCategory.objects.get(name="财政", parent__isnull=False)
    for n in range(35):
        item_create(
            organisation=org_tree["finance"],
            data={"title": f"财政信息{n}", "topic": topic},
            acting_user=editor,
        )
    item_create(
        organisation=org_tree["office"], data={"title": "办公厅信息"}, acting_user=office_editor
    )
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("staff:items_list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 35
    assert len(page.object_list) == 30
    content = response.content.decode()
    assert "办公厅信息" not in content
    assert "财政信息34" in content
    with django_assert_max_num_queries(10):
        second = client.get(reverse("staff:items_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_filters_by_status_and_column(client, org_tree, editor, finance_item):
    other = item_create(
        organisation=org_tree["finance"],
        data={"title": "通知公告里的", "columns": [Column.objects.get(slug="tzgg")]},
        acting_user=editor,
    )
    mark_approved(other)
    item_publish(item=other, acting_user=editor)
    client.force_login(editor)
    url = reverse("staff:items_list")
    published = client.get(url, {"status": "published"}).context["page"].object_list
    assert list(published) == [other]
    in_column = client.get(url, {"column": Column.objects.get(slug="tzgg").pk})
    assert list(in_column.context["page"].object_list) == [other]
    drafts = client.get(url, {"status": "draft"}).context["page"].object_list
    assert list(drafts) == [finance_item]


def test_create_with_all_metadata(client, org_tree, editor):
    unit = InternalUnitFactory.create(organisation=org_tree["finance"], name="预算处")
    topic = TopicCategory.objects.get(name="财政", parent__isnull=False)
    audiences = list(Audience.objects.filter(name__in=["企业", "社会组织"]))
    column = Column.objects.get(slug="zqjk")
    client.force_login(editor)
    form_page = client.get(reverse("staff:items_create"))
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert '<optgroup label="财政、金融、审计">' in html
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "关于进一步减轻企业负担的若干措施",
            "doc_number": "杭财〔2026〕12号",
            "written_date": "2026-03-10",
            "unit": unit.pk,
            "topic": topic.pk,
            "genre": "opinion",
            "audiences": [a.pk for a in audiences],
            "keywords": "减负 纾困",
            "summary": "十条措施。",
            "body": '<p>一、减免房租。<img src="x.png" onerror="alert(1)"></p>',
            "disclosure": "proactive",
            "disclosure_reason": "",
            "policy_kind": "normative",
            "columns": [column.pk],
        },
    )
    item = InformationItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:items_detail", args=[item.pk])
    assert item.index_number == "113301000024900002/2026-00001"
    assert (item.unit, item.topic, item.genre, item.policy_kind) == (
        unit,
        topic,
        "opinion",
        "normative",
    )
    assert item.body == '<p>一、减免房租。<img src="x.png"></p>'
    assert set(item.audiences.all()) == set(audiences)
    assert list(item.columns.all()) == [column]
    detail = client.get(response["Location"])
    assert "113301000024900002/2026-00001" in detail.content.decode()
    assert "创建" in detail.content.decode()  # the audit trail is shown


def test_create_withheld_without_reason_shows_error_and_saves_nothing(client, org_tree, editor):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {
            "organisation": org_tree["finance"].pk,
            "title": "人事档案",
            "disclosure": "withheld",
            "disclosure_reason": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "disclosure_reason": ["公开属性为“不予公开”时必须填写理由"]
    }
    assert InformationItem.objects.count() == 0


def test_cannot_create_for_another_organisation(client, org_tree, editor):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_create"),
        {"organisation": org_tree["office"].pk, "title": "冒名", "disclosure": "proactive"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert InformationItem.objects.count() == 0


def test_department_editor_gets_403_on_other_department_item(client, office_editor, finance_item):
    client.force_login(office_editor)
    pk = finance_item.pk
    assert client.get(reverse("staff:items_detail", args=[pk])).status_code == 403
    assert client.get(reverse("staff:items_edit", args=[pk])).status_code == 403
    assert (
        client.post(
            reverse("staff:items_edit", args=[pk]), {"title": "篡改", "disclosure": "proactive"}
        ).status_code
        == 403
    )
    assert client.post(reverse("staff:items_publish", args=[pk])).status_code == 403
    assert (
        client.post(reverse("staff:items_validity", args=[pk]), {"validity": "expired"}).status_code
        == 403
    )
    finance_item.refresh_from_db()
    assert (finance_item.title, finance_item.status, finance_item.validity) == (
        "财政局草稿",
        "draft",
        "valid",
    )
    assert AuditEntry.objects.filter(target_type="catalogue.informationitem").count() == 1


def test_edit_keeps_index_number(client, org_tree, editor, finance_item):
    client.force_login(editor)
    response = client.post(
        reverse("staff:items_edit", args=[finance_item.pk]),
        {"title": "改过的标题", "written_date": "2025-01-01", "disclosure": "proactive"},
    )
    assert response.status_code == 302
    finance_item.refresh_from_db()
    assert (finance_item.title, finance_item.index_number) == (
        "改过的标题",
        "113301000024900002/2026-00001",
    )
    assert finance_item.organisation == org_tree["finance"]


def test_publish_validity_withdraw_and_attachment_actions(
    client, org_tree, editor, finance_item, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    pk = finance_item.pk
    # 先审后发: the button submits to the review chain; this draft lacks the 目录 metadata, so
    # the chain refuses it, nothing is published, and the test publishes through the service.
    response = client.post(reverse("staff:items_publish", args=[pk]))
    assert response.url == reverse("staff:workflow_content", args=["item", pk])
    finance_item.refresh_from_db()
    assert finance_item.status == "draft"
    mark_approved(finance_item)
    item_publish(item=finance_item, acting_user=editor)
    finance_item.refresh_from_db()
    assert finance_item.status == "published"

    newer = item_create(
        organisation=org_tree["finance"], data={"title": "新文件"}, acting_user=editor
    )
    mark_approved(newer)
    item_publish(item=newer, acting_user=editor)
    client.post(
        reverse("staff:items_validity", args=[pk]),
        {"validity": "amended", "validity_date": "2026-04-01", "replaced_by": newer.index_number},
    )
    finance_item.refresh_from_db()
    assert (finance_item.validity, finance_item.replaced_by) == ("amended", newer)
    detail = client.get(reverse("staff:items_detail", args=[pk])).content.decode()
    assert "本文件已于2026年4月1日被《新文件》修改" in detail

    response = client.post(
        reverse("staff:items_validity", args=[pk]),
        {"validity": "repealed", "validity_date": "", "replaced_by": ""},
        follow=True,
    )
    assert "有效性为“废止”时必须填写日期" in response.content.decode()

    client.post(reverse("staff:items_withdraw", args=[pk]), {"reason": "内容需更新"})
    finance_item.refresh_from_db()
    assert finance_item.status == "withdrawn"
    # Withdrawn, the item is edited directly again (a published one only through its 修订稿).
    response = client.post(
        reverse("staff:items_attachment_add", args=[pk]),
        {"file": SimpleUploadedFile("假的.pdf", png_bytes())},
        follow=True,
    )
    assert "附件“假的.pdf”的内容与扩展名不符：扩展名表示PDF文档，实际内容是PNG图片" in (
        response.content.decode()
    )
    assert Attachment.objects.count() == 0
    client.post(
        reverse("staff:items_attachment_add", args=[pk]),
        {"file": SimpleUploadedFile("一图读懂.png", png_bytes())},
    )
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["一图读懂.png"]


@pytest.fixture
def reviewed_item(org_tree, editor, reviewers):
    """A finance item published by the default chain's three levels: its review request reads
    已发布 at level 3, as the review page's 撤回 finds it."""
    item = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "关于2026年财政预算公开的通知",
            "written_date": timezone.localdate(),
            "summary": "2026年市级部门预算公开安排。",
        },
        acting_user=editor,
    )
    request = review_submit(content=item, acting_user=editor)
    for level in (1, 2, 3):
        review_decide(request=request, decision="approve", acting_user=reviewers[level])
    item.refresh_from_db()
    request.refresh_from_db()
    assert (item.status, request.state, request.level) == ("published", "published", 3)
    return item, request


def _withdrawals(item):
    return AuditEntry.objects.filter(
        target_type="catalogue.informationitem",
        target_id=str(item.pk),
        action=AuditEntry.Action.WITHDRAW,
    )


def test_withdraw_from_the_item_page_takes_the_review_road(
    client, editor, reviewed_item, announced, django_capture_on_commit_callbacks
):
    item, request = reviewed_item
    public_url = reverse("portal:item_detail", args=[item.pk])
    assert client.get(public_url).status_code == 200
    logged = SearchChange.objects.filter(key=f"item:{item.pk}").count()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:items_withdraw", args=[item.pk]),
            {"reason": "  预算表数据有误，更正后重新发布 "},
            follow=True,
        )
    assert response.redirect_chain == [(reverse("staff:items_detail", args=[item.pk]), 302)]
    assert "已撤回。" in response.content.decode()
    item.refresh_from_db()
    request.refresh_from_db()
    # The review page's road: the request follows the item, so a resubmission starts at 1.
    assert (item.status, request.state, request.level) == ("withdrawn", "withdrawn", 0)
    entry = _withdrawals(item).get()
    assert (entry.actor, entry.detail) == (editor, {"reason": "预算表数据有误，更正后重新发布"})
    assert announced == [("withdrawn", "item", item.pk)]
    # The status write (model signal) and the content_withdrawn hook: one change-log row each.
    assert SearchChange.objects.filter(key=f"item:{item.pk}").count() == logged + 2
    client.logout()
    assert client.get(public_url).status_code == 404
    assert review_submit(content=item, acting_user=editor).level == 1


def test_a_refused_withdrawal_from_the_item_page_changes_nothing(
    client, org_tree, editor, office_editor, reviewers, reviewed_item, announced
):
    item, request = reviewed_item
    in_review = item_create(
        organisation=org_tree["finance"],
        data={
            "title": "关于2026年政府采购意向公开的通知",
            "written_date": timezone.localdate(),
            "summary": "2026年政府采购意向公开安排。",
        },
        acting_user=editor,
    )
    pending = review_submit(content=in_review, acting_user=editor)
    logged = SearchChange.objects.count()
    items = {
        "target_type": "catalogue.informationitem",
        "target_id__in": [str(item.pk), str(in_review.pk)],
    }
    audited = sorted(AuditEntry.objects.filter(**items).values_list("action", "pk"))
    # Both created and submitted; the first approved at three levels and published.
    assert [action for action, _pk in audited] == [
        *["approve"] * 3,
        "create",
        "create",
        "publish",
        "submit",
        "submit",
    ]

    def state():
        return [
            (obj.status, review.state, review.level)
            for obj, review in (
                (InformationItem.objects.get(pk=item.pk), ReviewRequest.objects.get(pk=request.pk)),
                (
                    InformationItem.objects.get(pk=in_review.pk),
                    ReviewRequest.objects.get(pk=pending.pk),
                ),
            )
        ]

    before = state()
    assert before == [("published", "published", 3), ("in_review", "in_review", 1)]
    url = reverse("staff:items_withdraw", args=[item.pk])
    # Without the 编辑 role in the item's organisation: another bureau's editor, a reviewer.
    for outsider in (office_editor, reviewers[3]):
        client.force_login(outsider)
        assert client.post(url, {"reason": "内容有误"}).status_code == 403
    # The road's own refusals, in the review page's words: no reason; not published.
    client.force_login(editor)
    refused = (
        (url, {"reason": "  "}, "撤回必须填写理由"),
        (
            reverse("staff:items_withdraw", args=[in_review.pk]),
            {"reason": "内容有误"},
            "只有已发布的内容可以撤回",
        ),
    )
    for target, data, message in refused:
        response = client.post(target, data, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "已撤回。" not in response.content.decode()
    assert state() == before
    # (Signing in is audited too: only the items' own rows are compared.)
    assert sorted(AuditEntry.objects.filter(**items).values_list("action", "pk")) == audited
    assert not _withdrawals(item).exists()
    assert SearchChange.objects.count() == logged
    assert announced == []
    assert client.get(reverse("portal:item_detail", args=[item.pk])).status_code == 200


def test_city_admin_with_descendants_sees_department_items(
    client, org_tree, make_staff, finance_item
):
    admin = make_staff(Role.ADMIN, org_tree["city"], include_descendants=True)
    client.force_login(admin)
    assert client.get(reverse("staff:items_detail", args=[finance_item.pk])).status_code == 200
    assert client.get(reverse("staff:items_edit", args=[finance_item.pk])).status_code == 200


def test_admin_configuration_pages(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.cn", "pass-1234-abcd")
    client.force_login(admin)
    for model in ("column", "topiccategory", "audience", "page"):
        response = client.get(reverse(f"admin:catalogue_{model}_changelist"))
        assert response.status_code == 200, model
    response = client.get(reverse("admin:catalogue_topiccategory_changelist"), {"q": "医药管理"})
    assert "卫生、体育" in response.content.decode()


def test_admin_page_body_is_sanitised(client, django_user_model):
    from gongkai.catalogue.models import Page

    admin = django_user_model.objects.create_superuser("root", "root@example.cn", "pass-1234-abcd")
    client.force_login(admin)
    response = client.post(
        reverse("admin:catalogue_page_add"),
        {
            "slug": "annual",
            "title": "年报说明",
            "body": '<p onclick="x()">说明<script>y()</script></p>',
        },
    )
    assert response.status_code == 302
    assert Page.objects.get(slug="annual").body == "<p>说明</p>"
