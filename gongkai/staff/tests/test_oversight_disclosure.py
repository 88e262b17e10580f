"""Page tests moved from gongkai/oversight/tests/test_disclosure.py (issue 11 item 7)."""

import datetime

from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Column, InformationItem
from gongkai.core.models import AuditEntry
from gongkai.foi.models import ProactiveProposal
from gongkai.oversight.models import Article20Category, DisclosureReview
from gongkai.oversight.tests.test_disclosure import _aware


def test_queue_page_and_review_form(client, withheld):
    item, editor = withheld
    two_years_ago = timezone.localdate() - datetime.timedelta(days=730)
    InformationItem.objects.filter(pk=item.pk).update(created_at=_aware(two_years_ago))
    client.force_login(editor)
    html = client.get("/staff/review/disclosure/").content.decode()
    assert "财政专项资金分配方案（讨论稿）" in html
    assert "<strong>已逾期</strong>" in html
    assert "过程性信息（条例第十六条第二款）" in html
    assert 'href="/staff/review/disclosure/"' in html  # the menu link
    assert "待评估 1 条，其中已逾期 1 条。" in client.get("/staff/review/").content.decode()

    url = f"/staff/review/disclosure/{item.pk}/"
    assert "维持不主动公开（理由仍然成立）" in client.get(url).content.decode()
    response = client.post(url, {"decision": "keep", "disclosure": "withheld", "reason": ""})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert DisclosureReview.objects.count() == 0

    response = client.post(
        url, {"decision": "keep", "disclosure": "withheld", "reason": "仍属过程性信息，方案未定稿"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/review/disclosure/"
    assert "暂无需要评估的信息" in client.get("/staff/review/disclosure/").content.decode()
    history = client.get(url).content.decode()
    assert timezone.localdate().isoformat() in history
    assert "维持不主动公开" in history
    assert "仍属过程性信息，方案未定稿" in history


def test_review_page_refuses_other_organisations(client, withheld, org_tree, make_staff):
    item, _editor = withheld
    client.force_login(make_staff(Role.EDITOR, org_tree["office"]))
    url = f"/staff/review/disclosure/{item.pk}/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"decision": "propose", "reason": "可以公开"})
    assert response.status_code == 403
    assert "您没有评估其他机构政府信息的权限。" in response.content.decode()
    assert ProactiveProposal.objects.count() == 0
    assert DisclosureReview.objects.count() == 0


def test_proposal_shows_in_the_proactive_queue(client, withheld, org_tree, make_staff):
    item, editor = withheld
    client.force_login(editor)
    response = client.post(
        f"/staff/review/disclosure/{item.pk}/",
        {"decision": "propose", "reason": "方案已正式印发"},
    )
    assert response.status_code == 302
    client.force_login(make_staff(Role.ADMIN, org_tree["finance"]))
    html = client.get("/staff/foi/proactive/").content.decode()
    assert f"定期评估 {item.index_number}" in html
    assert "财政专项资金分配方案（讨论稿）" in html
    assert "方案已正式印发" in html
    # Another organisation's administrator neither sees nor decides it.
    client.force_login(make_staff(Role.ADMIN, org_tree["office"]))
    html = client.get("/staff/foi/proactive/").content.decode()
    assert "财政专项资金分配方案（讨论稿）" not in html
    proposal = ProactiveProposal.objects.get()
    response = client.post(f"/staff/foi/proactive/{proposal.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_mapping_page_for_a_top_level_admin_only(client, org_tree, make_staff):
    client.force_login(make_staff(Role.ADMIN, org_tree["finance"]))
    assert client.get("/staff/review/article20/").status_code == 403
    city_admin = make_staff(Role.ADMIN, org_tree["city"])
    client.force_login(city_admin)
    html = client.get("/staff/review/article20/").content.decode()
    assert "第二十条第（十二）项 突发公共事件的应急预案、预警信息及应对情况" in html
    assert "政策文件（全平台）" in html
    assert "第（十五）项为兜底条款，网站自查不要求对应栏目。" in html
    news = Column.objects.get(slug="tzgg")
    policy = Column.objects.get(slug="zcwj")
    response = client.post(
        "/staff/review/article20/", {"c1": [policy.pk], "c12": [news.pk, policy.pk]}
    )
    assert response.status_code == 302
    assert sorted(
        Article20Category.objects.get(number=12).columns.values_list("slug", flat=True)
    ) == ["tzgg", "zcwj"]
    entries = AuditEntry.objects.filter(target_type="oversight.article20category")
    assert [(e.target_label, e.detail) for e in entries] == [
        (
            "第二十条第（十二）项 突发公共事件的应急预案、预警信息及应对情况",
            {"from": [], "to": ["tzgg", "zcwj"]},
        )
    ]
