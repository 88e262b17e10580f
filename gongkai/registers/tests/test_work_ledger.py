"""政务公开工作台账: tasks, progress, training records and the ≥1-a-year inspection rule."""

import pytest
from django.core.exceptions import ValidationError

from gongkai.accounts.models import Role
from gongkai.oversight import inspection
from gongkai.registers import selectors, services

from .conftest import D

pytestmark = pytest.mark.django_db


def test_training_rule_is_pure_and_names_the_organisations():
    findings = inspection.training_findings(
        [(1, "杭东市财政局", 0), (2, "杭东市教育局", 2)], D(2026, 11, 20)
    )
    assert [(f.rule, f.message, f.target_id) for f in findings] == [
        ("no_training", "“杭东市财政局”2026年尚未开展政务公开业务培训（每年不少于1次）", 1)
    ]


def test_training_facts_only_once_the_ledger_is_kept(org_tree, make_staff):
    assert inspection.gather_training_facts(D(2025, 11, 1)) == []
    services.training_record(
        organisation=org_tree["finance"],
        held_on=D(2025, 4, 18),
        topic="政府信息公开条例解读",
        audience="各处室信息公开联络员",
        participants=36,
        acting_user=make_staff(Role.EDITOR, org_tree["finance"]),
    )
    facts = dict((name, n) for _pk, name, n in inspection.gather_training_facts(D(2025, 11, 1)))
    assert facts["杭东市财政局"] == 1
    assert facts["杭东市人民政府办公厅"] == 0
    assert selectors.training_counts(2026) == {}
    assert selectors.training_counts(2025) == {org_tree["finance"].pk: 1}


def test_tasks_and_progress(org_tree, make_staff):
    org = org_tree["office"]
    editor = make_staff(Role.EDITOR, org)
    with pytest.raises(ValidationError, match="请填写“工作任务”") as caught:
        services.work_task_create(
            organisation=org, year=2025, title="", lead_unit="", acting_user=editor
        )
    assert caught.value.message_dict == {
        "title": ["请填写“工作任务”"],
        "lead_unit": ["请填写“牵头单位”"],
    }
    task = services.work_task_create(
        organisation=org,
        year=2025,
        title="深化政策解读回应，重要政策解读率达到100%",
        source="2025年政务公开工作要点第三条",
        lead_unit="市政府办公厅",
        supporting_units="各部门",
        deadline=D(2025, 12, 31),
        acting_user=editor,
    )
    services.work_task_progress(
        task=task, progress="已发布解读42篇", done=False, acting_user=editor
    )
    task.refresh_from_db()
    assert (task.state, task.progress, task.done_on) == ("ongoing", "已发布解读42篇", None)
    services.work_task_progress(task=task, progress="全年完成", done=True, acting_user=editor)
    task.refresh_from_db()
    assert task.state == "done"
    assert list(selectors.work_tasks([org.pk], 2025)) == [task]
    assert list(selectors.work_tasks([org_tree["finance"].pk], 2025)) == []
