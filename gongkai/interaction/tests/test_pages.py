"""Public and staff pages of 政民互动: what the user gets in the rendered HTML."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.interaction import services
from gongkai.interaction.models import Message, Publication, Status
from gongkai.review.chain_services import review_decide

pytestmark = pytest.mark.django_db

FORM = {
    "category": "consult",
    "title": "咨询公积金提取",
    "content": "我的电话13912345678，请问如何提取公积金？",
    "name": "赵六",
    "phone": "13912345678",
    "wants_public": "on",
}


def test_public_files_a_message_and_sees_reference_and_code(client, org_tree):
    response = client.post(
        reverse("portal:interaction_write"), {**FORM, "organisation": org_tree["finance"].pk}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    message = Message.objects.get()
    assert message.reference in page
    assert message.organisation == org_tree["finance"]
    assert message.channel == "website"
    assert message.status == Status.REGISTERED


def test_form_refuses_too_long_content_and_saves_nothing(client, org_tree):
    response = client.post(
        reverse("portal:interaction_write"),
        {**FORM, "organisation": org_tree["finance"].pk, "content": "长" * 5001},
    )
    assert response.status_code == 200
    assert "留言未提交" in response.content.decode()
    assert Message.objects.count() == 0


RATE = {"message_submit": {"ip": (2, 3600), "captcha_after": 0}}


@override_settings(GONGKAI_RATE_LIMITS=RATE)
def test_form_asks_a_question_and_rate_limits(client, org_tree):
    page = client.get(reverse("portal:interaction_write")).content.decode()
    assert 'name="captcha_answer"' in page
    data = {**FORM, "organisation": org_tree["finance"].pk}
    # No answer: refused (counted), nothing saved.
    assert client.post(reverse("portal:interaction_write"), data).status_code == 200
    assert Message.objects.count() == 0
    client.post(reverse("portal:interaction_write"), data)
    response = client.post(reverse("portal:interaction_write"), data)
    assert response.status_code == 429
    assert Message.objects.count() == 0


def _answered(org_tree, make_staff, *, wants_public=True):
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    reviewers = [
        make_staff(Role.REVIEWER, org_tree["finance"], review_level=level) for level in (1, 2, 3)
    ]
    message, code = services.message_submit(
        organisation=org_tree["finance"],
        data={
            "category": "consult",
            "title": "咨询公积金提取",
            "content": "我的电话13912345678，请问如何提取？",
            "phone": "13912345678",
            "wants_public": wants_public,
        },
    )
    services.message_reply_draft(
        message=message, text="请登录公积金网上服务大厅办理。", acting_user=handler
    )
    request = services.message_reply_submit(message=message, acting_user=handler)
    for reviewer in reviewers:
        review_decide(request=request, decision="approve", acting_user=reviewer)
    message.refresh_from_db()
    return message, code


def test_published_message_page_masks_personal_data(client, org_tree, make_staff):
    message, _code = _answered(org_tree, make_staff)
    assert message.publication == Publication.PUBLIC
    listing = client.get(reverse("portal:interaction_index")).content.decode()
    assert "咨询公积金提取" in listing
    page = client.get(reverse("portal:interaction_detail", args=[message.reference]))
    html = page.content.decode()
    assert "139****5678" in html
    assert "13912345678" not in html
    assert "请登录公积金网上服务大厅办理。" in html


def test_private_message_page_is_not_found(client, org_tree, make_staff):
    message, _code = _answered(org_tree, make_staff, wants_public=False)
    response = client.get(reverse("portal:interaction_detail", args=[message.reference]))
    assert response.status_code == 404


def test_status_query_shows_reply_and_takes_feedback(client, org_tree, make_staff):
    message, code = _answered(org_tree, make_staff, wants_public=False)
    url = reverse("portal:interaction_status")
    html = client.post(url, {"reference": message.reference, "code": code}).content.decode()
    assert "请登录公积金网上服务大厅办理。" in html
    assert "已答复" in html
    html = client.post(url, {"satisfaction": "satisfied", "note": ""}).content.decode()
    assert "感谢您的评价" in html
    message.refresh_from_db()
    assert message.satisfaction == "satisfied"
    wrong = client.post(url, {"reference": message.reference, "code": "AAAAAAAA"})
    assert "留言编号或查询码不正确" in wrong.content.decode()


def test_monthly_statistics_page_uses_the_same_figures(client, org_tree, tmp_path):
    fin = org_tree["finance"].code
    path = tmp_path / "m.csv"
    path.write_text(
        "reference,org_code,channel,category,received,title,content,replied,reply\n"
        f"S-1,{fin},website,consult,2025-09-26 10:00,t,c,2025-09-29 10:00,r\n"
        f"S-2,{fin},website,consult,2025-09-29 10:00,t,c,,\n",
        encoding="utf-8",
    )
    call_command("import_messages", str(path))
    html = client.get(
        reverse("portal:interaction_stats"), {"year": 2025, "month": 9, "org": fin}
    ).content.decode()
    assert "2025年9月留言办理情况统计" in html
    assert '<strong class="stat-received">2</strong>' in html
    assert '<strong class="stat-on-time">1</strong>' in html
    assert '<strong class="stat-open">1</strong>' in html
    # Received Mon 9/29: 9/30 = 1, 10/1–8 holiday, 10/9, 10/10, Sat 10/11 调休, Mon 10/13 = 5;
    # not overdue by 30 September.
    assert '<strong class="stat-overdue">0</strong>' in html
    assert "杭东市财政局" in html
    assert date(2025, 9, 30).isoformat() in html


def test_staff_queue_and_actions(client, org_tree, make_staff):
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    message, _ = services.message_submit(
        organisation=org_tree["finance"],
        data={"category": "help", "title": "求助", "content": "内容", "phone": "13900000000"},
    )
    client.force_login(handler)
    html = client.get(reverse("staff:interaction_queue")).content.decode()
    assert message.reference in html
    assert message.due_date.strftime("%Y-%m-%d") in html
    page = client.get(reverse("staff:interaction_message", args=[message.pk])).content.decode()
    assert "139****0000" in page
    assert "13900000000" not in page
    client.post(reverse("staff:interaction_act", args=[message.pk, "start"]))
    client.post(
        reverse("staff:interaction_act", args=[message.pk, "draft"]), {"reply": "已安排人员处理"}
    )
    message.refresh_from_db()
    assert message.status == Status.IN_PROGRESS
    assert message.reply == "已安排人员处理"
    response = client.post(reverse("staff:interaction_act", args=[message.pk, "reject"]))
    page = client.get(response["Location"]).content.decode()
    assert "请填写不予受理理由" in page
    message.refresh_from_db()
    assert message.status == Status.IN_PROGRESS


def test_other_organisation_staff_cannot_see_the_message(client, org_tree, make_staff):
    outsider = make_staff(Role.FOI_HANDLER, org_tree["office"])
    message, _ = services.message_submit(
        organisation=org_tree["finance"],
        data={"category": "help", "title": "求助", "content": "内容"},
    )
    client.force_login(outsider)
    assert client.get(reverse("staff:interaction_message", args=[message.pk])).status_code == 404
    response = client.post(reverse("staff:interaction_act", args=[message.pk, "start"]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == Status.REGISTERED


def test_admin_issues_an_integration_token_shown_once(client, org_tree, make_staff):
    admin = make_staff(Role.ADMIN, org_tree["finance"])
    client.force_login(admin)
    html = client.post(
        reverse("staff:interaction_integrations"),
        {"name": "12345热线", "org": org_tree["finance"].code, "channel": "hotline_12345"},
    ).content.decode()
    assert 'class="issued-token">gk_' in html
    again = client.get(reverse("staff:interaction_integrations")).content.decode()
    assert "issued-token" not in again
    assert "12345热线" in again


def test_admin_lists_configuration_and_read_only_records(client, org_tree):
    from gongkai.accounts.models import User

    root = User.objects.create_superuser("root", "root@example.cn", "pass-1234-abcd")
    client.force_login(root)
    services.message_submit(
        organisation=org_tree["finance"],
        data={"category": "help", "title": "求助", "content": "内容", "phone": "13900000000"},
    )
    for name in ("message", "integration", "webhookdelivery", "deadlinerule"):
        response = client.get(f"/admin/interaction/{name}/")
        assert response.status_code == 200, name
    page = client.get(f"/admin/interaction/message/{Message.objects.get().pk}/change/")
    assert page.status_code == 200
    assert "13900000000" not in page.content.decode()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_attachment_is_checked_stored_privately_and_downloaded_by_handlers(
    client, org_tree, make_staff
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.core.models import AuditEntry

    fake = SimpleUploadedFile("photo.png", b"not really a png", content_type="image/png")
    response = client.post(
        reverse("portal:interaction_write"),
        {**FORM, "organisation": org_tree["finance"].pk, "attachments": [fake]},
    )
    assert response.status_code == 200
    assert "内容与扩展名不符" in response.content.decode()
    assert Message.objects.count() == 0
    good = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    response = client.post(
        reverse("portal:interaction_write"),
        {**FORM, "organisation": org_tree["finance"].pk, "attachments": [good]},
    )
    assert response.status_code == 302
    message = Message.objects.get()
    attachment = message.attachments.get()
    assert attachment.file_kind == "png"
    assert attachment.original_name == "现场照片.png"
    assert "现场照片" not in attachment.file.name
    handler = make_staff(Role.FOI_HANDLER, org_tree["finance"])
    client.force_login(handler)
    page = client.get(reverse("staff:interaction_message", args=[message.pk])).content.decode()
    assert "现场照片.png" in page
    url = reverse("staff:interaction_attachment", args=[message.pk, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert AuditEntry.objects.filter(action="view_personal", target_id=str(message.pk)).count() == 1
    outsider = make_staff(Role.FOI_HANDLER, org_tree["office"])
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_statistics_dashboard_shows_the_interaction_figures(client, org_tree, make_staff, tmp_path):
    fin = org_tree["finance"].code
    path = tmp_path / "m.csv"
    path.write_text(
        "reference,org_code,channel,category,received,title,content,replied,reply\n"
        f"D-1,{fin},website,consult,2025-02-03 10:00,t,c,2025-02-05 10:00,r\n"
        f"D-2,{fin},website,help,2025-02-03 10:00,t,c,,\n",
        encoding="utf-8",
    )
    call_command("import_messages", str(path))
    client.force_login(make_staff(Role.ADMIN, org_tree["finance"]))
    html = client.get(
        "/staff/reports/statistics/", {"org": fin, "year": 2025, "quarter": 1}
    ).content.decode()
    assert "政民互动（留言）" in html
    assert "收到留言：2" in html
    assert "已答复：1（按时答复 1）" in html
    assert "未答复：1（超期 1）" in html
    assert "新闻发布会：2025年计划0场，已开展0场" in html


def test_personal_center_lists_my_messages(client, org_tree, public_user):
    client.force_login(public_user)
    client.post(
        reverse("portal:interaction_write"), {**FORM, "organisation": org_tree["finance"].pk}
    )
    message = Message.objects.get()
    assert message.user == public_user
    html = client.get("/accounts/me/").content.decode()
    assert message.reference in html
    assert "咨询公积金提取" in html
    assert "您还没有留言" not in html
