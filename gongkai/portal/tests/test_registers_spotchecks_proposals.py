"""View tests moved from gongkai/registers/tests/test_spotchecks_proposals.py (issue 11 item 7)."""

import pytest
from django.utils import timezone

from gongkai.registers import selectors, services
from gongkai.registers.tests.conftest import D, publish_through_chain
from gongkai.registers.tests.test_spotchecks_proposals import _proposal

pytestmark = pytest.mark.django_db


def test_summary_mode_publishes_only_the_summary(client, chain):
    org, editor, reviewers = chain
    proposal = _proposal(org, editor)
    services.proposal_reply(
        proposal=proposal,
        reply="王建国代表：您提出的建议收悉。内部讨论意见：……",
        replied_on=D(2025, 5, 20),
        mode="summary",
        summary="已将老旧小区加装电梯纳入2025年民生实事项目。",
        acting_user=editor,
    )
    assert client.get(f"/zfxxgk/jyta/{proposal.pk}/").status_code == 404
    publish_through_chain(proposal, editor, reviewers)
    assert proposal.status == "published"
    html = client.get(f"/zfxxgk/jyta/{proposal.pk}/").content.decode()
    assert "已将老旧小区加装电梯纳入2025年民生实事项目。" in html
    assert "内部讨论意见" not in html


def test_not_published_shows_the_reason(client, chain):
    org, editor, reviewers = chain
    proposal = _proposal(org, editor, kind="cppcc", number="第0301号")
    services.proposal_reply(
        proposal=proposal,
        reply="涉及尚在研究的征收补偿标准……",
        replied_on=D(2025, 7, 1),
        mode="none",
        reason="复文涉及过程性信息（条例第十六条）",
        acting_user=editor,
    )
    publish_through_chain(proposal, editor, reviewers)
    html = client.get(f"/zfxxgk/jyta/{proposal.pk}/").content.decode()
    assert "复文涉及过程性信息（条例第十六条）" in html
    assert "征收补偿标准" not in html


def test_spotcheck_plan_and_results_through_review(client, chain):
    org, editor, reviewers = chain
    matter = services.spot_matter_create(
        organisation=org, name="政府采购代理机构监督检查", basis="《政府采购法》第五十九条",
        targets="在本市登记的政府采购代理机构", method="双随机抽查", acting_user=editor,
    )  # fmt: skip
    plan = services.spot_plan_create(
        organisation=org, year=2025, title="2025年度政府采购代理机构随机抽查计划",
        body="抽查比例不低于5%。", acting_user=editor,
    )  # fmt: skip
    results = [
        services.spot_result_create(
            plan=plan,
            target=target,
            matter=matter.name,
            checked_on=D(2025, 6, 1),
            result=result,
            handling=handling,
            acting_user=editor,
        )
        for target, result, handling in (
            ("杭东市诚信招标代理有限公司", "未发现问题", ""),
            ("杭东市正达项目管理有限公司", "发现问题", "责令限期改正"),
        )
    ]
    for obj in (matter, plan, results[0]):
        publish_through_chain(obj, editor, reviewers)
    assert selectors.spotcheck_year_counts(2025) == {"plans": 1, "results": 1}
    html = client.get(f"/zfxxgk/ssj/plans/{plan.pk}/").content.decode()
    assert "杭东市诚信招标代理有限公司" in html
    assert "杭东市正达项目管理有限公司" not in html
    index = client.get("/zfxxgk/ssj/").content.decode()
    assert "政府采购代理机构监督检查" in index
    assert "公开结果1条" in index
    assert f"{timezone.localdate().year}年度：公开抽查计划0个，抽查结果0条。" in index
