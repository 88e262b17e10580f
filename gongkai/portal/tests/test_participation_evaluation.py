"""View tests moved from gongkai/participation/tests/test_evaluation.py (issue 11 item 7)."""

import pytest

from gongkai.accounts.models import Role
from gongkai.participation import services
from gongkai.participation.tests.test_evaluation import FINDINGS, _policy
from gongkai.review.chain_services import review_decide, review_request_for, review_submit

pytestmark = pytest.mark.django_db


def test_evaluation_published_through_review_and_shown(client, org_tree, make_staff):
    office = org_tree["office"]
    editor = make_staff(Role.EDITOR, office)
    reviewers = [make_staff(Role.REVIEWER, office, review_level=n) for n in (1, 2, 3)]
    policy = _policy(office)
    e = services.evaluation_create(
        organisation=office,
        policy=policy,
        title="《杭东市居家适老化改造补贴办法》实施效果评价报告",
        plan="2026年第三季度开展评价。",
        methods=["open_day", "survey", "open_day"],
        acting_user=editor,
        **FINDINGS,
    )
    assert e.methods == ["open_day", "survey"]
    review_submit(content=e, acting_user=editor)
    for reviewer in reviewers:
        review_decide(request=review_request_for(e), decision="approve", acting_user=reviewer)
    e.refresh_from_db()
    assert e.status == "published"
    html = client.get(f"/participation/evaluations/{e.pk}/").content.decode()
    assert "政府开放日、征集调查" in html
    assert "农村地区知晓率偏低。" in html
    assert f'href="/items/{policy.pk}/"' in html
