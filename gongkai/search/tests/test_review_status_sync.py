"""Status changes made by the review chain (a queryset update, no model signals) reach search."""

import datetime

from gongkai.accounts.models import Role
from gongkai.catalogue.services import item_create, item_publish
from gongkai.review.chain_services import adapter_for
from gongkai.review.testing import mark_approved
from gongkai.search.selectors import run_search


def test_item_sent_back_to_review_leaves_public_search(
    org_tree, make_staff, django_capture_on_commit_callbacks
):
    editor = make_staff(Role.EDITOR, org_tree["finance"])
    with django_capture_on_commit_callbacks(execute=True):
        item = item_create(
            organisation=org_tree["finance"],
            data={"title": "关于预算绩效评价的通知", "written_date": datetime.date(2026, 3, 2)},
            acting_user=editor,
        )
        mark_approved(item)
        item_publish(item=item, acting_user=editor)
    assert run_search(user=None, q="预算绩效评价").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        adapter_for(item).set_status(item, "in_review")
    assert run_search(user=None, q="预算绩效评价").total == 0
