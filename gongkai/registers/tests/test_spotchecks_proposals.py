"""双随机一公开 and 建议提案: records through review, publication modes, yearly counts."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.registers import selectors, services
from gongkai.registers.proposals import default_deadline
from gongkai.review.chain_services import review_submit

from .conftest import D, publish_through_chain


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2025, 3, 10), D(2025, 6, 10)),
        (D(2025, 11, 30), D(2026, 2, 28)),  # no 30 February: the month's last day
        (D(2024, 11, 30), D(2025, 2, 28)),
        (D(2023, 11, 29), D(2024, 2, 29)),  # leap year
    ],
)
def test_default_deadline_three_months(received, due):
    assert default_deadline(received) == due


pytestmark = pytest.mark.django_db


def _proposal(org, editor, number="第0012号", **over):
    values = {
        "organisation": org,
        "kind": "npc",
        "year": 2025,
        "number": number,
        "title": "关于加快老旧小区加装电梯的建议",
        "proposer": "王建国代表",
        "received_on": D(2025, 3, 10),
        "acting_user": editor,
    }
    values.update(over)
    return services.proposal_create(**values)


def test_reply_needs_text_and_summary_or_reason_before_review(chain):
    org, editor, _reviewers = chain
    proposal = _proposal(org, editor)
    assert proposal.deadline == D(2025, 6, 10)
    with pytest.raises(ValidationError, match="请先填写复文") as caught:
        review_submit(content=proposal, acting_user=editor)
    assert caught.value.messages == ["请先填写复文"]
    with pytest.raises(ValidationError, match="摘要公开时请填写复文摘要") as caught:
        services.proposal_reply(
            proposal=proposal, reply="复文全文", replied_on=D(2025, 5, 20), mode="summary",
            acting_user=editor,
        )  # fmt: skip
    assert caught.value.messages == ["摘要公开时请填写复文摘要"]
    with pytest.raises(ValidationError, match="不公开时请填写不公开理由") as caught:
        services.proposal_reply(
            proposal=proposal, reply="复文全文", replied_on=D(2025, 5, 20), mode="none",
            acting_user=editor,
        )  # fmt: skip
    assert caught.value.messages == ["不公开时请填写不公开理由"]
    proposal.refresh_from_db()
    assert (proposal.reply, proposal.status) == ("", "draft")


def test_year_counts(chain):
    org, editor, reviewers = chain
    on_time = _proposal(org, editor, number="1")
    late = _proposal(org, editor, number="2")
    _proposal(org, editor, number="3")
    _proposal(org, editor, number="1", kind="cppcc")
    for proposal, replied in ((on_time, D(2025, 6, 10)), (late, D(2025, 6, 11))):
        services.proposal_reply(
            proposal=proposal, reply="复文", replied_on=replied, mode="full", acting_user=editor
        )
    publish_through_chain(on_time, editor, reviewers)
    counts = selectors.proposal_year_counts(2025)
    assert counts == [
        {"kind": "npc", "label": "人大代表建议", "total": 3, "replied": 2, "on_time": 1,
         "full": 1, "summary": 0, "none": 0},
        {"kind": "cppcc", "label": "政协提案", "total": 1, "replied": 0, "on_time": 0,
         "full": 0, "summary": 0, "none": 0},
    ]  # fmt: skip


def test_proposal_number_unique_per_kind_and_year(chain):
    org, editor, _reviewers = chain
    _proposal(org, editor)
    with pytest.raises(ValidationError, match="该年度已有相同编号的建议提案") as caught:
        _proposal(org, editor)
    assert caught.value.message_dict == {"number": ["该年度已有相同编号的建议提案"]}
