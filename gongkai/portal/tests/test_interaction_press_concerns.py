"""The public 新闻发布会 and 回应关切 pages: only published records, with their facts, media
links and the policies and interpretations they concern (those still public)."""

from datetime import date, time

import pytest
from django.urls import reverse

from gongkai.catalogue.models import InformationItem
from gongkai.interaction import opinion, press
from gongkai.interaction.tests.publishing_helpers import (
    CONCERN,
    CONFERENCE,
    approve,
    people,
    public_interpretation,
    public_policy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org_tree, make_staff):
    editor, reviewers = people(org_tree, make_staff)
    policy = public_policy(org_tree["finance"])
    reading = public_interpretation(org_tree["finance"])
    conference = press.press_conference_record(
        organisation=org_tree["finance"],
        data={
            **CONFERENCE,
            "start_time": time(9, 30),
            "policies": [policy],
            "interpretations": [reading],
        },
        acting_user=editor,
    )
    approve(conference, editor, reviewers)
    response = opinion.concern_response_create(
        organisation=org_tree["finance"],
        data={**CONCERN, "conference": conference, "policies": [policy]},
        acting_user=editor,
    )
    approve(response, editor, reviewers)
    draft = press.press_conference_record(
        organisation=org_tree["finance"],
        data={**CONFERENCE, "topic": "尚未审核的发布会"},
        acting_user=editor,
    )
    return {
        "editor": editor,
        "conference": conference,
        "response": response,
        "draft": draft,
        "policy": policy,
        "reading": reading,
    }


def test_conference_page_shows_every_fact_and_link(client, published):
    conference, policy, reading = (published[k] for k in ("conference", "policy", "reading"))
    html = client.get(reverse("portal:interaction_press_detail", args=[conference.pk])).content
    page = html.decode()
    assert "<h1>《杭东市老旧小区改造三年行动方案》新闻发布会</h1>" in page
    assert "<dd>2025年9月26日 09:30</dd>" in page
    assert "<dd>市政府新闻发布厅</dd>" in page
    assert "<dd>市住房和城乡建设局副局长 陈立</dd>" in page
    assert "<dd>杭东市财政局</dd>" in page
    assert "今年全市计划改造老旧小区120个，惠及居民3.2万户。" in page
    assert 'href="https://video.hangdong.gov.cn/fbh/20250926.mp4"' in page
    assert 'href="https://img.hangdong.gov.cn/fbh/2.jpg"' in page
    assert "现场图片2" in page
    item_url = reverse("portal:item_detail", args=[policy.pk])
    assert f'<a href="{item_url}">杭东市老旧小区改造三年行动方案</a>（杭政办〔2025〕12号）' in page
    assert reverse("portal:interpretation_detail", args=[reading.pk]) in page
    # The response given at this conference is linked from it.
    assert reverse("portal:interaction_concern_detail", args=[published["response"].pk]) in page


def test_lists_show_published_records_only_and_filter(client, published, org_tree):
    page = client.get(reverse("portal:interaction_press")).content.decode()
    assert "《杭东市老旧小区改造三年行动方案》新闻发布会" in page
    assert "尚未审核的发布会" not in page
    other_year = client.get(reverse("portal:interaction_press"), {"year": "2024"})
    assert "暂无已发布的新闻发布会。" in other_year.content.decode()
    other_org = client.get(reverse("portal:interaction_press"), {"org": org_tree["office"].code})
    assert "暂无已发布的新闻发布会。" in other_org.content.decode()
    draft_page = client.get(
        reverse("portal:interaction_press_detail", args=[published["draft"].pk])
    )
    assert draft_page.status_code == 404
    concerns = client.get(reverse("portal:interaction_concerns")).content.decode()
    assert "关于老旧小区改造资金拨付进度的回应" in concerns
    assert "杭东市财政局 · 发布日期" in concerns


def test_concern_page_shows_concern_response_organisation_and_links(client, published):
    response = published["response"]
    page = client.get(
        reverse("portal:interaction_concern_detail", args=[response.pk])
    ).content.decode()
    assert "有市民关注老旧小区改造补助资金何时拨付到位。" in page
    assert "首批补助资金1.2亿元已于9月下达各区，剩余资金年底前拨付。" in page
    assert f"发布机关：杭东市财政局 · 发布日期：{response.published_date:%Y-%m-%d}" in page
    assert reverse("portal:item_detail", args=[published["policy"].pk]) in page
    press_url = reverse("portal:interaction_press_detail", args=[published["conference"].pk])
    assert f'<a href="{press_url}">' in page


def test_a_policy_withdrawn_later_drops_off_the_page(client, published):
    InformationItem.objects.filter(pk=published["policy"].pk).update(status="withdrawn")
    page = client.get(
        reverse("portal:interaction_press_detail", args=[published["conference"].pk])
    ).content.decode()
    assert reverse("portal:item_detail", args=[published["policy"].pk]) not in page
    assert "一图读懂老旧小区改造三年行动方案" in page


def test_withdrawn_conference_leaves_the_portal(client, published):
    from gongkai.review.chain_services import review_withdraw

    conference = published["conference"]
    review_withdraw(content=conference, reason="实录待核对", acting_user=published["editor"])
    url = reverse("portal:interaction_press_detail", args=[conference.pk])
    assert client.get(url).status_code == 404
    # The response stays, without the link to the withdrawn conference.
    page = client.get(
        reverse("portal:interaction_concern_detail", args=[published["response"].pk])
    ).content.decode()
    assert url not in page


def test_section_navigation_comes_from_the_registry(client, published):
    page = client.get(reverse("portal:interaction_index")).content.decode()
    assert f'<a href="{reverse("portal:interaction_press")}">新闻发布会</a>' in page
    assert f'<a href="{reverse("portal:interaction_concerns")}">回应关切</a>' in page


def test_list_query_count_does_not_grow_with_rows(
    client, published, org_tree, make_staff, django_assert_max_num_queries
):
    editor, reviewers = people(org_tree, make_staff)
    for n in range(4):
        extra = press.press_conference_record(
            organisation=org_tree["finance"],
            data={**CONFERENCE, "held_on": date(2025, 10, n + 1), "topic": f"第{n}场发布会"},
            acting_user=editor,
        )
        approve(extra, editor, reviewers)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("portal:interaction_press")).content.decode()
    assert page.count('class="meta"') == 5
