"""Pick, don't type (issue 15 item 2): the staff lookup behind the 索引号 fields."""

import datetime

import pytest
from django.urls import reverse

from gongkai.catalogue.tests.factories import InformationItemFactory


@pytest.fixture
def docs(org_tree):
    finance, office = org_tree["finance"], org_tree["office"]
    return {
        "own_draft": InformationItemFactory.create(
            organisation=finance,
            title="杭东市小微企业稳岗补贴实施办法",
            doc_number="杭财规〔2026〕3号",
            index_number="113301000024900002/2026-00003",
            policy_kind="normative",
            written_date=datetime.date(2026, 3, 2),
        ),
        "own_budget": InformationItemFactory.create(
            organisation=finance,
            title="杭东市财政局2026年稳岗资金预算",
            index_number="113301000024900002/2026-00004",
            policy_kind="",
            status="published",
            published_date=datetime.date(2026, 2, 1),
        ),
        "other_public": InformationItemFactory.create(
            organisation=office,
            title="杭东市稳岗扩岗若干措施",
            doc_number="杭政办发〔2025〕12号",
            index_number="113301000024900001/2025-00012",
            policy_kind="other",
            status="published",
            published_date=datetime.date(2025, 6, 30),
        ),
        "other_draft": InformationItemFactory.create(
            organisation=office,
            title="杭东市稳岗补贴（征求意见稿）",
            index_number="113301000024900001/2026-00001",
            policy_kind="normative",
        ),
    }


def _lookup(client, q, scope="policy"):
    return client.get(reverse("staff:items_lookup"), {"q": q, "for": scope})


def test_policy_lookup_is_scoped_and_shaped(client, editor, docs):
    client.force_login(editor)
    response = _lookup(client, "稳岗")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private, no-store")
    results = response.json()["results"]
    # Own draft policy and another organisation's public policy; never another's draft, never
    # a document that is not a policy.
    assert [r["title"] for r in results] == [
        "杭东市稳岗扩岗若干措施",
        "杭东市小微企业稳岗补贴实施办法",
    ]
    assert results[0] == {
        "id": docs["other_public"].pk,
        "index_number": "113301000024900001/2025-00012",
        "title": "杭东市稳岗扩岗若干措施",
        "doc_number": "杭政办发〔2025〕12号",
        "organisation": "杭东市人民政府办公厅",
        "date": "2025-06-30",
        "status": "",
        "label": (
            "《杭东市稳岗扩岗若干措施》（杭政办发〔2025〕12号） 杭东市人民政府办公厅 2025-06-30"
        ),
    }
    assert results[1]["status"] == "草稿"
    assert results[1]["date"] == "2026-03-02"


def test_successor_lookup_includes_documents_that_are_not_policies(client, editor, docs):
    client.force_login(editor)
    titles = [r["title"] for r in _lookup(client, "稳岗", "successor").json()["results"]]
    assert "杭东市财政局2026年稳岗资金预算" in titles
    assert "杭东市稳岗补贴（征求意见稿）" not in titles


@pytest.mark.parametrize(
    "query", ["杭财规[2026]3号", "杭财规【2026】3", "113301000024900002/2026-00003", "小微企业稳岗"]
)
def test_found_by_doc_number_with_any_brackets_index_number_or_title(client, editor, docs, query):
    client.force_login(editor)
    results = _lookup(client, query).json()["results"]
    assert [r["index_number"] for r in results][:1] == ["113301000024900002/2026-00003"]


def test_short_or_empty_query_finds_nothing(client, editor, docs):
    client.force_login(editor)
    assert _lookup(client, "稳").json() == {"results": []}
    assert _lookup(client, "").json() == {"results": []}


def test_unknown_scope_is_refused_in_chinese(client, editor, docs):
    client.force_login(editor)
    response = _lookup(client, "稳岗", "everything")
    assert response.status_code == 400
    assert response.json() == {"detail": "参数for只能是policy或successor"}


def test_lookup_is_for_staff_only(client, public_user, docs):
    assert _lookup(client, "稳岗").status_code == 302
    client.force_login(public_user)
    assert _lookup(client, "稳岗").status_code == 403


def test_the_form_still_validates_the_index_number(client, editor, docs):
    """Without JavaScript the 索引号 is typed; the server refuses one the user may not link."""
    client.force_login(editor)
    response = client.post(
        reverse("staff:policies_qa_create"),
        {
            "organisation": editor.roles.first().organisation_id,
            "question": "谁可以申请？",
            "answer": "<p>本市小微企业。</p>",
            "policy_ref": "113301000024900001/2026-00001",
        },
    )
    assert response.status_code == 400
    assert "索引号“113301000024900001/2026-00001”不存在，或不是您可以关联的政策文件" in (
        response.content.decode()
    )
    page = client.get(reverse("staff:policies_qa_create")).content.decode()
    assert 'data-pick="/staff/items/lookup/?for=policy"' in page
