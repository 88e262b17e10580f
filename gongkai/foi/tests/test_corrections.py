"""Issue 20 item 4 (条例第四十一条): correction requests — public and staff intake, forwarding to
the agency with the power to correct, the answer, and the count on the statistics dashboard
(the annual report's table 三 has no row for them)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import CorrectionRequest
from gongkai.reports.stats import Period, correction_stats

pytestmark = pytest.mark.django_db

DATA = {
    "applicant_name": "赵六",
    "id_number": "110105199001011232",
    "phone": "13900002222",
    "email": "zhaoliu@example.cn",
    "record": "2025年低保名单公示中本人的家庭人口数记为4人",
    "correction": "家庭人口数应为3人",
    "evidence": "户口簿复印件、街道出具的证明",
}


def test_public_form_files_a_request_nothing_personal_shown(client, org_tree):
    url = reverse("portal:foi_correction")
    page = client.get(url).content.decode()
    assert "政府信息更正申请" in page
    assert "第四十一条" in page
    r = client.post(url, {"organisation": str(org_tree["finance"].pk), **DATA})
    assert r.status_code == 302
    item = CorrectionRequest.objects.get()
    assert (
        item.reference == f"GZ-{item.received_date.year}-{org_tree['finance'].pk:02d}-{item.pk:06d}"
    )
    assert (item.channel, item.state, item.id_number, item.phone) == (
        "online",
        "received",
        DATA["id_number"],
        DATA["phone"],
    )
    assert DATA["id_number"] not in item.id_number_enc
    page = client.get(url).content.decode()
    assert item.reference in page
    assert "处理结果将通过您留下的联系方式告知" in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE).count() == 1


def test_public_form_needs_evidence_nothing_saved(client, org_tree):
    r = client.post(
        reverse("portal:foi_correction"),
        {"organisation": str(org_tree["finance"].pk), **DATA, "evidence": ""},
    )
    assert r.status_code == 200
    assert "请说明能够证明记录不准确的证据" in r.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_forward_to_the_agency_with_power_then_answer(
    org_tree, handler, django_capture_on_commit_callbacks
):
    item = services.correction_record(
        organisation=org_tree["finance"],
        data=DATA,
        channel="in_person",
        received=date(2026, 3, 2),
        acting_user=handler,
    )
    with pytest.raises(services.CaseError, match="尚未转送有权更正的机关"):
        services.correction_reply(
            request=item,
            result="forwarded",
            text="已转送。",
            on=date(2026, 3, 3),
            acting_user=handler,
        )
    with pytest.raises(services.CaseError, match="不能是本机关"):
        services.correction_forward(
            request=item, to=org_tree["finance"], on=date(2026, 3, 3), acting_user=handler
        )
    item.refresh_from_db()
    assert (item.state, item.forwarded_to_name) == ("received", "")
    item = services.correction_forward(
        request=item, to=org_tree["district"], on=date(2026, 3, 3), acting_user=handler
    )
    assert (item.state, item.forwarded_to_name) == ("forwarded", "杭东市西湖区人民政府")
    with django_capture_on_commit_callbacks(execute=True):
        item = services.correction_reply(
            request=item,
            result="forwarded",
            text="低保名单由西湖区人民政府公示，已转送该机关处理。",
            on=date(2026, 3, 4),
            acting_user=handler,
        )
    assert (item.state, item.result, item.replied_date) == (
        "answered",
        "forwarded",
        date(2026, 3, 4),
    )
    assert mail.outbox[-1].to == ["zhaoliu@example.cn"]
    assert mail.outbox[-1].body == (
        "不属于本机关职能范围，已转送有权更正的机关处理。低保名单由西湖区人民政府公示，已转送该机关处理。"
    )
    with pytest.raises(services.CaseError, match="已答复，不能再处理"):
        services.correction_reply(
            request=item,
            result="corrected",
            text="已更正。",
            on=date(2026, 3, 5),
            acting_user=handler,
        )


def test_staff_pages_and_dashboard_count(client, org_tree, handler, head):
    client.force_login(handler)
    r = client.post(
        reverse("staff:foi_correction_record"),
        {
            "organisation": str(org_tree["finance"].pk),
            "channel": "letter",
            "received": "2026-03-02",
            **DATA,
        },
    )
    item = CorrectionRequest.objects.get()
    assert r.status_code == 302
    assert r["Location"] == reverse("staff:foi_correction", args=[item.pk])
    page = client.get(reverse("staff:foi_corrections")).content.decode()
    assert item.reference in page
    assert "赵*" in page
    assert "赵六" not in page
    r = client.post(
        reverse("staff:foi_correction", args=[item.pk]),
        {
            "action": "reply",
            "reply-on": "2026-03-09",
            "reply-result": "corrected",
            "reply-text": "",
        },
    )
    assert r.status_code == 400
    assert "请填写答复内容" in r.content.decode()
    r = client.post(
        reverse("staff:foi_correction", args=[item.pk]),
        {
            "action": "reply",
            "reply-on": "2026-03-09",
            "reply-result": "corrected",
            "reply-text": "经核实，已将家庭人口数更正为3人。",
        },
    )
    assert r.status_code == 302
    page = client.get(reverse("staff:foi_correction", args=[item.pk])).content.decode()
    assert "审核属实，予以更正" in page
    assert "已将家庭人口数更正为3人" in page
    stats = correction_stats({org_tree["finance"].pk}, Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert stats["corrections_received"] == 1
    assert [r["n"] for r in stats["corrections_answered"]] == [1, 0, 0, 0]
    client.force_login(head)
    page = client.get(
        reverse("staff:reports_statistics"), {"org": org_tree["finance"].code, "year": 2026}
    ).content.decode()
    assert "更正申请（条例第四十一条，不计入年报表三）：收到 1；审核属实，予以更正 1" in page


def test_other_agency_staff_cannot_see_a_request(client, org_tree, handler, other_handler):
    item = services.correction_record(
        organisation=org_tree["finance"],
        data=DATA,
        channel="in_person",
        received=date(2026, 3, 2),
        acting_user=handler,
    )
    client.force_login(other_handler)
    assert client.get(reverse("staff:foi_correction", args=[item.pk])).status_code == 404
    with pytest.raises(Exception, match="权限"):
        services.correction_forward(
            request=item, to_name="某机关", on=date(2026, 3, 3), acting_user=other_handler
        )
