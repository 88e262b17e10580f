"""View tests moved from gongkai/foi/tests/test_case_actions.py (issue 11 item 7)."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.foi import services
from gongkai.foi.models import Case, Status
from gongkai.foi.tests.test_case_actions import _state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["delete", "reopen", "CONFIRM", "_detail"])
def test_an_unknown_action_is_not_found_and_changes_nothing(client, record_case, handler, action):
    case = record_case(date(2025, 9, 26))
    client.force_login(handler)  # a login is audited too: count after it
    before = _state(case)
    response = client.post(
        reverse("staff:foi_action", args=[case.pk, action]), {"confirm-on": "2025-09-29"}
    )
    assert response.status_code == 404
    assert _state(case) == before


def test_an_action_is_post_only(client, record_case, handler):
    case = record_case(date(2025, 9, 26))
    client.force_login(handler)  # a login is audited too: count after it
    before = _state(case)
    response = client.get(reverse("staff:foi_action", args=[case.pk, "archive"]))
    assert response.status_code == 405
    assert _state(case) == before


def test_extension_is_offered_to_the_head_only_and_each_action_calls_its_service(
    client, record_case, handler, head
):
    case = record_case(date(2025, 9, 26))
    case = services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 26), acting_user=handler
    )
    extend_url = reverse("staff:foi_action", args=[case.pk, "extend"])
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    # The action bar (issue 15, item 4): a button per legal step, its form opened on demand.
    assert 'href="?step=supplement#step-form"' in page
    assert "?step=extend" not in page
    page = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=extend").content
    assert extend_url not in page.decode()
    client.force_login(head)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert 'href="?step=extend#step-form"' in page
    page = client.get(reverse("staff:foi_case", args=[case.pk]) + "?step=extend").content
    assert extend_url in page.decode()
    response = client.post(
        extend_url,
        {"extend-days": "5", "extend-reason": "需调取档案", "extend-on": "2025-10-20"},
        follow=True,
    )
    assert "操作已完成" in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert (case.extension_days, case.status) == (5, Status.IN_PROGRESS)
    assert case.events.get(type="extended").data["approved_by"] == head.get_full_name()
