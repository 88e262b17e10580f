"""修订稿 (ADR 0005): a correction of published content goes through the review chain while the
public keeps seeing the approved version; the publish services refuse unapproved content;
withdrawal and validity changes stay immediate and audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Attachment, InformationItem
from gongkai.catalogue.selectors import public_items
from gongkai.catalogue.services import (
    attachment_add,
    item_create,
    item_publish,
    item_revision_open,
    item_set_validity,
    item_update,
    item_withdraw,
)
from gongkai.catalogue.tests.test_attachments import pdf_bytes
from gongkai.core.models import AuditEntry
from gongkai.core.status import ContentStatus
from gongkai.policies import services as policy_services
from gongkai.policies.models import Interpretation, QAEntry
from gongkai.review import chain_services as cs
from gongkai.review.models import ContentVersion, ReviewRequest
from gongkai.review.tests.factories import ReviewChainFactory
from gongkai.search.engine import get_engine
from gongkai.search.selectors import run_search

ID_NUMBER = "11010519491231002X"  # valid check character (GB 11643)
OLD_BODY = "<p>各单位：请按要求组织植树。</p>"
NEW_BODY = f"<p>各单位：请按要求组织植树。联系人身份证号码 {ID_NUMBER}。</p>"


@pytest.fixture
def finance(org_tree):
    return org_tree["finance"]


@pytest.fixture
def editor(finance, make_staff):
    user = make_staff(Role.EDITOR, finance, username="editor")
    user.display_name = "编辑甲"
    user.save(update_fields=["display_name"])
    return user


@pytest.fixture
def reviewers(finance, make_staff):
    users = {}
    for n in (1, 2, 3):
        users[n] = make_staff(Role.REVIEWER, finance, username=f"rev{n}", review_level=n)
        users[n].display_name = f"审核{n}"
        users[n].save(update_fields=["display_name"])
    return users


def _through_chain(content, editor, reviewers, *, override=""):
    request = cs.review_submit(content=content, acting_user=editor, override_reason=override)
    for n in (1, 2, 3):
        decision = "override" if override and n == 3 else "approve"
        cs.review_decide(
            request=request,
            decision=decision,
            acting_user=reviewers[n],
            comment="确属误报" if decision == "override" else "",
        )
    return request


def _form(item, **changes):
    data = {
        "title": item.title,
        "doc_number": item.doc_number,
        "written_date": item.written_date.isoformat() if item.written_date else "",
        "unit": "",
        "topic": "",
        "genre": item.genre,
        "keywords": item.keywords,
        "summary": item.summary,
        "body": item.body,
        "disclosure": item.disclosure,
        "disclosure_reason": item.disclosure_reason,
        "policy_kind": item.policy_kind,
    }
    data.update(changes)
    return data


@pytest.fixture
def live(editor, finance, reviewers):
    item = item_create(
        organisation=finance,
        data={
            "title": "关于开展2026年春季植树活动的通知",
            "written_date": timezone.localdate(),
            "summary": "部署春季植树工作。",
            "body": OLD_BODY,
            "genre": "notice",
        },
        acting_user=editor,
    )
    _through_chain(item, editor, reviewers)
    item.refresh_from_db()
    assert item.status == "published"
    return item


def _public_html(client, item):
    response = client.get(reverse("portal:item_detail", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_live_edit_with_id_number_stays_private_until_the_chain_approves(
    client, editor, reviewers, live
):
    get_engine().catch_up()
    client.force_login(editor)
    page = client.get(reverse("staff:items_edit", args=[live.pk])).content.decode()
    assert "本信息已发布。保存后生成修订稿" in page
    response = client.post(
        reverse("staff:items_edit", args=[live.pk]), _form(live, body=NEW_BODY), follow=True
    )
    revision = InformationItem.objects.get(revision_of=live)
    assert response.redirect_chain[-1][0] == reverse("staff:items_detail", args=[revision.pk])
    html = response.content.decode()
    assert "已保存为修订稿。请提交审核；终审通过后，修改才替换网站上的公开内容。" in html
    assert "修订稿（待审核）" in html
    assert (revision.status, revision.index_number) == ("draft", live.index_number)
    assert ID_NUMBER in revision.body

    # The public keeps the approved text: portal, API and search.
    client.logout()
    live.refresh_from_db()
    assert (live.status, live.body) == ("published", OLD_BODY)
    html = _public_html(client, live)
    assert "请按要求组织植树" in html
    assert ID_NUMBER not in html
    assert client.get(reverse("portal:item_detail", args=[revision.pk])).status_code == 404
    api = client.get(f"/api/v1/items/{live.pk}").json()
    assert ID_NUMBER not in api["body"]
    assert "联系人" not in api["body"]
    assert client.get(f"/api/v1/items/{revision.pk}").status_code == 404
    assert run_search(user=None, q="联系人").total == 0
    assert run_search(user=editor, q="联系人", staff_scope=True).total == 0
    assert list(public_items()) == [live]

    # In review, with the privacy finding: the author asks the final level to decide.
    with pytest.raises(ValidationError, match="自动检查发现阻止发布的问题"):
        cs.review_submit(content=revision, acting_user=editor)
    request = cs.review_submit(content=revision, acting_user=editor, override_reason="核对中")
    assert (request.state, request.level, request.title) == (
        "in_review",
        1,
        "修订稿：关于开展2026年春季植树活动的通知",
    )
    submit_row = AuditEntry.objects.get(action="submit", target_id=str(revision.pk))
    assert submit_row.detail["blocking"] == [
        f"正文：含有身份证号码“{ID_NUMBER}”，公开前应遮蔽为“11*************02X”"
    ]
    client.force_login(reviewers[1])
    review_page = client.get(reverse("staff:workflow_content", args=["item", revision.pk]))
    review_html = review_page.content.decode()
    assert f"含有身份证号码“{ID_NUMBER}”" in review_html
    assert "这是已发布内容的修订稿：终审通过后，其内容替换网站上的公开内容" in review_html
    assert f'href="/items/{live.pk}/"' in review_html
    client.logout()

    # The final level returns it: nothing changes publicly.
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[2])
    cs.review_decide(
        request=request, decision="return", acting_user=reviewers[3], comment="请遮蔽身份证号"
    )
    revision.refresh_from_db()
    assert revision.status == "returned"
    html = _public_html(client, live)
    assert ID_NUMBER not in html
    assert "联系人" not in html

    # Masked and approved: the live item now carries the correction.
    assert cs.content_mask_privacy(content=revision, acting_user=editor) == 1
    request = _through_chain(revision, editor, reviewers)
    live.refresh_from_db()
    revision.refresh_from_db()
    assert live.body == "<p>各单位：请按要求组织植树。联系人身份证号码 11*************02X。</p>"
    assert live.status == "published"
    html = _public_html(client, live)
    assert "联系人身份证号码 11*************02X" in html
    assert ID_NUMBER not in html
    api = client.get(f"/api/v1/items/{live.pk}").json()
    assert "联系人身份证号码 11*************02X" in api["body"]
    assert [h["key"] for h in run_search(user=None, q="联系人").hits] == [f"item:{live.pk}"]
    assert list(public_items()) == [live]

    # Closed, kept, never public; the live item's history spans both.
    assert revision.status == "approved"
    assert revision.revision_closed_at is not None
    request.refresh_from_db()
    assert request.state == "published"
    applied = (
        AuditEntry.objects.filter(action="publish", target_id=str(live.pk)).order_by("id").last()
    )
    assert applied.actor_name == "审核3"
    assert applied.detail == {"revision": revision.pk, "changed": ["body"], "approved_by": "审核3"}
    notes = [v.note for v in cs.versions_for(live)]
    assert notes[-1] == "第1稿·修订稿审核通过"
    assert "第2稿·生成修订稿" in notes
    assert ContentVersion.objects.filter(object_id=live.pk).count() == 2
    # A closed revision is not work to do: the staff list shows the live item only.
    client.force_login(editor)
    listing = client.get(reverse("staff:items_list")).content.decode()
    assert "修订稿（待审核）" not in listing
    with pytest.raises(ValidationError, match="该修订稿已关闭，不能再修改"):
        item_update(item=revision, data={"title": "再改"}, acting_user=editor)


def test_one_open_revision_listed_and_linked(client, editor, live):
    first = item_revision_open(item=live, acting_user=editor)
    assert item_revision_open(item=live, acting_user=editor) == first
    assert InformationItem.objects.filter(revision_of=live).count() == 1
    client.force_login(editor)
    # The edit button of the live item leads to the open revision.
    response = client.get(reverse("staff:items_edit", args=[live.pk]))
    assert response.url == reverse("staff:items_edit", args=[first.pk])
    listing = client.get(reverse("staff:items_list")).content.decode()
    assert "修订稿（待审核）" in listing
    assert reverse("staff:items_detail", args=[live.pk]) in listing
    detail = client.get(reverse("staff:items_detail", args=[live.pk])).content.decode()
    assert "本信息有一份修订稿正在修改或审核中" in detail
    assert reverse("staff:items_detail", args=[first.pk]) in detail


def test_a_returned_revision_never_shows(client, editor, reviewers, live):
    revision = item_revision_open(item=live, acting_user=editor)
    item_update(item=revision, data={"title": "关于暂停春季植树活动的通知"}, acting_user=editor)
    request = cs.review_submit(content=revision, acting_user=editor)
    cs.review_decide(request=request, decision="return", acting_user=reviewers[1], comment="不妥")
    live.refresh_from_db()
    assert live.title == "关于开展2026年春季植树活动的通知"
    html = _public_html(client, live)
    assert "暂停" not in html
    assert not public_items().filter(title__contains="暂停").exists()
    assert client.get(f"/api/v1/items/{revision.pk}").status_code == 404


def test_attachments_of_a_revision_are_public_only_after_approval(
    client, editor, reviewers, live, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(
        ValidationError,
        match="“关于开展2026年春季植树活动的通知”已发布，不能直接添加附件：请在修订稿中上传，审核通过后公开",
    ) as info:
        attachment_add(
            item=live,
            uploaded_file=SimpleUploadedFile("名单.pdf", pdf_bytes()),
            acting_user=editor,
        )
    assert info.value.messages == [
        "“关于开展2026年春季植树活动的通知”已发布，不能直接添加附件：请在修订稿中上传，审核通过后公开"
    ]
    assert Attachment.objects.count() == 0
    revision = item_revision_open(item=live, acting_user=editor)
    draft_file = attachment_add(
        item=revision,
        uploaded_file=SimpleUploadedFile("名单.pdf", pdf_bytes()),
        acting_user=editor,
    )
    download = reverse("portal:attachment_download", args=[draft_file.pk])
    assert client.get(download).status_code in (403, 404)
    html = _public_html(client, live)
    assert "名单.pdf" not in html
    assert live.attachments.count() == 0

    _through_chain(revision, editor, reviewers)
    (published_file,) = live.attachments.all()
    assert (published_file.original_name, published_file.sha256) == ("名单.pdf", draft_file.sha256)
    assert published_file.file.name == draft_file.file.name  # one stored file
    html = _public_html(client, live)
    assert "名单.pdf" in html
    response = client.get(reverse("portal:attachment_download", args=[published_file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    applied = (
        AuditEntry.objects.filter(action="publish", target_id=str(live.pk)).order_by("id").last()
    )
    assert applied.detail["changed"] == ["attachments"]


def _attachment_hrefs(html):
    import re

    return re.findall(r'href="([^"]*/attachments/[0-9]+/download/)"', html)


def test_attachment_links_in_the_body_keep_working_after_a_revision(
    client, editor, reviewers, finance, settings, tmp_path
):
    """The editor's 插入附件 links (full addresses of the attachment rows) survive a 修订稿:
    the revision links its own copies while the public page keeps the live rows, and the
    approved revision's page links the rows that replaced them."""
    settings.MEDIA_ROOT = tmp_path
    item = item_create(
        organisation=finance,
        data={
            "title": "关于公布2026年春季植树责任单位名单的通知",
            "written_date": timezone.localdate(),
            "summary": "公布春季植树责任单位。",
            "body": OLD_BODY,
            "genre": "notice",
        },
        acting_user=editor,
    )
    first = attachment_add(
        item=item, uploaded_file=SimpleUploadedFile("名单.pdf", pdf_bytes()), acting_user=editor
    )
    link = "http://testserver" + reverse("portal:attachment_download", args=[first.pk])
    item_update(
        item=item,
        data={"body": f'<p>责任单位见<a href="{link}">附件：名单.pdf</a>。</p>'},
        acting_user=editor,
    )
    _through_chain(item, editor, reviewers)
    item.refresh_from_db()
    assert _attachment_hrefs(_public_html(client, item)) == [
        link,
        link.replace("http://testserver", ""),
    ]

    revision = item_revision_open(item=item, acting_user=editor)
    (copy,) = revision.attachments.all()
    assert copy.pk != first.pk
    copy_link = "http://testserver" + reverse("portal:attachment_download", args=[copy.pk])
    assert _attachment_hrefs(revision.body) == [copy_link]
    # Until the revision is approved the public page and its link are the live item's own.
    assert _attachment_hrefs(_public_html(client, item))[0] == link
    item_update(
        item=revision,
        data={"body": revision.body.replace("责任单位见", "各责任单位见")},
        acting_user=editor,
    )
    _through_chain(revision, editor, reviewers)

    item.refresh_from_db()
    (published,) = item.attachments.all()
    published_link = "http://testserver" + reverse(
        "portal:attachment_download", args=[published.pk]
    )
    html = _public_html(client, item)
    assert "各责任单位见" in html
    body_href = _attachment_hrefs(html)[0]
    assert body_href == published_link
    response = client.get(body_href.replace("http://testserver", ""))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    applied = (
        AuditEntry.objects.filter(action="publish", target_id=str(item.pk)).order_by("id").last()
    )
    assert applied.detail["changed"] == ["body"]


def test_publish_services_refuse_unapproved_content(editor, finance, reviewers, make_staff):
    item = item_create(
        organisation=finance,
        data={
            "title": "未经审核的通知",
            "written_date": timezone.localdate(),
            "summary": "概述。",
            "body": "<p>正文。</p>",
            "genre": "notice",
        },
        acting_user=editor,
    )
    with pytest.raises(
        ValidationError, match="“未经审核的通知”未经审核流程终审通过，不能发布"
    ) as info:
        item_publish(item=item, acting_user=editor)
    assert info.value.messages == ["“未经审核的通知”未经审核流程终审通过，不能发布"]
    # In review, approved at level 1 of 3: still not the final level.
    request = cs.review_submit(content=item, acting_user=editor)
    cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="未经审核流程终审通过，不能发布"):
        item_publish(item=item, acting_user=None)
    item.refresh_from_db()
    assert (item.status, item.published_date) == ("in_review", None)
    assert not AuditEntry.objects.filter(action="publish").exists()

    reviewer = make_staff(Role.REVIEWER, finance)
    interp = policy_services.interpretation_create(
        organisation=finance, title="植树通知解读", body="<p>解读。</p>", acting_user=editor
    )
    with pytest.raises(
        ValidationError, match="“植树通知解读”未经审核流程终审通过，不能发布"
    ) as info:
        policy_services.interpretation_publish(interpretation=interp, acting_user=reviewer)
    assert info.value.messages == ["“植树通知解读”未经审核流程终审通过，不能发布"]
    entry = policy_services.qa_create(
        organisation=finance, question="何时植树？", answer="三月。", acting_user=editor
    )
    with pytest.raises(ValidationError, match="“何时植树？”未经审核流程终审通过，不能发布") as info:
        policy_services.qa_publish(entry=entry, acting_user=reviewer)
    assert info.value.messages == ["“何时植树？”未经审核流程终审通过，不能发布"]
    interp.refresh_from_db()
    entry.refresh_from_db()
    assert (interp.status, interp.published_date) == ("draft", None)
    assert (entry.status, entry.published_date) == ("draft", None)
    assert not AuditEntry.objects.filter(action="publish").exists()


def test_content_changed_after_approval_is_refused(editor, finance, reviewers):
    when = timezone.now() + datetime.timedelta(hours=2)
    item = item_create(
        organisation=finance,
        data={
            "title": "定时发布的通知",
            "written_date": timezone.localdate(),
            "summary": "概述。",
            "body": "<p>正文。</p>",
            "genre": "notice",
            "scheduled_at": when,
        },
        acting_user=editor,
    )
    _through_chain(item, editor, reviewers)
    item.refresh_from_db()
    assert item.status == "approved"
    item_update(item=item, data={"body": "<p>审核后偷改。</p>"}, acting_user=editor)
    message = "“定时发布的通知”在审核通过后被修改过，须重新提交审核"
    with pytest.raises(
        ValidationError, match="“定时发布的通知”在审核通过后被修改过，须重新提交审核"
    ) as info:
        cs.review_publish_due(now=when + datetime.timedelta(minutes=1))
    assert info.value.messages == [message]
    item.refresh_from_db()
    with pytest.raises(
        ValidationError, match="“定时发布的通知”在审核通过后被修改过，须重新提交审核"
    ) as info:
        item_publish(item=item, acting_user=None)
    assert info.value.messages == [message]
    item.refresh_from_db()
    assert (item.status, item.published_date) == ("approved", None)


def test_published_content_is_not_edited_in_place(editor, live, reviewers, finance):
    with pytest.raises(
        ValidationError,
        match="“关于开展2026年春季植树活动的通知”已发布，不能直接修改：请在修订稿中修改，审核通过后替换公开内容",
    ) as info:
        item_update(item=live, data={"body": NEW_BODY}, acting_user=editor)
    assert info.value.messages == [
        "“关于开展2026年春季植树活动的通知”已发布，不能直接修改：请在修订稿中修改，审核通过后替换公开内容"
    ]
    live.refresh_from_db()
    assert live.body == OLD_BODY
    interp = policy_services.interpretation_create(
        organisation=finance, title="植树通知解读", body="<p>解读。</p>", acting_user=editor
    )
    _through_chain(interp, editor, reviewers)
    with pytest.raises(
        ValidationError,
        match="已发布的内容不能直接修改：请在修订稿中修改，审核通过后替换公开内容。",
    ) as info:
        policy_services.interpretation_update(
            interpretation=interp, body="<p>改。</p>", acting_user=editor
        )
    assert info.value.messages == [
        "已发布的内容不能直接修改：请在修订稿中修改，审核通过后替换公开内容。"
    ]
    interp.refresh_from_db()
    assert interp.body == "<p>解读。</p>"


def test_withdrawal_and_validity_stay_immediate_and_audited(client, editor, reviewers, live):
    revision = item_revision_open(item=live, acting_user=editor)
    item_update(item=revision, data={"summary": "更正后的概述。"}, acting_user=editor)
    request = cs.review_submit(content=revision, acting_user=editor)

    item_set_validity(
        item=live,
        validity="expired",
        date=datetime.date(2026, 6, 1),
        replaced_by=None,
        acting_user=editor,
    )
    live.refresh_from_db()
    assert (live.validity, live.validity_date) == ("expired", datetime.date(2026, 6, 1))
    html = _public_html(client, live)
    assert "本文件已于2026年6月1日失效" in html
    row = AuditEntry.objects.get(action="validity", target_id=str(live.pk))
    assert (row.actor_name, row.detail["from"], row.detail["to"]) == ("编辑甲", "valid", "expired")
    with pytest.raises(ValidationError, match="有效性在原信息上直接变更，不通过修订稿"):
        item_set_validity(
            item=revision, validity="valid", date=None, replaced_by=None, acting_user=editor
        )

    item_withdraw(item=live, reason="内容有误", acting_user=editor)
    live.refresh_from_db()
    revision.refresh_from_db()
    request.refresh_from_db()
    assert live.status == "withdrawn"
    assert client.get(reverse("portal:item_detail", args=[live.pk])).status_code == 404
    # The correction in review is discarded with it, kept for the record.
    assert (revision.status, request.state) == ("withdrawn", "withdrawn")
    assert revision.revision_closed_at is not None
    row = AuditEntry.objects.get(action="withdraw", target_id=str(live.pk))
    assert row.detail == {"reason": "内容有误", "revision_discarded": [revision.pk]}
    with pytest.raises(ValidationError, match="该内容当前不在审核中，不能审核"):
        cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    with pytest.raises(ValidationError, match="该修订稿已关闭，不能再提交审核"):
        cs.review_submit(content=revision, acting_user=editor)
    # The withdrawn item itself is edited directly again.
    item_update(item=live, data={"summary": "撤回后修改。"}, acting_user=editor)


def test_scheduled_revision_applies_at_its_time(editor, reviewers, live):
    revision = item_revision_open(item=live, acting_user=editor)
    when = timezone.now() + datetime.timedelta(hours=3)
    item_update(
        item=revision, data={"summary": "定时更正。", "scheduled_at": when}, acting_user=editor
    )
    _through_chain(revision, editor, reviewers)
    live.refresh_from_db()
    assert live.summary == "部署春季植树工作。"
    assert cs.review_publish_due(now=timezone.now()) == []
    done = cs.review_publish_due(now=when + datetime.timedelta(minutes=1))
    assert [r.object_id for r in done] == [revision.pk]
    live.refresh_from_db()
    assert live.summary == "定时更正。"
    assert live.scheduled_at is None  # the revision's time is not the live item's


def test_interpretation_and_qa_are_corrected_through_revisions(client, editor, reviewers, finance):
    interp = policy_services.interpretation_create(
        organisation=finance, title="植树通知解读", body="<p>原解读。</p>", acting_user=editor
    )
    _through_chain(interp, editor, reviewers)
    entry = policy_services.qa_create(
        organisation=finance, question="何时植树？", answer="三月。", acting_user=editor
    )
    _through_chain(entry, editor, reviewers)
    interp.refresh_from_db()
    entry.refresh_from_db()
    assert (interp.status, entry.status) == ("published", "published")

    client.force_login(editor)
    response = client.post(
        reverse("staff:policies_interpretation_edit", args=[interp.pk]),
        {"title": "植树通知解读", "form": "text", "body": "<p>更正后的解读。</p>"},
    )
    interp_rev = Interpretation.objects.get(revision_of=interp)
    assert response.url == reverse("staff:policies_interpretation_edit", args=[interp_rev.pk])
    response = client.post(
        reverse("staff:policies_qa_edit", args=[entry.pk]),
        {"organisation": finance.pk, "question": "何时植树？", "answer": "三月中旬。"},
    )
    qa_rev = QAEntry.objects.get(revision_of=entry)
    assert response.url == reverse("staff:policies_qa_edit", args=[qa_rev.pk])
    client.logout()

    def public(name, obj):
        return client.get(reverse(f"portal:{name}", args=[obj.pk])).content.decode()

    assert "原解读" in public("interpretation_detail", interp)
    assert "三月。" in public("qa_detail", entry)
    assert (
        client.get(reverse("portal:interpretation_detail", args=[interp_rev.pk])).status_code == 404
    )
    assert client.get(reverse("portal:qa_detail", args=[qa_rev.pk])).status_code == 404
    with pytest.raises(ValidationError, match="修订稿不单独发布"):
        policy_services.interpretation_publish(interpretation=interp_rev, acting_user=None)

    _through_chain(interp_rev, editor, reviewers)
    _through_chain(qa_rev, editor, reviewers)
    interp.refresh_from_db()
    entry.refresh_from_db()
    assert (interp.body, interp.status) == ("<p>更正后的解读。</p>", "published")
    assert (entry.answer, entry.status) == ("<p>三月中旬。</p>", "published")
    assert "更正后的解读" in public("interpretation_detail", interp)
    assert "三月中旬。" in public("qa_detail", entry)
    assert Interpretation.objects.filter(status=ContentStatus.PUBLISHED).count() == 1
    assert QAEntry.objects.filter(status=ContentStatus.PUBLISHED).count() == 1
    rows = AuditEntry.objects.filter(
        action="publish", target_type="policies.interpretation", target_id=str(interp.pk)
    ).order_by("id")
    assert rows.last().detail == {
        "revision": interp_rev.pk,
        "changed": ["body"],
        "approved_by": "审核3",
    }
    assert ReviewRequest.objects.get(object_id=qa_rev.pk, content_kind="qa").state == "published"


def test_one_level_chain_applies_on_its_only_approval(editor, finance, reviewers, live):
    ReviewChainFactory.create(organisation=finance, content_kind="item", levels=1)
    revision = item_revision_open(item=live, acting_user=editor)
    item_update(item=revision, data={"keywords": "植树"}, acting_user=editor)
    request = cs.review_submit(content=revision, acting_user=editor)
    outcome = cs.review_decide(request=request, decision="approve", acting_user=reviewers[1])
    assert outcome.published is True
    live.refresh_from_db()
    assert live.keywords == "植树"
