"""View tests moved from gongkai/participation/tests/test_views.py (issue 11 item 7)."""

import datetime
import io

import pytest

from gongkai.accounts.models import Role
from gongkai.core.status import ContentStatus
from gongkai.participation import rules, services
from gongkai.participation.models import Consultation, Feedback
from gongkai.participation.tests.factories import (
    CommentFactory,
    ConsultationFactory,
    DirectoryFactory,
    OfflineInputFactory,
)
from gongkai.participation.tests.page_helpers import (
    _with_published_feedback,
    closed_consultation,
    open_consultation,
    today,
)

pytestmark = pytest.mark.django_db


def test_staff_create_refuses_short_period_and_saves_nothing(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    client.force_login(editor)
    data = {
        "organisation": org_tree["office"].pk,
        "title": "测试征集",
        "kind": "major_decision",
        "draft_text": "正文",
        "explanation": "说明",
        "opens_on": "2026-12-01",
        "closes_on": "2026-12-15",
    }
    r = client.post("/staff/participation/consultations/new/", data)
    assert r.status_code == 400
    assert "一般不少于30日（本次为14日）" in r.content.decode()
    assert not Consultation.objects.exists()
    data["shortened_reason"] = "上级要求年底前出台"
    data["questions"] = "问题一\n问题二"
    r = client.post("/staff/participation/consultations/new/", data)
    c = Consultation.objects.get()
    assert r.status_code == 302
    assert list(c.questions.values_list("text", flat=True)) == ["问题一", "问题二"]


def test_staff_reject_without_reason_then_finish_refused(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    client.force_login(editor)
    c = closed_consultation(organisation=org_tree["office"])
    m = CommentFactory(consultation=c, moderation="pending")
    url = f"/staff/participation/consultations/{c.pk}/"
    r = client.post(url + "moderate/", {"comment": m.pk, "decision": "reject"})
    assert r.status_code == 400
    assert "请选择未通过的原因" in r.content.decode()
    m.refresh_from_db()
    assert m.moderation == "pending"
    r = client.post(
        url + "moderate/", {"comment": m.pk, "decision": "reject", "reason": "irrelevant"}
    )
    assert r.status_code == 302
    r = client.post(url + "finish/")
    assert r.status_code == 400
    assert "意见采纳情况反馈经审核发布后，才能办结征集" in r.content.decode()
    c.refresh_from_db()
    assert c.finished_at is None
    assert not Feedback.objects.exists()


def test_staff_cannot_see_other_organisations_consultations(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    c = open_consultation(organisation=org_tree["office"])
    assert client.get(f"/staff/participation/consultations/{c.pk}/").status_code == 404


def test_directory_page_in_stage_order_and_csv_export(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["city"])
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    x = services.decision_add(
        directory=d,
        title="杭东市轨道交通线网规划",
        owner=org_tree["office"],
        legal_basis="《城乡规划法》",
        planned_time="2026年12月",
        acting_user=editor,
    )
    services.directory_publish(directory=d, acting_user=editor, without_review="测试")
    r = client.post(
        f"/staff/participation/directories/{d.pk}/add/",
        {
            "title": "新增事项",
            "owner": org_tree["office"].pk,
            "legal_basis": "依据",
            "planned_time": "2027年",
        },
    )
    assert r.status_code == 302  # not logged in: to the login page
    client.force_login(editor)
    r = client.post(
        f"/staff/participation/directories/{d.pk}/add/",
        {
            "title": "新增事项",
            "owner": org_tree["office"].pk,
            "legal_basis": "依据",
            "planned_time": "2027年",
        },
    )
    assert r.status_code == 400
    assert "须起草目录调整，经审核发布后生效" in r.content.decode()
    assert d.decisions.count() == 1
    stages = list(x.stages.values_list("stage", flat=True))
    assert stages == list(rules.STAGES)
    html = client.get("/participation/decisions/?year=2026").content.decode()
    assert "杭东市轨道交通线网规划" in html
    order = [
        html.index(label)
        for label in (
            "公众参与：",
            "专家论证：",
            "风险评估：",
            "合法性审查：",
            "集体讨论决定：",
            "决策公布：",
            "解读：",
            "执行评估：",
        )
    ]
    assert order == sorted(order)
    r = client.get("/participation/decisions/export.csv?year=2026")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(
        "决策机关,序号,决策事项,承办单位,决策依据,计划完成时间,公众参与,专家论证"
    )
    assert lines[1].startswith("杭东市人民政府,1,杭东市轨道交通线网规划,杭东市人民政府办公厅")


def test_dashboard_statistics_per_organisation_and_year(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = _with_published_feedback(org_tree["office"], editor)
    ConsultationFactory(organisation=org_tree["office"], opens_on=c.opens_on, closes_on=c.closes_on)
    CommentFactory(consultation=c, moderation="rejected")
    client.force_login(editor)
    html = client.get("/staff/").content.decode()
    assert "意见征集统计" in html
    # 2 consultations, 3 comments received (also the rejected one), 1 feedback published,
    # adopted 4 (1 comment + 3 座谈会 opinions), partly 0, not adopted 1
    row = (
        f"<td>杭东市人民政府办公厅</td><td>{c.opens_on.year}</td>"
        "<td>2</td><td>3</td><td>1</td><td>4</td><td>0</td><td>1</td>"
    )
    assert row in html


def test_workflow_page_shows_the_draft_to_reviewers(client, org_tree, make_staff):
    reviewer = make_staff(Role.REVIEWER, org_tree["office"], review_level=1)
    c = ConsultationFactory(organisation=org_tree["office"], status=ContentStatus.DRAFT)
    client.force_login(reviewer)
    html = client.get(f"/staff/workflow/consultation/{c.pk}/").content.decode()
    assert "<h3>征求意见稿</h3>" in html
    assert "第一条 为促进民营经济发展，制定本措施。" in html


def test_staff_attachment_checked_by_content(client, org_tree, make_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = make_staff(Role.EDITOR, org_tree["office"])
    client.force_login(editor)
    c = ConsultationFactory(organisation=org_tree["office"], status=ContentStatus.DRAFT)
    url = f"/staff/participation/consultations/{c.pk}/attach/"
    fake = SimpleUploadedFile("说明.pdf", b"\x89PNG\r\n\x1a\nnot a pdf", "application/pdf")
    r = client.post(url, {"title": "起草说明附件", "file": fake})
    assert r.status_code == 400
    assert "内容与扩展名不符" in r.content.decode()
    assert not c.attachments.exists()
    pdf = SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    r = client.post(url, {"title": "起草说明附件", "file": pdf})
    assert r.status_code == 302
    attachment = c.attachments.get()
    assert attachment.title == "起草说明附件"
    assert attachment.file.read() == b"%PDF-1.4\n%%EOF\n"


def test_review_queue_names_the_kind_in_chinese(client, org_tree, make_staff):
    from gongkai.review.chain_services import review_submit

    editor = make_staff(Role.EDITOR, org_tree["office"])
    reviewers = [make_staff(Role.REVIEWER, org_tree["office"], review_level=n) for n in (1, 2, 3)]
    c = ConsultationFactory(organisation=org_tree["office"], status=ContentStatus.DRAFT)
    review_submit(content=c, acting_user=editor)
    client.force_login(reviewers[0])
    html = client.get("/staff/workflow/").content.decode()
    assert "<td>意见征集</td>" in html
    assert ">consultation<" not in html


def test_annual_statistics_page_shows_participation_for_the_year(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = _with_published_feedback(org_tree["office"], editor)
    ConsultationFactory(organisation=org_tree["office"], opens_on=c.opens_on, closes_on=c.closes_on)
    CommentFactory(consultation=c, moderation="rejected")
    # another year and an unpublished draft: not counted
    ConsultationFactory(
        organisation=org_tree["office"],
        opens_on=datetime.date(c.opens_on.year - 1, 3, 1),
        closes_on=datetime.date(c.opens_on.year - 1, 3, 31),
    )
    ConsultationFactory(organisation=org_tree["office"], status=ContentStatus.DRAFT)
    client.force_login(editor)
    html = client.get(
        "/staff/reports/statistics/", {"org": org_tree["office"].code, "year": c.opens_on.year}
    ).content.decode()
    assert f"政民互动（意见征集）：{c.opens_on.year}年" in html
    row = (
        f"<td>杭东市人民政府办公厅</td><td>{c.opens_on.year}</td>"
        "<td>2</td><td>3</td><td>1</td><td>4</td><td>0</td><td>1</td>"
    )
    assert row in html
    assert f"<td>{c.opens_on.year - 1}</td>" not in html
    earlier = client.get(
        "/staff/reports/statistics/", {"org": org_tree["office"].code, "year": c.opens_on.year - 1}
    ).content.decode()
    assert (
        f"<td>杭东市人民政府办公厅</td><td>{c.opens_on.year - 1}</td>"
        "<td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>"
    ) in earlier


def test_directory_xlsx_export_has_the_rows_and_inert_cells(client, org_tree, make_staff):
    from openpyxl import load_workbook

    editor = make_staff(Role.EDITOR, org_tree["city"])
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    services.decision_add(
        directory=d,
        title='=HYPERLINK("http://evil.example","轨道交通")',
        owner=org_tree["office"],
        legal_basis="《城乡规划法》",
        planned_time="2026年12月",
        acting_user=editor,
    )
    services.directory_publish(directory=d, acting_user=editor, without_review="测试")
    page = client.get("/participation/decisions/?year=2026").content.decode()
    assert "/participation/decisions/export.xlsx?year=2026" in page
    r = client.get("/participation/decisions/export.xlsx?year=2026")
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="decisions-2026.xlsx"'
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:8] == [
        "决策机关",
        "序号",
        "决策事项",
        "承办单位",
        "决策依据",
        "计划完成时间",
        "公众参与",
        "专家论证",
    ]
    assert rows[1][:6] == [
        "杭东市人民政府",
        1,
        '\'=HYPERLINK("http://evil.example","轨道交通")',
        "杭东市人民政府办公厅",
        "《城乡规划法》",
        "2026年12月",
    ]
    assert ws.cell(row=2, column=3).data_type == "s"
    assert len(rows) == 2


def test_public_page_announces_upcoming_hearings_with_art16_facts(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = open_consultation(organisation=org_tree["office"])
    t = today()
    day = datetime.timedelta(days=1)
    services.offline_input_record(
        consultation=c,
        method="hearing",
        held_on=t + 10 * day,
        summary="就扶持资金申报条件举行听证。",
        place="市民中心第二听证室",
        notice_published_on=t - day,
        materials_sent_on=t - day,
        selection_method="自愿报名，按行业分类随机抽取",
        participant_list="张三（企业代表）\n李四（市民代表）",
        acting_user=editor,
    )
    # notice not yet out: not announced; 座谈会: not a hearing
    services.offline_input_record(
        consultation=c,
        method="hearing",
        held_on=t + 20 * day,
        summary="第二次听证。",
        notice_published_on=t + 2 * day,
        materials_sent_on=t + 2 * day,
        selection_method="随机抽取",
        participant_list="王五",
        acting_user=editor,
    )
    OfflineInputFactory(consultation=c, held_on=t + 3 * day, summary="企业座谈会")
    html = client.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert "听证会公告" in html
    assert f"<dd>{(t + 10 * day):%Y-%m-%d}</dd>" in html
    assert "市民中心第二听证室" in html
    assert "自愿报名，按行业分类随机抽取" in html
    assert "张三（企业代表）<br>李四（市民代表）" in html
    assert f"已于 {(t - day):%Y-%m-%d} 送达听证参加人" in html
    assert "第二次听证" not in html
    assert "企业座谈会" not in html


def test_hearing_with_late_materials_is_refused_and_not_announced(client, org_tree, make_staff):
    from django.core.exceptions import ValidationError

    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = open_consultation(organisation=org_tree["office"])
    t = today()
    with pytest.raises(ValidationError) as err:
        services.offline_input_record(
            consultation=c,
            method="hearing",
            held_on=t + datetime.timedelta(days=5),
            summary="听证。",
            notice_published_on=t,
            materials_sent_on=t,
            selection_method="随机抽取",
            participant_list="王五",
            acting_user=editor,
        )
    assert "听证材料须于召开听证会7日前送达听证参加人" in str(err.value)
    assert c.offline_inputs.count() == 0
    html = client.get(f"/participation/consultations/{c.pk}/").content.decode()
    assert "听证会公告" not in html


def test_directory_page_drafts_an_adjustment_for_review(client, org_tree, make_staff):
    from gongkai.participation.models import DirectoryAdjustment

    editor = make_staff(Role.EDITOR, org_tree["city"])
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    x = services.decision_add(
        directory=d,
        title="杭东市轨道交通线网规划",
        owner=org_tree["office"],
        legal_basis="《城乡规划法》",
        planned_time="2026年12月",
        acting_user=editor,
    )
    services.directory_publish(directory=d, acting_user=editor, without_review="测试")
    client.force_login(editor)
    page = client.get(f"/staff/participation/directories/{d.pk}/").content.decode()
    assert "起草目录调整" in page
    assert "增加决策事项" not in page  # the direct form is for unpublished directories
    r = client.post(
        f"/staff/participation/directories/{d.pk}/adjust/",
        {"action": "remove", "decision": x.pk, "reason": ""},
    )
    assert r.status_code == 400
    assert "请填写调整理由" in r.content.decode() or "这个字段是必填项" in r.content.decode()
    assert not DirectoryAdjustment.objects.exists()
    r = client.post(
        f"/staff/participation/directories/{d.pk}/adjust/",
        {"action": "remove", "decision": x.pk, "reason": "上级政府统筹实施"},
    )
    adjustment = DirectoryAdjustment.objects.get()
    assert r["Location"] == f"/staff/workflow/decision_directory_adjustment/{adjustment.pk}/"
    assert (adjustment.action, adjustment.status, adjustment.title) == (
        "remove",
        "draft",
        "杭东市轨道交通线网规划",
    )
    x.refresh_from_db()
    assert not x.removed  # a draft changes nothing
    page = client.get(f"/staff/participation/directories/{d.pk}/").content.decode()
    assert "未发布的目录调整" in page
    assert f'href="/staff/workflow/decision_directory_adjustment/{adjustment.pk}/"' in page
    workflow = client.get(r["Location"])
    assert workflow.status_code == 200
    assert "上级政府统筹实施" in workflow.content.decode()


def test_a_returned_directory_adjustment_is_edited_and_resubmitted(client, org_tree, make_staff):
    """退回 → 修改 (audited, a version) → 重新提交审核; refused while in review, nothing changed."""
    from gongkai.core.models import AuditEntry
    from gongkai.participation.models import DirectoryAdjustment
    from gongkai.review.chain_services import (
        review_decide,
        review_request_for,
        review_submit,
        versions_for,
    )

    editor = make_staff(Role.EDITOR, org_tree["city"])
    reviewer, *_rest = [
        make_staff(Role.REVIEWER, org_tree["city"], review_level=n) for n in (1, 2, 3)
    ]
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    x = services.decision_add(
        directory=d,
        title="杭东市轨道交通线网规划",
        owner=org_tree["office"],
        legal_basis="《城乡规划法》",
        planned_time="2026年12月",
        acting_user=editor,
    )
    services.directory_publish(directory=d, acting_user=editor, without_review="测试")
    adjustment = services.directory_adjustment_create(
        directory=d,
        action="change",
        decision=x,
        title="杭东市轨道交通线网规划（修编）",
        owner=org_tree["office"],
        legal_basis="《城乡规划法》",
        planned_time="2027年6月",
        reason="规划期调整",
        acting_user=editor,
    )
    review_submit(content=adjustment, acting_user=editor)
    review_decide(
        request=review_request_for(adjustment),
        decision="return",
        acting_user=reviewer,
        comment="请写明调整依据的文件",
    )
    client.force_login(editor)
    edit_url = f"/staff/participation/directories/adjustments/{adjustment.pk}/edit/"
    # Where returned items show: the directory's list of unpublished adjustments and the
    # adjustment's review page both lead to the edit page.
    directory_page = client.get(f"/staff/participation/directories/{d.pk}/").content.decode()
    assert f'href="{edit_url}"' in directory_page
    review_page = client.get(f"/staff/workflow/decision_directory_adjustment/{adjustment.pk}/")
    assert f'href="{edit_url}"' in review_page.content.decode()
    page = client.get(edit_url).content.decode()
    assert "修改目录调整：调整事项“杭东市轨道交通线网规划（修编）”" in page
    assert "当前状态：已退回" in page
    assert "规划期调整" in page  # the form starts from the stored values

    r = client.post(
        edit_url,
        {
            "title": "杭东市轨道交通线网规划（修编）",
            "owner": org_tree["office"].pk,
            "legal_basis": "《城乡规划法》；杭政函〔2026〕8号",
            "planned_time": "2027年6月",
            "reason": "规划期调整，依据杭政函〔2026〕8号",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == f"/staff/workflow/decision_directory_adjustment/{adjustment.pk}/"
    adjustment.refresh_from_db()
    assert (adjustment.status, adjustment.legal_basis, adjustment.reason) == (
        "returned",
        "《城乡规划法》；杭政函〔2026〕8号",
        "规划期调整，依据杭政函〔2026〕8号",
    )
    assert [v.note for v in versions_for(adjustment)][-1] == "保存"
    edits = AuditEntry.objects.filter(
        target_type="participation.directoryadjustment",
        target_id=str(adjustment.pk),
        action="edit",
    )
    assert [(e.actor, e.organisation) for e in edits] == [(editor, org_tree["city"])]

    r = client.post(f"/staff/workflow/decision_directory_adjustment/{adjustment.pk}/submit/")
    assert r.status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.status == "in_review"
    assert review_request_for(adjustment).round == 2

    # In review: the edit is refused and nothing changes.
    versions = len(versions_for(adjustment))
    r = client.post(edit_url, {"title": "别的标题", "reason": "别的理由"})
    assert r.status_code == 400
    assert "只有草稿或被退回的调整可以修改" in r.content.decode()
    stored = DirectoryAdjustment.objects.get(pk=adjustment.pk)
    assert (stored.status, stored.title, stored.reason) == (
        "in_review",
        "杭东市轨道交通线网规划（修编）",
        "规划期调整，依据杭政函〔2026〕8号",
    )
    assert len(versions_for(adjustment)) == versions
    assert edits.count() == 1
    x.refresh_from_db()
    assert x.planned_time == "2026年12月"  # nothing public changed
