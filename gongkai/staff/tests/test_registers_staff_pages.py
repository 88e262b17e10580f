"""View tests moved from gongkai/registers/tests/test_staff_pages.py (issue 11 item 7)."""

import pytest

from gongkai.accounts.models import Role
from gongkai.registers.models import Adjustment
from gongkai.registers.tests.conftest import D
from gongkai.registers.tests.test_lists import HEADER, workbook
from gongkai.review.chain_models import ReviewRequest

pytestmark = pytest.mark.django_db


def test_draft_then_submit_an_adjustment(client, chain):
    org, editor, _reviewers = chain
    client.force_login(editor)
    url = f"/staff/registers/adjustments/new/?org={org.pk}&kind=powers&action=add"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "effective_date": "2025-03-01",
            "reason": "新设职权",
            "legal_basis": "杭政〔2025〕2号",
            "name": "对政府采购违法行为的处罚",
            "category": "处罚",
            "basis": "《中华人民共和国政府采购法》第七十一条",
            "implementer": "杭东市财政局",
        },
    )
    obj = Adjustment.objects.get()
    assert response["Location"] == f"/staff/registers/adjustments/{obj.pk}/"
    assert (obj.name, obj.effective_date, obj.status) == (
        "对政府采购违法行为的处罚",
        D(2025, 3, 1),
        "draft",
    )
    client.post(f"/staff/registers/adjustments/{obj.pk}/", {"submit": "review"})
    obj.refresh_from_db()
    assert obj.status == "in_review"
    assert ReviewRequest.objects.get().content_kind == "register_adjustment"


def test_missing_fields_are_named_and_nothing_saved(client, chain):
    org, editor, _reviewers = chain
    client.force_login(editor)
    response = client.post(
        f"/staff/registers/adjustments/new/?org={org.pk}&kind=powers&action=add",
        {"effective_date": "2025-03-01", "reason": "r", "legal_basis": "b", "name": "甲"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写“类别”" in html
    assert "请填写“设定依据”" in html
    assert Adjustment.objects.count() == 0


def test_other_organisations_adjustments_are_hidden(client, chain, org_tree, make_staff):
    org, _editor, _reviewers = chain
    client.force_login(make_staff(Role.EDITOR, org_tree["office"]))
    assert (
        client.get(f"/staff/registers/adjustments/new/?org={org.pk}&kind=powers").status_code == 404
    )


def test_import_page_lists_line_errors(client, chain):
    org, editor, _reviewers = chain
    client.force_login(editor)
    data = workbook([HEADER, ["甲", "行政许可", "", "市财政局", "", ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/staff/registers/import/",
        {
            "org": org.pk,
            "kind": "powers",
            "file": SimpleUploadedFile("q.xlsx", data),
            "effective_date": "2025-01-01",
            "reason": "清单初次公布",
            "legal_basis": "杭政办〔2025〕1号",
        },
    )
    assert response.status_code == 400
    assert "工作表“权责清单”第2行“设定依据”列：不能为空" in response.content.decode()
    assert Adjustment.objects.count() == 0


def test_review_pages_show_an_adjustment_and_a_project(client, chain):
    org, editor, reviewers = chain
    from gongkai.registers import services

    obj = services.adjustment_create(
        organisation=org,
        list_kind="powers",
        action="add",
        effective_date=D(2025, 3, 1),
        reason="新设职权",
        legal_basis="杭政〔2025〕2号",
        values={
            "name": "对会计违法行为的处罚",
            "category": "处罚",
            "basis": "《会计法》",
            "implementer": "杭东市财政局",
        },
        acting_user=editor,
    )
    from gongkai.review.chain_services import review_submit

    review_submit(content=obj, acting_user=editor)
    client.force_login(reviewers[0])
    html = client.get(f"/staff/workflow/register_adjustment/{obj.pk}/").content.decode()
    assert "对会计违法行为的处罚" in html
    assert "对会计违法行为的处罚" in client.get("/staff/workflow/").content.decode()


def test_staff_project_pages(client, chain):
    org, editor, _reviewers = chain
    client.force_login(editor)
    response = client.post(
        "/staff/registers/projects/",
        {
            "org": org.pk, "name": "杭东市第二水厂扩建工程", "owner": "杭东市水务集团",
            "location": "西湖区三墩镇", "district": "西湖区", "industry": "水利",
            "investment": "86000", "phase": "construction", "year": "2025",
        },
    )  # fmt: skip
    from gongkai.registers.models import Project

    project = Project.objects.get()
    assert response["Location"] == f"/staff/registers/projects/{project.pk}/"
    html = client.get(response["Location"]).content.decode()
    # 在建, no land: five expected stages, none published yet.
    assert html.count('class="missing-stage"') == 5
    client.post(
        response["Location"],
        {"form": "item", "stage": "tendering", "title": "施工招标公告", "item_date": "2025-05-06",
         "url": "https://ggzy.hangdong.gov.cn/1.html"},
    )  # fmt: skip
    item = project.stage_items.get()
    assert (item.stage, item.status) == ("tendering", "draft")
    client.post(response["Location"], {"submit": "item", "item": item.pk})
    item.refresh_from_db()
    assert item.status == "in_review"


def test_staff_spotchecks_and_proposals_pages(client, chain):
    org, editor, _reviewers = chain
    client.force_login(editor)
    url = "/staff/registers/spotchecks/"
    client.post(url, {"form": "plan", "org": org.pk, "year": "2025", "title": "2025年度抽查计划"})
    from gongkai.registers.models import Proposal, SpotCheckPlan, SpotCheckResult

    plan = SpotCheckPlan.objects.get()
    client.post(
        url,
        {"form": "result", "plan": plan.pk, "target": "杭东市甲公司", "matter": "财务检查",
         "checked_on": "2025-06-01", "result": "未发现问题"},
    )  # fmt: skip
    result = SpotCheckResult.objects.get()
    client.post(url, {"submit": f"result:{result.pk}"})
    result.refresh_from_db()
    assert (result.plan_id, result.status) == (plan.pk, "in_review")
    html = client.get(url).content.decode()
    assert "杭东市甲公司" in html
    response = client.post(
        "/staff/registers/proposals/",
        {"org": org.pk, "kind": "npc", "year": "2025", "number": "第0012号",
         "title": "关于加快老旧小区加装电梯的建议", "proposer": "王建国代表",
         "received_on": "2025-03-10"},
    )  # fmt: skip
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/staff/registers/proposals/{proposal.pk}/"
    assert proposal.deadline == D(2025, 6, 10)
    client.post(
        response["Location"],
        {"reply": "复文全文", "replied_on": "2025-05-20", "mode": "full"},
    )
    client.post(response["Location"], {"submit": "review"})
    proposal.refresh_from_db()
    assert (proposal.reply, proposal.status) == ("复文全文", "in_review")
