"""View tests moved from gongkai/participation/tests/test_directory.py (issue 11 item 7)."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.participation import services
from gongkai.participation.tests.test_directory import D

pytestmark = pytest.mark.django_db


def test_link_published_document_brings_its_interpretation(decision, org_tree, client):
    from gongkai.catalogue.models import InformationItem
    from gongkai.catalogue.services import index_numbers_allocate
    from gongkai.policies.models import Interpretation

    x, editor = decision
    (number,) = index_numbers_allocate(organisation=org_tree["city"], on_date=D(2026, 10, 1))
    doc = InformationItem.objects.create(
        index_number=number,
        organisation=org_tree["city"],
        title="杭东市养老服务设施布局规划（2026—2035年）",
        written_date=D(2026, 10, 1),
        published_date=D(2026, 10, 8),
        status="published",
    )
    draft_reading = Interpretation.objects.create(
        organisation=org_tree["city"], title="草稿解读", status="draft"
    )
    reading = Interpretation.objects.create(
        organisation=org_tree["city"], title="一图读懂养老服务设施布局规划", status="published"
    )
    draft_reading.policies.add(doc)
    reading.policies.add(doc)
    services.decision_link(decision=x, decision_document=doc, acting_user=editor)
    x.refresh_from_db()
    assert (x.decision_document, x.interpretation) == (doc, reading)
    services.directory_publish(directory=x.directory, acting_user=editor, without_review="测试")
    html = client.get("/participation/decisions/?year=2026").content.decode()
    assert f'href="/interpretations/{reading.pk}/"' in html
    doc.status = "draft"
    with pytest.raises(ValidationError, match="只能关联已发布的决策文件"):
        services.decision_link(decision=x, decision_document=doc, acting_user=editor)


def test_public_directory_shows_published_adjustments_and_a_past_day(decision, org_tree, client):
    from gongkai.participation.models import DecisionVersion, DirectoryAdjustment

    x, editor = decision
    services.directory_publish(
        directory=x.directory, acting_user=editor, on=D(2026, 2, 1), without_review="测试"
    )
    change = services.directory_adjustment_create(
        directory=x.directory,
        action="change",
        decision=x,
        title=x.title,
        owner=x.owner,
        legal_basis=x.legal_basis,
        planned_time="2026年12月",
        reason="需补充专家论证，推迟完成",
        acting_user=editor,
    )
    draft = services.directory_adjustment_create(
        directory=x.directory,
        action="remove",
        decision=x,
        reason="尚在审核的调出",
        acting_user=editor,
    )
    html = client.get("/participation/decisions/?year=2026").content.decode()
    assert "需补充专家论证" not in html
    assert "尚在审核的调出" not in html
    services.directory_adjustment_publish(
        adjustment=change, acting_user=editor, on=D(2026, 6, 1), without_review="测试"
    )
    html = client.get("/participation/decisions/?year=2026").content.decode()
    assert "<td>2026年12月</td>" in html
    assert "<td>2026年10月</td>" not in html
    assert (
        '<tr><td><a href="?year=2026&amp;on=2026-06-01" title="查看当日目录">2026-06-01</a></td>'
        "<td>调整事项</td><td>杭东市养老服务设施布局规划</td><td>需补充专家论证，推迟完成</td></tr>"
    ) in html
    assert "尚在审核的调出" not in html
    past = client.get("/participation/decisions/?year=2026&on=2026-05-31").content.decode()
    assert "以下为2026-05-31当日的目录内容。" in past
    assert "<td>2026年10月</td>" in past
    assert "<td>2026年12月</td>" not in past
    before = client.get("/participation/decisions/?year=2026&on=2026-01-31").content.decode()
    assert "当日目录尚未公布。" in before
    assert DirectoryAdjustment.objects.get(pk=draft.pk).status == "draft"
    assert DecisionVersion.objects.filter(decision=x).count() == 2
