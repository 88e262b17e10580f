"""View tests moved from gongkai/interaction/tests/test_pages.py (issue 11 item 7)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.interaction import services
from gongkai.interaction.models import Message, Status
from gongkai.interaction.tests.page_helpers import FORM, PNG

pytestmark = pytest.mark.django_db


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
