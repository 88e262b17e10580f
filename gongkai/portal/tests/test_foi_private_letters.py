"""View tests moved from gongkai/foi/tests/test_private_letters.py (issue 11 item 7)."""

import pytest
from django.urls import reverse

from gongkai.foi.tests.test_private_letters import directives

pytestmark = pytest.mark.django_db


def test_behind_nginx_the_view_answers_with_an_internal_redirect(client, delivered, settings):
    case, doc = delivered
    settings.GONGKAI_PRIVATE_ACCEL_PREFIX = "/_private/"
    client.force_login(case.applicant_user)
    response = client.get(reverse("portal:foi_my_letter", args=[case.pk, "docx"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{doc.file.name}"
    assert {"private", "no-store"} <= directives(response)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.content == b""
    assert f"{case.reference}" in response["Content-Disposition"]
