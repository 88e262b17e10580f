"""Issue 20 item 5 (条例第四十三条): help for applicants with reading difficulties or
visual/hearing impairments — offered on the public form, recorded on the case, shown to the
handler."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import services
from gongkai.foi.models import Case

from .conftest import application, form_data

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


def test_help_kind_without_the_checkbox_is_refused_nothing_saved(client, org_tree):
    r = client.post(
        reverse("portal:foi_apply"),
        form_data(org_tree["finance"], assistance_kind="read_aloud"),
    )
    assert r.status_code == 200
    assert "选择了需要的帮助，请同时勾选“需要帮助”" in r.content.decode()
    assert not Case.objects.exists()


def test_no_help_asked_shows_nothing(client, record_case, handler):
    case = record_case(date(2025, 9, 26))
    assert (case.assistance_needed, case.assistance_kind) == (False, "")
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "申请人需要帮助" not in page


def test_staff_record_an_oral_application_with_help(org_tree, handler):
    """第二十九条: an applicant who cannot write may apply orally; staff record the help."""
    case, _code = services.case_record(
        organisation=org_tree["finance"],
        data=application(assistance_needed=True, assistance_kind="writing"),
        channel="in_person",
        arrived=date(2025, 9, 26),
        acting_user=handler,
    )
    assert (case.assistance_needed, case.get_assistance_kind_display()) == (True, "代为填写申请")
    with pytest.raises(services.CaseError, match="请从列表中选择需要的帮助"):
        services.case_record(
            organisation=org_tree["finance"],
            data=application(assistance_needed=True, assistance_kind="telepathy"),
            channel="in_person",
            arrived=date(2025, 9, 26),
            acting_user=handler,
        )
    assert Case.objects.count() == 1
