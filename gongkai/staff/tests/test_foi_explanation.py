"""View tests moved from gongkai/foi/tests/test_explanation.py (issue 11 item 7)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi.models import Status

pytestmark = pytest.mark.django_db


def test_staff_page_asks_for_an_explanation(client, record_case, handler):
    case = record_case(date(2026, 2, 9))
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert 'href="?step=explain#step-form"' in page
    page = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=explain").content
    assert "要求说明理由（条例第三十五条）" in page.decode()
    r = client.post(
        reverse("staff:foi_action", args=[case.pk, "explain"]),
        {
            "explain-on": "2026-02-11",
            "explain-points": "各申请的用途",
            "explain-reply_by": "2026-02-27",
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.EXPLANATION_REQUESTED
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "待说明理由" in page
    assert "说明理由告知书" in page
