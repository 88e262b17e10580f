"""The demo world's 新闻发布会 and 回应关切: published through the finance bureau's review
chain, with coherent Chinese text, one draft left, and the 舆情 item marked responded."""

import io

import pytest
from django.core.management import call_command

from gongkai.accounts.models import Organisation
from gongkai.interaction import press
from gongkai.interaction.models import ConcernResponse, OpinionItem, PressConference
from gongkai.review.chain_models import ReviewRequest

pytestmark = pytest.mark.django_db


def test_demo_world_press_conferences_and_responses(client):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    finance = Organisation.objects.get(name="杭东市财政局")
    by_status = {c.topic: c.status for c in PressConference.objects.filter(organisation=finance)}
    assert by_status == {
        "2026年市级财政预算安排及惠企资金兑现新闻发布会": "published",
        "2026年上半年财政收支情况新闻发布会": "published",
        "政府采购营商环境优化举措新闻发布会": "draft",
    }
    assert press.press_figures({finance.pk}, 2026) == {"planned": 4, "held": 3}
    published = ReviewRequest.objects.filter(
        content_kind__in=["press_conference", "concern_response"], state="published"
    )
    assert published.count() == 3
    response = ConcernResponse.objects.get()
    assert response.status == "published"
    assert response.conference.topic == "2026年市级财政预算安排及惠企资金兑现新闻发布会"
    assert response.policies.count() == 1
    item = OpinionItem.objects.get(organisation=finance)
    assert item.responded_on == response.published_date

    first = PressConference.objects.get(topic__startswith="2026年市级财政预算")
    page = client.get(f"/hudong/press/{first.pk}/").content.decode()
    assert "<dd>2026年3月18日 10:00</dd>" in page
    assert "今年将继续实施惠企资金“免申即享”" in page
    assert first.policies.count() == 2
    assert f"/hudong/concerns/{response.pk}/" in page
