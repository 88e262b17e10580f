"""View tests moved from gongkai/registers/tests/test_work_ledger.py (issue 11 item 7)."""

import pytest

from gongkai.accounts.models import Role
from gongkai.registers.models import TrainingRecord, WorkTask

pytestmark = pytest.mark.django_db


def test_ledger_page(client, org_tree, make_staff):
    org = org_tree["office"]
    client.force_login(make_staff(Role.EDITOR, org))
    client.post(
        "/staff/registers/ledger/?year=2025",
        {"form": "task", "org": org.pk, "year": "2025", "title": "规范政府信息公开指南",
         "lead_unit": "政务公开科"},
    )  # fmt: skip
    client.post(
        "/staff/registers/ledger/",
        {"form": "training", "org": org.pk, "held_on": "2025-05-12", "topic": "依申请公开实务",
         "audience": "经办人员"},
    )  # fmt: skip
    task = WorkTask.objects.get()
    client.post(
        "/staff/registers/ledger/",
        {"form": "progress", "task": task.pk, "progress": "已完成修订", "done": "1"},
    )
    task.refresh_from_db()
    assert (task.title, task.state) == ("规范政府信息公开指南", "done")
    assert TrainingRecord.objects.get().topic == "依申请公开实务"
    html = client.get("/staff/registers/ledger/?year=2025").content.decode()
    assert "规范政府信息公开指南" in html
    assert "依申请公开实务" in html
