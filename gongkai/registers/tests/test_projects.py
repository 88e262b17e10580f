"""重大建设项目: the stage completeness rule, the timeline, the public list and review."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.registers import selectors, services
from gongkai.registers.projects import expected_stages, missing_stages

from .conftest import publish_through_chain
from .factories import ProjectFactory


@pytest.mark.parametrize(
    ("phase", "land", "expected"),
    [
        ("approval", False, ["approval_service", "approval_result"]),
        ("approval", True, ["approval_service", "approval_result"]),
        (
            "construction",
            False,
            ["approval_service", "approval_result", "tendering", "construction", "supervision"],
        ),
        (
            "construction",
            True,
            [
                "approval_service", "approval_result", "tendering", "land", "construction",
                "supervision",
            ],
        ),
        (
            "completed",
            True,
            [
                "approval_service", "approval_result", "tendering", "land", "construction",
                "supervision", "completion",
            ],
        ),
    ],
)  # fmt: skip
def test_expected_stages_per_phase(phase, land, expected):
    assert expected_stages(phase, involves_land=land) == expected


def test_missing_stages_never_asks_for_a_design_change():
    assert missing_stages(
        "completed",
        involves_land=False,
        present=["approval_service", "approval_result", "tendering", "construction"],
    ) == ["supervision", "completion"]


pytestmark = pytest.mark.django_db


def test_project_and_stage_item_go_through_review(chain):
    org, editor, reviewers = chain
    project = services.project_create(
        organisation=org,
        values={
            "name": "杭东市城市快速路二期工程", "owner": "杭东市城投集团", "location": "西湖区",
            "district": "西湖区", "industry": "交通运输", "investment": Decimal("350000"),
            "phase": "approval", "year": 2025, "involves_land": True,
        },
        acting_user=editor,
    )  # fmt: skip
    with pytest.raises(
        ValidationError, match="“杭东市城市快速路二期工程”未经审核流程终审通过，不能发布"
    ):
        services.project_publish(project=project, acting_user=editor)
    publish_through_chain(project, editor, reviewers)
    assert (project.status, project.published_date) == ("published", timezone.localdate())
    item = services.stage_item_create(
        project=project,
        stage="approval_result",
        title="关于城市快速路二期工程可行性研究报告的批复",
        item_date=datetime.date(2025, 4, 1),
        url="https://www.hangdong.gov.cn/art/2025/4/1/9.html",
        acting_user=editor,
    )
    assert selectors.project_timeline(project, staff=False) == []
    publish_through_chain(item, editor, reviewers)
    assert [r["stage"] for r in selectors.project_timeline(project, staff=False)] == [
        "approval_result"
    ]


def test_project_validation_and_stage_item_needs_link_or_file(chain):
    org, editor, _reviewers = chain
    with pytest.raises(ValidationError, match="请填写“项目单位”") as caught:
        services.project_create(
            organisation=org,
            values={"name": "甲", "phase": "planned", "year": 1980, "investment": Decimal("-1")},
            acting_user=editor,
        )
    assert caught.value.message_dict == {
        "owner": ["请填写“项目单位”"],
        "location": ["请填写“建设地点”"],
        "district": ["请填写“所属区县”"],
        "industry": ["请填写“所属行业”"],
        "phase": ["请选择建设进程（报批、在建或竣工）"],
        "year": ["年份应在1990年至2100年之间"],
        "investment": ["请填写总投资（万元，不小于0）"],
    }
    project = ProjectFactory(organisation=org)
    with pytest.raises(ValidationError, match="请填写链接或上传附件") as caught:
        services.stage_item_create(
            project=project, stage="land", title="征地公告", item_date=datetime.date(2025, 1, 1),
            acting_user=editor,
        )  # fmt: skip
    assert caught.value.message_dict == {"url": ["请填写链接或上传附件"]}
    assert project.stage_items.count() == 0
