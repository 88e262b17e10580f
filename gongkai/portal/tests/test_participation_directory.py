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
