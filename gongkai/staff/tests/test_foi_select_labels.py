"""View tests moved from gongkai/foi/tests/test_select_labels.py (issue 11 item 7)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.foi import services
from gongkai.foi.models import Case
from gongkai.foi.tests.conftest import application
from gongkai.foi.tests.test_select_labels import ENGLISH

pytestmark = pytest.mark.django_db


def test_rendered_assign_form_has_the_chinese_placeholder(client, org_tree, handler):
    case, _code = services.case_submit(organisation=org_tree["finance"], data=application())
    services.case_confirm_receipt(case=case, on=timezone.localdate(), acting_user=handler)
    client.force_login(handler)
    body = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=assign").content.decode()
    assert 'name="assign-handler"' in body
    for english in ENGLISH:
        assert english not in body
    # Both selects of the assign form (经办人 and 承办科室) open with the same Chinese label.
    start = body.index('name="assign-handler"')
    handler_select = body[start : body.index("</select>", start)]
    assert '<option value="" selected>请选择</option>' in handler_select
    start = body.index('name="assign-unit"')
    unit_select = body[start : body.index("</select>", start)]
    assert '<option value="" selected>请选择</option>' in unit_select
    assert Case.objects.get(pk=case.pk).handler_id is None


def test_staff_and_portal_forms_render_no_english_placeholder(client, org_tree):
    from gongkai.accounts.models import User

    admin = User.objects.create_superuser(username="root", password="x-pass-1234", kind="staff")
    client.force_login(admin)
    for url in (
        "/zfxxgk/ysqgk/apply/",
        reverse("staff:foi_record"),
        reverse("staff:items_create"),
        "/staff/interpretations/new/",
        "/admin/accounts/roleassignment/add/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        assert "<select" in body, url
        for english in ENGLISH:
            assert english not in body, url
