"""View tests moved from gongkai/registers/tests/test_projects.py (issue 11 item 7)."""

import pytest

from gongkai.accounts.models import Role
from gongkai.registers import selectors
from gongkai.registers.tests.factories import ProjectFactory, StageItemFactory

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
    assert "共2个项目" in html
    html = client.get("/zfxxgk/zdxm/", {"year": "2025", "phase": "approval"}).content.decode()
    assert "乙桥" in html
    assert "甲路" not in html
    draft = ProjectFactory(organisation=org, status="draft")
    assert client.get(f"/zfxxgk/zdxm/{draft.pk}/").status_code == 404
