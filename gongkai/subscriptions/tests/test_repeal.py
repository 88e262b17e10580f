"""Repeal propagation (issue 14 item 5): a repealed policy's interpretations and Q&A carry a
banner linking to the successor, it leaves 政策找人, and its subscribers and the profiles that
matched it are told."""

import datetime
import re

from gongkai.accounts.models import Role, User
from gongkai.catalogue.services import item_set_validity
from gongkai.policies.tests.factories import (
    PolicyItemFactory,
)
from gongkai.subscriptions.models import InboxEntry
from gongkai.subscriptions.services import subscription_create


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_valid_policy_changing_nothing_tells_nobody(
    org_tree, make_staff, django_capture_on_commit_callbacks
):
    item = PolicyItemFactory(organisation=org_tree["finance"], validity="expired")
    fan = User.objects.create_user(username="fan", password="x-1234-abcd")
    subscription_create(user=fan, kind="policy", target=item, acting_user=fan)
    with django_capture_on_commit_callbacks(execute=True):
        item_set_validity(
            item=item,
            validity="repealed",
            date=datetime.date(2026, 6, 1),
            replaced_by=None,
            acting_user=make_staff(Role.EDITOR, org_tree["finance"]),
        )
    assert InboxEntry.objects.count() == 0
