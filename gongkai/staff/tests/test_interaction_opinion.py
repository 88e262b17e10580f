"""View tests moved from gongkai/interaction/tests/test_opinion.py (issue 11 item 7)."""

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.interaction.tests.test_opinion import ITEM

pytestmark = pytest.mark.django_db


def test_staff_ledger_page_and_export(client, org_tree, make_staff):
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    client.post(
        "/staff/interaction/opinion/",
        {"form": "record", "collected_on": timezone.localdate().isoformat(), **ITEM},
    )
    html = client.get("/staff/interaction/opinion/").content.decode()
    assert "网民反映公租房排队时间长" in html
    assert "收集1条，已回应0条" in html
    export = client.get("/staff/interaction/opinion/", {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
