"""内部目标 (issue 12 item 3): an organisation's own 一般/疑难 targets beside the statutory
deadline, on the same working-day calendar; they never move the statutory deadline."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core.models import AuditEntry
from gongkai.foi import services
from gongkai.foi.models import Case, InternalTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(org_tree, head):
    return services.internal_target_set(
        organisation=org_tree["finance"], normal_days=7, difficult_days=20, acting_user=head
    )


def test_without_targets_a_case_has_the_statutory_deadline_only(record_case):
    case = record_case(date(2025, 9, 26))
    assert case.due_date == date(2025, 10, 30)
    assert case.internal_due_date is None


def test_targets_count_on_the_national_day_calendar(targets, record_case, handler):
    # Received Fri 2025-09-26, the day itself not counted: Sun 9/28 调休 (1), 9/29 (2),
    # 9/30 (3); 10/1–10/8 国庆/中秋 not counted; 10/9 (4), 10/10 (5), Sat 10/11 调休 (6),
    # Mon 10/13 (7).
    case = record_case(date(2025, 9, 26))
    assert case.internal_due_date == date(2025, 10, 13)
    assert case.due_date == date(2025, 10, 30)
    # 疑难办件, 20 working days: 10/14–10/17 (8–11), 10/20–10/24 (12–16), 10/27–10/30 (17–20).
    case = services.case_mark_difficult(case=case, difficult=True, acting_user=handler)
    assert case.difficult is True
    assert Case.objects.get(pk=case.pk).internal_due_date == date(2025, 10, 30)
    assert case.due_date == date(2025, 10, 30)
    assert AuditEntry.objects.filter(detail__difficult=True).count() == 1


def test_an_extension_moves_only_the_statutory_deadline(targets, record_case, handler, head):
    case = record_case(date(2025, 9, 26))
    case = services.case_assign(
        case=case, handler=handler, on=date(2025, 9, 29), acting_user=handler
    )
    case = services.case_extend(
        case=case, days=5, reason="需要调取档案", on=date(2025, 10, 20), acting_user=head
    )
    # 10/30 + 5 working days: 10/31, 11/3–11/6; the internal target stays 10/13.
    assert case.due_date == date(2025, 11, 6)
    assert Case.objects.get(pk=case.pk).internal_due_date == date(2025, 10, 13)


def test_setting_targets_recomputes_open_cases_and_needs_the_administrator(
    org_tree, record_case, handler, head
):
    case = record_case(date(2025, 9, 26))
    with pytest.raises(PermissionDenied):
        services.internal_target_set(
            organisation=org_tree["finance"], normal_days=7, acting_user=handler
        )
    assert not InternalTarget.objects.exists()
    with pytest.raises(services.CaseError):
        services.internal_target_set(
            organisation=org_tree["finance"], normal_days=25, difficult_days=30, acting_user=head
        )
    assert not InternalTarget.objects.exists()
    services.internal_target_set(
        organisation=org_tree["finance"], normal_days=5, difficult_days=15, acting_user=head
    )
    # 5 working days: 9/28, 9/29, 9/30, 10/9, 10/10.
    assert Case.objects.get(pk=case.pk).internal_due_date == date(2025, 10, 10)
    services.internal_target_set(
        organisation=org_tree["finance"], normal_days=None, acting_user=head
    )
    assert Case.objects.get(pk=case.pk).internal_due_date is None


def test_case_page_and_list_show_the_target_separately(client, targets, record_case, handler):
    case = record_case(date(2025, 9, 26))
    client.force_login(handler)
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "内部目标 2025年10月13日" in page
    assert "内部目标（一般办件）" in page
    assert '<td class="foi-due">2025年10月30日</td>' in page
    listing = client.get(reverse("staff:foi_cases")).content.decode()
    assert "内部目标 2025年10月13日" in listing
    response = client.post(reverse("staff:foi_action", args=[case.pk, "difficult"]))
    assert response.status_code == 302
    page = client.get(reverse("staff:foi_case", args=[case.pk])).content.decode()
    assert "内部目标 2025年10月30日" in page
    assert "内部目标（疑难办件）" in page
    assert "改为一般办件" in page
