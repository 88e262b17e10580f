"""``/api/v1/participation/…``: the consultations (open/closed, by organisation), one
consultation with its published feedback counts, and the directory by year."""

import datetime

import pytest

from gongkai.accounts.models import Role
from gongkai.core.status import ContentStatus
from gongkai.participation import services
from gongkai.participation.tests.factories import ConsultationFactory, DirectoryFactory
from gongkai.participation.tests.page_helpers import (
    _with_published_feedback,
    open_consultation,
    today,
)

pytestmark = pytest.mark.django_db


def test_list_open_and_closed_by_organisation(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    finished = _with_published_feedback(org_tree["office"], editor)
    running = open_consultation(organisation=org_tree["finance"])
    ConsultationFactory(status=ContentStatus.DRAFT, organisation=org_tree["finance"])
    body = client.get("/api/v1/participation/consultations").json()
    assert body["count"] == 2
    assert [r["id"] for r in body["results"]] == [running.pk, finished.pk]
    body = client.get("/api/v1/participation/consultations?state=open").json()
    assert [(r["id"], r["state"], r["days_left"]) for r in body["results"]] == [
        (running.pk, "open", 26)
    ]
    body = client.get("/api/v1/participation/consultations?state=closed").json()
    assert [(r["id"], r["feedback_published"]) for r in body["results"]] == [(finished.pk, True)]
    code = org_tree["finance"].code
    body = client.get(f"/api/v1/participation/consultations?org={code}").json()
    assert [r["id"] for r in body["results"]] == [running.pk]
    assert body["results"][0]["organisation"] == {"code": code, "name": org_tree["finance"].name}


def test_detail_has_the_published_feedback_counts(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["office"])
    c = _with_published_feedback(org_tree["office"], editor)
    body = client.get(f"/api/v1/participation/consultations/{c.pk}").json()
    assert body["state"] == "closed"
    assert body["days_left"] == 0
    assert body["feedback"]["counts"] == {
        "adopted": 4,
        "partly": 0,
        "not_adopted": 1,
        "already": 0,
        "other": 0,
        "total": 5,
    }
    assert body["feedback"]["non_adoption"] == [
        {"title": "取消备案", "disposition": "not_adopted", "reason": "备案为法定程序"}
    ]
    draft = ConsultationFactory(status=ContentStatus.DRAFT)
    r = client.get(f"/api/v1/participation/consultations/{draft.pk}")
    assert r.status_code == 404
    assert "detail" in r.json()
    r = client.get("/api/v1/participation/consultations/0")
    assert r.status_code == 422


def test_open_consultation_without_feedback(client):
    c = open_consultation()
    body = client.get(f"/api/v1/participation/consultations/{c.pk}").json()
    assert body["feedback"] is None
    assert body["feedback_published"] is False
    assert body["opens_on"] == (today() - datetime.timedelta(days=5)).isoformat()


def test_directory_by_year_only_published(client, org_tree, make_staff):
    editor = make_staff(Role.EDITOR, org_tree["city"])
    d = DirectoryFactory(organisation=org_tree["city"], year=2026)
    services.decision_add(
        directory=d,
        title="杭东市轨道交通线网规划",
        owner=org_tree["office"],
        legal_basis="《城乡规划法》",
        planned_time="2026年12月",
        acting_user=editor,
    )
    assert client.get("/api/v1/participation/decisions?year=2026").json() == []
    services.directory_publish(directory=d, acting_user=editor, without_review="测试")
    body = client.get("/api/v1/participation/decisions?year=2026").json()
    assert len(body) == 1
    assert body[0]["organisation"]["name"] == "杭东市人民政府"
    decision = body[0]["decisions"][0]
    assert decision["title"] == "杭东市轨道交通线网规划"
    assert [s["label"] for s in decision["stages"]] == [
        "公众参与",
        "专家论证",
        "风险评估",
        "合法性审查",
        "集体讨论决定",
        "决策公布",
        "解读",
        "执行评估",
    ]
    assert client.get("/api/v1/participation/decisions").json()[0]["year"] == 2026
    assert client.get("/api/v1/participation/decisions?year=2025").json() == []
    r = client.get("/api/v1/participation/decisions?year=99999")
    assert r.status_code == 422
    assert "year" in r.json()["detail"]
