"""View tests moved from gongkai/foi/tests/test_corrections.py (issue 11 item 7)."""

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.foi.models import CorrectionRequest
from gongkai.foi.tests.test_corrections import DATA

pytestmark = pytest.mark.django_db


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
