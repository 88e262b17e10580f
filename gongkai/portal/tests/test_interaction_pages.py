"""View tests moved from gongkai/interaction/tests/test_pages.py (issue 11 item 7)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from gongkai.interaction.models import Message, Publication, Status
from gongkai.interaction.tests.page_helpers import FORM, RATE, _answered

pytestmark = pytest.mark.django_db


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


@override_settings(GONGKAI_RATE_LIMITS=RATE)
def test_form_asks_a_question_and_rate_limits(client, org_tree, private_cache):
    # The counters live in the cache: a fresh one, so a shared Redis db left by an earlier run
    # (REDIS_URL set) cannot have used up the limit already.
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
