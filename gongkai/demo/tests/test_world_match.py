"""The demo world's 政策找人 data (issue 14): four policies with conditions, yunfan's profile."""

import datetime
import io

import pytest
from django.core.management import call_command

from gongkai.accounts.models import User
from gongkai.policies.models import PolicyConditions
from gongkai.policies.selectors import match_for_saved_profile, match_profile_of

pytestmark = pytest.mark.django_db


def test_yunfan_matches_two_policies_and_misses_two_by_one_condition():
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert PolicyConditions.objects.count() == 4
    profile = match_profile_of(User.objects.get(username="yunfan"))
    assert profile is not None
    result = match_for_saved_profile(profile, datetime.date(2026, 11, 20))
    assert len(result.matches) == 2
    reasons = [r for m in result.matches for r in m.reasons]
    assert "行业符合：I6513属于I65" in reasons
    assert "行业符合：I6513属于I" in reasons
    assert "成立年限符合：已成立4年，要求不少于2年" in reasons
    assert sorted(u for m in result.near_misses for u in m.unmet) == ["qualifications", "scales"]
