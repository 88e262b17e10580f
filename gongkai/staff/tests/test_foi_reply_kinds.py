"""View tests moved from gongkai/foi/tests/test_reply_kinds.py (issue 11 item 7)."""

from gongkai.foi.tests.test_reply_kinds import _ready


def test_staff_form_drafts_a_36_5_letter_with_the_picked_agency(
    client, record_case, handler, org_tree
):
    from django.urls import reverse

    case = _ready(record_case, handler, org_tree, "36.5")
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=reply").content.decode()
    assert "不属于本机关负责公开的政府信息（年报：无法提供：本机关不掌握相关政府信息）" in page
    response = client.post(
        reverse("staff:foi_action", args=[case.pk, "reply"]),
        {
            "reply-on": "2025-10-20",
            "reply-outcome": "36.5",
            "reply-reason": "中小学划片方案由区教育行政部门制定和公开",
            "reply-responsible": str(org_tree["district_edu"].pk),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.reply_facts == {
        "reason": "中小学划片方案由区教育行政部门制定和公开",
        "agency": "西湖区教育局",
        "agency_contact": "0571-87001234，西湖区教工路9号",
    }
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "不属于本机关负责公开的政府信息" in page
    assert '<td class="foi-outcome">无法提供：本机关不掌握相关政府信息</td>' in page
