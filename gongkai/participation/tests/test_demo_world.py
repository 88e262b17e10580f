"""The demo world holds an open consultation, a finished one with feedback, this year's
directory (issue 13, "Done when"), and 政策评价 reports published through review with the
政府开放日 around them."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.core.models import AuditEntry
from gongkai.participation import rules, selectors, services
from gongkai.participation.models import (
    Consultation,
    DecisionDirectory,
    OpenDayEvent,
    PolicyEvaluation,
)
from gongkai.review.chain_models import ReviewDecision

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

    # 政策评价: three departments' reports, each approved at 初审/复审/终审 (no without_review).
    listing = client.get("/participation/evaluations/").content.decode()
    today = rules.china_date(now)
    assert re.findall(
        r'<a href="/participation/evaluations/\d+/">([^<]+)</a>（([^，]+)，', listing
    ) == [
        ("杭东市预算绩效管理政策执行情况评价报告", "杭东市财政局"),
        ("杭东市个体工商户培育扶持政策评价报告", "杭东市市场监督管理局"),
        ("杭东市学生资助政策实施情况评价报告", "杭东市教育局"),
    ]
    for evaluation in PolicyEvaluation.objects.select_related("organisation"):
        assert evaluation.status == "published"
        key = evaluation.organisation.code
        decisions = ReviewDecision.objects.filter(
            request__content_kind="policy_evaluation", request__object_id=evaluation.pk
        ).order_by("level")
        assert [(d.level, d.decision) for d in decisions] == [
            (1, "approve"),
            (2, "approve"),
            (3, "approve"),
        ], key
        publish = AuditEntry.objects.get(
            action="publish",
            target_type="participation.policyevaluation",
            target_id=str(evaluation.pk),
        )
        assert "published_without_review" not in publish.detail
        assert publish.actor == decisions[2].reviewer
    # 政府开放日: two to come on the list (one of an evaluation, one of the district's own), the
    # education bureau's held 40 days ago on its evaluation's page with its two registrations.
    coming = re.findall(
        r'<a href="/participation/open-days/\d+/">([^<]+)</a>（[^，]+，([\d-]+)，', listing
    )
    assert coming == [
        ("个体工商户扶持政策“面对面”开放日", str(today + datetime.timedelta(days=18))),
        ("西湖区政务服务中心开放日", str(today + datetime.timedelta(days=32))),
    ]
    held = OpenDayEvent.objects.get(title="走进学生资助管理中心——学生资助政策开放日")
    assert held.held_on == today - datetime.timedelta(days=40)
    assert sorted(held.registrations.values_list("name", flat=True)) == ["张三", "李云帆"]
    page = client.get(f"/participation/evaluations/{held.evaluation_id}/").content.decode()
    assert "走进学生资助管理中心——学生资助政策开放日" in page
    assert "杭东市教育局关于印发《杭东市学生资助办法》的通知" in page
    assert "评价方式：征集调查、重点访谈、政府开放日" in re.sub(r"<[^>]+>", "", page)
