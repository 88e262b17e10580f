"""View tests moved from gongkai/foi/tests/test_corrections.py (issue 11 item 7)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import services
from gongkai.foi.models import CorrectionRequest
from gongkai.foi.tests.test_corrections import DATA
from gongkai.reports.stats import Period, correction_stats

pytestmark = pytest.mark.django_db


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
