"""Staff pages of interpretations (政策解读) and Q&A (were in policies/tests)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongkai.accounts.models import Role
from gongkai.core.status import ContentStatus
from gongkai.policies.models import Interpretation, QAEntry
from gongkai.policies.tests.factories import InterpretationFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (164, 22, 26)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def chain_reviewers(organisation, make_staff):
    """One reviewer per level of the default three-level chain: a chain with a level nobody
    may decide refuses submissions (issue 19 item 7)."""
    return [make_staff(Role.REVIEWER, organisation, review_level=level) for level in (1, 2, 3)]


def approve_through_chain(obj, reviewers):
    from gongkai.review.chain_services import review_decide, review_request_for

    for reviewer in reviewers:
        review_decide(request=review_request_for(obj), decision="approve", acting_user=reviewer)


def test_staff_pages_need_a_staff_login(client, world, public_user):
    r = client.get("/staff/interpretations/")
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]
    client.force_login(public_user)
    assert client.get("/staff/interpretations/").status_code == 403
    assert client.get("/staff/qa/").status_code == 403


def test_staff_lists_are_scoped_to_own_organisations(client, world, make_staff):
    finance_editor = make_staff(Role.EDITOR, world.finance)
    finance_interp = InterpretationFactory.create(
        organisation=world.finance, title="财政局解读", body="<p>x</p>"
    )
    client.force_login(finance_editor)
    r = client.get("/staff/interpretations/")
    assert [o.title for o in r.context["page_obj"].object_list] == [finance_interp.title]
    r = client.get("/staff/qa/")
    assert [o.question for o in r.context["page_obj"].object_list] == [world.q4.question]
    # Another department's records do not exist for this user.
    assert client.get(f"/staff/interpretations/{world.i1.pk}/").status_code == 404
    assert client.get(f"/staff/qa/{world.q1.pk}/").status_code == 404
    r = client.post(f"/staff/interpretations/{world.i2.pk}/publish/")
    assert r.status_code == 404
    world.i2.refresh_from_db()
    assert world.i2.status == ContentStatus.DRAFT


def test_staff_create_interpretation_with_links_then_publish(client, world, make_staff):
    editor = make_staff(Role.EDITOR, world.office)
    reviewers = chain_reviewers(world.office, make_staff)
    client.force_login(editor)
    assert client.get("/staff/interpretations/new/").status_code == 200
    r = client.post(
        "/staff/interpretations/new/",
        {
            "organisation": world.office.pk,
            "title": "规章制定程序规定图解",
            "form": "graphic",
            "image": SimpleUploadedFile("g.png", PNG, content_type="image/png"),
            "image_alt": "规章制定的五个步骤",
            "policy_refs": f"{world.p4.index_number}\n\n{world.p6.index_number}\n",
        },
    )
    assert r.status_code == 302
    obj = Interpretation.objects.get(title="规章制定程序规定图解")
    assert set(obj.policies.all()) == {world.p4, world.p6}
    assert obj.image.name.startswith("interpretations/")
    # Not yet public.
    assert client.get(f"/interpretations/{obj.pk}/").status_code == 404
    r = client.post(f"/staff/interpretations/{obj.pk}/publish/")
    assert r.status_code == 302
    obj.refresh_from_db()
    assert obj.status == ContentStatus.IN_REVIEW  # 先审后发: not public until the final review
    assert client.get(f"/interpretations/{obj.pk}/").status_code == 404
    approve_through_chain(obj, reviewers)
    html = client.get(f"/items/{world.p4.pk}/").content.decode()
    assert f'href="/interpretations/{obj.pk}/"' in html


def test_staff_create_rejects_unknown_index_numbers_and_saves_nothing(client, world, make_staff):
    editor = make_staff(Role.EDITOR, world.office)
    client.force_login(editor)
    before = Interpretation.objects.count()
    r = client.post(
        "/staff/interpretations/new/",
        {
            "organisation": world.office.pk,
            "title": "解读",
            "form": "text",
            "body": "正文",
            "policy_refs": f"{world.p2.index_number}\nNOPE/2025-00001\n{world.n3.index_number}",
        },
    )
    assert r.status_code == 400
    errors = r.context["form"].errors["policy_refs"]
    assert errors == [
        "第2行：索引号“NOPE/2025-00001”不存在，或不是您可以关联的政策文件。",
        f"第3行：索引号“{world.n3.index_number}”不存在，或不是您可以关联的政策文件。",
    ]
    assert Interpretation.objects.count() == before


def test_staff_edit_interpretation_updates_text_and_links_together(client, world, make_staff):
    editor = make_staff(Role.EDITOR, world.office)
    client.force_login(editor)
    r = client.post(
        f"/staff/interpretations/{world.i3.pk}/",
        {
            "title": "中小企业措施文字解读（修订）",
            "form": "text",
            "body": "<p>新正文</p>",
            "video_url": "",
            "policy_refs": world.p1.index_number,
        },
    )
    assert r.status_code == 302
    # i3 is published: the edit went into its 修订稿; the public text waits for approval.
    revision = Interpretation.objects.get(revision_of=world.i3)
    assert r.url == f"/staff/interpretations/{revision.pk}/"
    world.i3.refresh_from_db()
    assert world.i3.title == "中小企业措施文字解读"
    assert revision.title == "中小企业措施文字解读（修订）"
    assert revision.organisation == world.office  # the organisation field is fixed on edit
    assert list(revision.policies.all()) == [world.p1]
    # A reviewer may look but not change.
    reviewer = make_staff(Role.REVIEWER, world.office)
    client.force_login(reviewer)
    assert client.get(f"/staff/interpretations/{world.i3.pk}/").status_code == 200
    r = client.post(f"/staff/interpretations/{revision.pk}/", {"title": "改", "form": "text"})
    assert r.status_code == 403
    revision.refresh_from_db()
    assert revision.title == "中小企业措施文字解读（修订）"


def test_staff_qa_create_and_publish(client, world, make_staff):
    editor = make_staff(Role.EDITOR, world.office)
    reviewers = chain_reviewers(world.office, make_staff)
    client.force_login(editor)
    r = client.post(
        "/staff/qa/new/",
        {
            "organisation": world.office.pk,
            "unit": world.unit.pk,
            "question": "十条措施何时施行？",
            "answer": "自发布之日起施行。",
            "policy_ref": world.p2.index_number,
            "contact_phone": "0571-8700001",
        },
    )
    assert r.status_code == 302
    entry = QAEntry.objects.get(question="十条措施何时施行？")
    assert entry.policy == world.p2
    assert entry.unit == world.unit
    client.post(f"/staff/qa/{entry.pk}/publish/")
    entry.refresh_from_db()
    assert entry.status == ContentStatus.IN_REVIEW
    approve_through_chain(entry, reviewers)
    entry.refresh_from_db()
    assert entry.status == ContentStatus.PUBLISHED
    html = client.get(f"/qa/?policy={world.p2.pk}").content.decode()
    assert "十条措施何时施行？" in html


def test_editor_may_link_a_draft_policy_of_own_organisation(client, world, make_staff):
    # 三同步: the interpretation is prepared together with the (still unpublished) document.
    client.force_login(make_staff(Role.EDITOR, world.finance))
    r = client.post(
        "/staff/interpretations/new/",
        {
            "organisation": world.finance.pk,
            "title": "草稿文件的同步解读",
            "form": "text",
            "body": "正文",
            "policy_refs": world.n2.index_number,
        },
    )
    assert r.status_code == 302
    obj = Interpretation.objects.get(title="草稿文件的同步解读")
    assert list(obj.policies.all()) == [world.n2]
    # Another department cannot even name that draft.
    client.force_login(make_staff(Role.EDITOR, world.office))
    r = client.post(
        "/staff/interpretations/new/",
        {
            "organisation": world.office.pk,
            "title": "越权关联",
            "form": "text",
            "body": "正文",
            "policy_refs": world.n2.index_number,
        },
    )
    assert r.status_code == 400
    assert not Interpretation.objects.filter(title="越权关联").exists()
