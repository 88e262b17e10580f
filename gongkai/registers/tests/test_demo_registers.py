"""The demo world's registers: a realistic 权责清单 with its history, projects at every phase
with exactly the expected stages published (or a known gap), and a 整改台账."""

import io

import pytest
from django.core.management import call_command

from gongkai.accounts.models import Organisation
from gongkai.registers import selectors
from gongkai.registers.models import Project, Rectification, WorkTask
from gongkai.registers.projects import missing_stages

from .conftest import D

pytestmark = pytest.mark.django_db


def test_demo_world_registers():
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    scjgj = Organisation.objects.get(name="杭东市市场监督管理局")
    before = [v.name for v in selectors.list_as_of(scjgj, "powers", D(2024, 12, 31))]
    after = [v.name for v in selectors.list_as_of(scjgj, "powers", D(2025, 11, 20))]
    assert len(before) == 16
    assert len(after) == 14
    assert "计量器具监督检查" in before
    assert "计量器具监督检查" not in after
    assert "对经营不符合食品安全标准的食品、食品添加剂的处罚" in after
    assert [a.get_action_display() for a in selectors.adjustment_history(scjgj, "powers")][:3] == [
        "变更",
        "取消",
        "下放",
    ]
    assert selectors.list_counts(scjgj, D(2025, 11, 20)) == {
        "powers": 14,
        "services": 3,
        "fees": 2,
    }
    assert selectors.project_counts_by_phase() == {"approval": 2, "construction": 2, "completed": 2}
    gaps = {
        p.name: missing_stages(
            p.phase,
            involves_land=p.involves_land,
            present=p.stage_items.values_list("stage", flat=True),
        )
        for p in Project.objects.all()
    }
    assert gaps == {
        "杭东市城市快速路二期工程": [],
        "杭东市第二水厂扩建工程": ["supervision"],
        "杭东市人民医院新院区": ["approval_result"],
        "杭东市职业教育实训基地": [],
        "杭东市垃圾焚烧发电厂提标改造": [],
        "杭东市体育中心": [],
    }
    assert sorted(Rectification.objects.values_list("state", flat=True)) == [
        "closed",
        "done",
        "open",
        "open",
    ]
    assert selectors.spotcheck_year_counts(2025) == {"plans": 1, "results": 4}
    counts = {row["kind"]: row for row in selectors.proposal_year_counts(2025)}
    assert (counts["npc"]["total"], counts["npc"]["full"], counts["npc"]["summary"]) == (3, 2, 1)
    assert (counts["cppcc"]["total"], counts["cppcc"]["replied"], counts["cppcc"]["none"]) == (
        2,
        1,
        1,
    )
    assert WorkTask.objects.filter(year=2026).count() == 5
    assert selectors.training_counts(2026) == {
        Organisation.objects.get(name="杭东市人民政府").pk: 1,
        Organisation.objects.get(name="杭东市西湖区人民政府").pk: 1,
    }
