"""Staff pages of the review chain: queue, content, mask, submit, decide, ledger, inspection."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.catalogue.models import InformationItem
from gongkai.catalogue.services import item_create
from gongkai.core.models import AuditEntry
from gongkai.oversight.models import InspectionRun
from gongkai.review import chain_services as cs
from gongkai.review.models import ReviewChain, ReviewRequest

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def finance(org_tree):
    return org_tree["finance"]


@pytest.fixture
def editor(finance, make_staff):
    return make_staff(Role.EDITOR, finance, username="editor")


@pytest.fixture
def reviewers(finance, make_staff):
    return {
        n: make_staff(Role.REVIEWER, finance, username=f"rev{n}", review_level=n) for n in (1, 2, 3)
    }


@pytest.fixture
def item(editor, finance):
    return item_create(
        organisation=finance,
        data={
            "title": "关于公布补贴名单的通知",
            "written_date": timezone.localdate(),
            "summary": "公布名单。",
            "body": f"<p>申请人身份证号码 {ID_NUMBER}。</p>",
        },
        acting_user=editor,
    )


def _url(name, item):
    return reverse(f"staff:workflow_{name}", args=["item", item.pk])


def test_author_sees_finding_masks_and_submits(client, editor, item, reviewers):
    client.force_login(editor)
    page = client.get(_url("content", item))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"正文：含有身份证号码“{ID_NUMBER}”，公开前应遮蔽为“11*************02X”" in html
    assert 'id="mask-button"' in html
    # Submitting with the blocking finding is refused with the Chinese reason.
    response = client.post(_url("submit", item), follow=True)
    assert "自动检查发现阻止发布的问题" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "draft"
    client.post(_url("mask", item))
    item.refresh_from_db()
    assert item.body == "<p>申请人身份证号码 11*************02X。</p>"
    client.post(_url("submit", item))
    item.refresh_from_db()
    assert item.status == "in_review"
    html = client.get(_url("content", item)).content.decode()
    assert "审核中（第1级·初审）" in html
    assert "您是本内容的起草人或提交人，不能审核。" in html
    assert 'id="approve-button"' not in html


def test_three_reviewers_approve_through_the_pages(client, editor, item, reviewers):
    cs.content_mask_privacy(content=item, acting_user=editor)
    cs.review_submit(content=item, acting_user=editor)
    for n in (1, 2, 3):
        client.force_login(reviewers[n])
        queue = client.get(reverse("staff:workflow_queue"))
        assert [r.object_id for r in queue.context["pending"]] == [item.pk]
        other = reviewers[1 if n != 1 else 2]
        client.force_login(other)
        assert client.get(reverse("staff:workflow_queue")).context["pending"] == []
        client.force_login(reviewers[n])
        html = client.get(_url("content", item)).content.decode()
        assert ('id="override-button"' in html) is (n == 3)
        client.post(_url("decide", item), {"decision": "approve", "comment": ""})
    item.refresh_from_db()
    assert item.status == "published"
    assert client.get(reverse("portal:item_detail", args=[item.pk])).status_code == 200
    assert [
        a
        for a in AuditEntry.objects.filter(target_id=str(item.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ] == ["create", "edit", "submit", "approve", "approve", "approve", "publish"]


def test_wrong_level_post_is_refused_and_changes_nothing(client, editor, item, reviewers):
    cs.content_mask_privacy(content=item, acting_user=editor)
    cs.review_submit(content=item, acting_user=editor)
    client.force_login(reviewers[3])
    response = client.post(_url("decide", item), {"decision": "approve"}, follow=True)
    assert "您不是本机构第1级（初审）审核人，不能在此级审核" in response.content.decode()
    request = ReviewRequest.objects.get()
    assert (request.state, request.level) == ("in_review", 1)


def test_other_organisation_cannot_open_the_page(client, item, org_tree, make_staff):
    outsider = make_staff(Role.EDITOR, org_tree["office"])
    client.force_login(outsider)
    assert client.get(_url("content", item)).status_code == 403
    assert client.post(_url("submit", item)).status_code == 403
    assert client.get(reverse("staff:workflow_content", args=["nope", 1])).status_code == 404


def test_versions_diff_is_shown(client, editor, item):
    cs.content_mask_privacy(content=item, acting_user=editor)
    client.force_login(editor)
    html = client.get(_url("content", item)).content.decode()
    assert "第1版 → 第2版的修改" in html
    assert "申请人身份证号码 11<del>0105194912310</del><ins>*************</ins>02X。" in html


def test_queue_query_count_is_bounded(
    client, editor, finance, reviewers, django_assert_max_num_queries
):
    for n in range(5):
        obj = item_create(
            organisation=finance,
            data={"title": f"通知{n}", "written_date": timezone.localdate(), "summary": "概述"},
            acting_user=editor,
        )
        cs.review_submit(content=obj, acting_user=editor)
    client.force_login(reviewers[1])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("staff:workflow_queue"))
    assert len(response.context["pending"]) == 5


def test_chain_settings_page(client, finance, make_staff, editor):
    admin = make_staff(Role.ADMIN, finance)
    client.force_login(editor)
    assert client.get(reverse("staff:workflow_chains")).status_code == 403
    client.force_login(admin)
    response = client.post(
        reverse("staff:workflow_chains"),
        {"organisation": finance.pk, "content_kind": "item", "levels": "2"},
    )
    assert response.status_code == 302
    assert list(ReviewChain.objects.values_list("organisation_id", "content_kind", "levels")) == [
        (finance.pk, "item", 2)
    ]


def test_ledger_page_filters_and_exports(client, finance, make_staff, item, org_tree):
    admin = make_staff(Role.ADMIN, finance)
    client.force_login(admin)
    url = reverse("staff:workflow_audit")
    page = client.get(url, {"action": "create"})
    assert page.status_code == 200
    assert [e.target_label for e, _t, _d in page.context["rows"]] == ["关于公布补贴名单的通知"]
    export = client.get(url, {"action": "create", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:4] == ["时间", "操作人", "操作", "对象类型"]
    assert rows[1][1:7] == [
        "编辑1",
        "创建",
        "政府信息",
        str(item.pk),
        "关于公布补贴名单的通知",
        "杭东市财政局",
    ]
    bad = client.get(url, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "开始日期不能晚于结束日期" in bad.content.decode()
    assert list(bad.context["rows"]) == []
    office_admin = make_staff(Role.ADMIN, org_tree["office"])
    client.force_login(office_admin)
    assert list(client.get(url).context["rows"]) == []
    client.force_login(make_staff(Role.EDITOR, finance))
    assert client.get(url).status_code == 403


def test_inspection_page_runs_and_exports(client, finance, make_staff, settings):
    settings.GONGKAI_INSPECTION_FETCH_LINKS = False
    admin = make_staff(Role.ADMIN, finance)
    client.force_login(admin)
    url = reverse("staff:workflow_inspection")
    assert "尚未进行过自查。" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    run = InspectionRun.objects.get()
    assert run.triggered_by == admin
    html = client.get(url).content.decode()
    assert "错误链接" in html
    assert "不适用" in html
    export = client.get(url, {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in ws[1]] == ["检查日期", "问题类型", "问题说明", "对象", "处理链接"]
    assert ws.max_row == run.total + 1
    client.force_login(make_staff(Role.EDITOR, finance))
    assert client.get(url).status_code == 403


def test_withdraw_page(client, editor, finance, reviewers):
    obj = item_create(
        organisation=finance,
        data={"title": "通知", "written_date": timezone.localdate(), "summary": "概述"},
        acting_user=editor,
    )
    request = cs.review_submit(content=obj, acting_user=editor)
    for n in (1, 2, 3):
        cs.review_decide(request=request, decision="approve", acting_user=reviewers[n])
    client.force_login(editor)
    response = client.post(_url("withdraw", obj), {"reason": ""}, follow=True)
    assert "撤回必须填写理由" in response.content.decode()
    client.post(_url("withdraw", obj), {"reason": "内容有误"})
    assert InformationItem.objects.get(pk=obj.pk).status == "withdrawn"


def _abilities(user, obj, **kwargs):
    from gongkai.review.selectors import review_abilities

    a = review_abilities(user, obj, **kwargs)
    names = ("can_edit", "can_submit", "can_mask", "can_decide", "is_final", "can_withdraw")
    return {n for n in names if getattr(a, n)}


def test_review_abilities_follow_the_content_through_the_chain(client, editor, item, reviewers):
    """One selector decides the buttons; the content and item pages show what it says."""
    findings = cs.adapter_for(item).findings(item)
    assert _abilities(editor, item, findings=findings) == {"can_edit", "can_submit", "can_mask"}
    assert _abilities(editor, item) == {"can_edit", "can_submit"}  # no findings, no masking
    assert _abilities(reviewers[1], item) == set()
    client.force_login(editor)
    detail = client.get(reverse("staff:items_detail", args=[item.pk])).content.decode()
    assert "提交审核</button>" in detail
    page = client.get(_url("content", item)).content.decode()
    assert 'id="mask-button"' in page
    assert 'id="submit-review"' in page
    assert 'id="h-withdraw"' not in page
    assert 'id="approve-button"' not in page
    cs.content_mask_privacy(content=item, acting_user=editor)
    cs.review_submit(content=item, acting_user=editor)
    item.refresh_from_db()
    assert _abilities(editor, item) == {"can_edit"}
    detail = client.get(reverse("staff:items_detail", args=[item.pk])).content.decode()
    assert "提交审核</button>" not in detail
    assert _abilities(reviewers[1], item) == {"can_decide"}
    assert _abilities(reviewers[2], item) == set()  # not their level yet
    for n in (1, 2):
        cs.review_decide(
            request=ReviewRequest.objects.get(), decision="approve", acting_user=reviewers[n]
        )
    assert _abilities(reviewers[3], item) == {"can_decide", "is_final"}
    client.force_login(reviewers[3])
    html = client.get(_url("content", item)).content.decode()
    assert 'id="approve-button"' in html
    assert 'id="override-button"' in html
    cs.review_decide(
        request=ReviewRequest.objects.get(), decision="approve", acting_user=reviewers[3]
    )
    item.refresh_from_db()
    assert item.status == "published"
    assert _abilities(editor, item) == {"can_edit", "can_withdraw"}
    client.force_login(editor)
    page = client.get(_url("content", item)).content.decode()
    assert 'id="h-withdraw"' in page
    assert 'id="submit-review"' not in page
    assert _abilities(reviewers[3], item) == set()
