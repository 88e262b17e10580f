import datetime

import pytest

from gongkai.accounts.models import Role
from gongkai.registers import services
from gongkai.review.chain_services import review_decide, review_request_for, review_submit


@pytest.fixture
def chain(org_tree, make_staff):
    """The finance bureau's editor and one reviewer per level of the default three-level chain."""
    org = org_tree["finance"]
    editor = make_staff(Role.EDITOR, org)
    reviewers = [make_staff(Role.REVIEWER, org, review_level=level) for level in (1, 2, 3)]
    return org, editor, reviewers


def publish_through_chain(obj, editor, reviewers):
    review_submit(content=obj, acting_user=editor)
    for reviewer in reviewers:
        review_decide(request=review_request_for(obj), decision="approve", acting_user=reviewer)
    obj.refresh_from_db()
    return obj


def power(**over):
    values = {
        "name": "对违反预算管理规定行为的处罚",
        "category": "处罚",
        "basis": "《中华人民共和国预算法》第九十二条",
        "implementer": "杭东市财政局",
        "duties": "1.立案责任 2.调查责任",
        "accountability": "未依法履行职责的",
    }
    values.update(over)
    return values


@pytest.fixture
def adjust(chain):
    """Draft an adjustment as the editor and publish it through the whole chain."""
    org, editor, reviewers = chain

    def make(action, on, *, entry=None, values=None, delegated_to=""):
        obj = services.adjustment_create(
            organisation=org,
            list_kind="powers",
            action=action,
            entry=entry,
            effective_date=on,
            reason=f"{action}理由",
            legal_basis="杭政办〔2025〕1号",
            values=values or power(),
            delegated_to=delegated_to,
            acting_user=editor,
        )
        return publish_through_chain(obj, editor, reviewers)

    return make


D = datetime.date
