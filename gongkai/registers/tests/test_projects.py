"""重大建设项目: the stage completeness rule, the timeline, the public list and review."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.registers import selectors, services
from gongkai.registers.projects import expected_stages, missing_stages

from .conftest import publish_through_chain
from .factories import ProjectFactory, StageItemFactory


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


def test_public_timeline_hides_drafts_and_missing_stages_staff_sees_both(
    client, org_tree, make_staff
):
    project = ProjectFactory(organisation=org_tree["finance"], phase="approval")
    StageItemFactory(project=project, stage="approval_result", title="可研批复")
    StageItemFactory(project=project, stage="tendering", title="招标公告（草稿）", status="draft")
    public = selectors.project_timeline(project, staff=False)
    assert [(r["label"], [i.title for i in r["items"]], r["missing"]) for r in public] == [
        ("批准结果信息", ["可研批复"], False)
    ]
    staff = selectors.project_timeline(project, staff=True)
    assert [(r["stage"], [i.title for i in r["items"]], r["missing"]) for r in staff] == [
        ("approval_service", [], True),
        ("approval_result", ["可研批复"], False),
        ("tendering", ["招标公告（草稿）"], False),
    ]
    url = f"/zfxxgk/zdxm/{project.pk}/"
    html = client.get(url).content.decode()
    assert "可研批复" in html
    assert "招标公告" not in html
    assert "尚未公开" not in html
    client.force_login(make_staff(Role.EDITOR, org_tree["finance"]))
    html = client.get(url).content.decode()
    assert "尚未公开" in html
    assert "招标公告（草稿）" in html


def test_public_list_filters_and_counts(client, org_tree):
    org = org_tree["finance"]
    ProjectFactory(
        organisation=org, name="甲路", phase="construction", year=2025, district="西湖区"
    )
    ProjectFactory(organisation=org, name="乙桥", phase="approval", year=2025, district="上城区")
    ProjectFactory(organisation=org, name="丙馆", phase="completed", year=2024, district="西湖区")
    ProjectFactory(organisation=org, name="丁站（草稿）", phase="construction", status="draft")
    assert selectors.project_counts_by_phase() == {"approval": 1, "construction": 1, "completed": 1}
    html = client.get("/zfxxgk/zdxm/").content.decode()
    assert "甲路" in html
    assert "乙桥" in html
    assert "丙馆" in html
    assert "丁站" not in html
    html = client.get("/zfxxgk/zdxm/", {"district": "西湖区"}).content.decode()
    assert "甲路" in html
    assert "丙馆" in html
    assert "乙桥" not in html
    assert "共 2 个项目" in html
    html = client.get("/zfxxgk/zdxm/", {"year": "2025", "phase": "approval"}).content.decode()
    assert "乙桥" in html
    assert "甲路" not in html
    draft = ProjectFactory(organisation=org, status="draft")
    assert client.get(f"/zfxxgk/zdxm/{draft.pk}/").status_code == 404


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
