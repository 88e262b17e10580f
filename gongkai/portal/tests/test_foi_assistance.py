"""View tests moved from gongkai/foi/tests/test_assistance.py (issue 11 item 7)."""

import pytest
from django.urls import reverse

from gongkai.foi.models import Case
from gongkai.foi.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_help_kind_without_the_checkbox_is_refused_nothing_saved(client, org_tree):
    r = client.post(
        reverse("portal:foi_apply"),
        form_data(org_tree["finance"], assistance_kind="read_aloud"),
    )
    assert r.status_code == 200
    assert "选择了需要的帮助，请同时勾选“需要帮助”" in r.content.decode()
    assert not Case.objects.exists()
