"""View tests moved from gongkai/foi/tests/test_assistance.py (issue 11 item 7)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi.models import Case
from gongkai.foi.tests.conftest import application, form_data  # noqa: F401

pytestmark = pytest.mark.django_db


def test_public_form_offers_help_and_the_handler_sees_it(client, org_tree, handler):
    page = client.get(reverse("portal:foi_apply")).content.decode()
    assert "需要的帮助（条例第四十三条）" in page
    assert "我有阅读困难或者视听障碍，需要帮助" in page
    assert "大字版文书" in page
    r = client.post(
        reverse("portal:foi_apply"),
        form_data(
            org_tree["finance"],
            assistance_needed="on",
            assistance_kind="large_print",
            assistance_note="请用三号以上字体",
        ),
    )
    assert r.status_code == 302
    case = Case.objects.get()
    assert (case.assistance_needed, case.assistance_kind, case.assistance_note) == (
        True,
        "large_print",
        "请用三号以上字体",
    )
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "申请人需要帮助（条例第四十三条）" in page
    assert "大字版文书。请用三号以上字体" in page


def test_no_help_asked_shows_nothing(client, record_case, handler):
    case = record_case(date(2025, 9, 26))
    assert (case.assistance_needed, case.assistance_kind) == (False, "")
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "申请人需要帮助" not in page
