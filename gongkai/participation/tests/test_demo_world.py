"""The demo world holds an open consultation, a finished one with feedback, and this year's
directory (issue 13, "Done when")."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.participation import rules, selectors, services
from gongkai.participation.models import Consultation, DecisionDirectory

pytestmark = pytest.mark.django_db


def test_demo_world_participation(client):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    now = timezone.now()
    open_ = [c for c in Consultation.objects.all() if services.window_state(c) == rules.OPEN]
    assert [c.title for c in open_] == ["杭东市促进个体工商户高质量发展若干措施（征求意见稿）"]
    finished = Consultation.objects.get(finished_at__isnull=False)
    feedback = selectors.published_feedback(finished)
    assert feedback is not None
    # 2 comments + 6 座谈会 opinions adopted, 1 not adopted, 1 已有规定
    assert feedback.counts == {
        "adopted": 8,
        "partly": 0,
        "not_adopted": 1,
        "already": 1,
        "other": 0,
        "total": 10,
    }
    assert finished.final_document is not None
    directory = DecisionDirectory.objects.get(year=rules.china_date(now).year)
    assert directory.published_date is not None
    adjustments = list(directory.adjustments.order_by("id").values_list("action", "status"))
    assert adjustments == [("change", "published"), ("add", "draft")]
    year = rules.china_date(now).year
    assert directory.decisions.get(number=2).planned_time == f"{year + 1}年6月"
    listing = client.get(f"/participation/decisions/?year={year}").content.decode()
    assert "学龄人口预测数据更新" in listing
    assert "杭东市生活垃圾分类管理实施办法" not in listing  # the draft is not public
    page = client.get(f"/participation/consultations/{finished.pk}/").content.decode()
    assert "差别化收费是缓解中心城区停车难的主要手段" in page
    assert finished.final_document.title in page
