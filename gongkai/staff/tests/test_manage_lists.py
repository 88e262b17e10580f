"""公开管理 → 平台名录 and 留言答复时限 (issue 15, item 7), as rendered pages: a platform
administrator edits 主题分类, 服务对象 and 企业资质; a department's administrator its own
留言答复时限 and nothing else; a rename shows on the public policy library at once, even with
the page cache on."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.catalogue.models import Audience, TopicCategory
from gongkai.core.models import AuditEntry
from gongkai.interaction.models import DeadlineRule
from gongkai.policies.models import Qualification
from gongkai.policies.tests.conftest import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["city"], username="city_admin")


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("kind", ["topics", "audiences", "qualifications"])
def test_a_department_admin_gets_403_on_the_platform_lists(client, finance_admin, kind):
    client.force_login(finance_admin)
    term = {"topics": TopicCategory, "audiences": Audience, "qualifications": Qualification}[
        kind
    ].objects.first()
    for url in (
        reverse("staff:manage_list", args=[kind]),
        reverse("staff:manage_list_term", args=[kind, term.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有全平台的政务公开管理员可以维护平台名录" in response.content.decode()
    response = client.post(reverse("staff:manage_list", args=[kind]), {"name": "新条目"})
    assert response.status_code == 403
    response = client.post(reverse("staff:manage_list_term_delete", args=[kind, term.pk]))
    assert response.status_code == 403
    assert type(term).objects.filter(pk=term.pk, name=term.name).exists()
    assert not type(term).objects.filter(name="新条目").exists()
    # Nor does the 公开管理 home offer the link.
    assert "平台名录" not in client.get(reverse("staff:manage_home")).content.decode()


def test_the_platform_admin_sees_the_two_level_list_and_adds_a_second_level(
    client, org_tree, platform_admin
):
    parent = TopicCategory.objects.get(name="卫生、体育", parent=None)
    make_item(org_tree["finance"], "体育场馆开放通知", topic=parent.children.get(name="体育"))
    client.force_login(platform_admin)
    home = client.get(reverse("staff:manage_home")).content.decode()
    assert "平台名录（主题分类、服务对象、企业资质）" in home
    page = _text(client.get(reverse("staff:manage_list", args=["topics"])))
    assert '<li><a href="/staff/manage/lists/topics/' in page
    assert ">体育</a>（1份文件）</li>" in page
    assert "在“卫生、体育”下添加二级分类" in page
    response = client.post(
        reverse("staff:manage_list", args=["topics"]),
        {"name": "全民健身", "parent": str(parent.pk), "sort_order": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "已添加主题分类“卫生、体育\\全民健身”。" in _text(response)
    assert ">全民健身</a>（0份文件）</li>" in _text(response)
    assert parent.children.get(name="全民健身").sort_order == 5


def test_a_refused_delete_is_shown_and_changes_nothing(client, org_tree, platform_admin):
    audience = Audience.objects.get(name="企业")
    make_item(org_tree["finance"], "惠企政策", audiences=[audience])
    client.force_login(platform_admin)
    response = client.post(
        reverse("staff:manage_list_term_delete", args=["audiences", audience.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "staff:manage_list_term", args=["audiences", audience.pk]
    )
    assert "服务对象“企业”已被1份文件使用，不能删除；未作任何修改。" in _text(response)
    assert Audience.objects.filter(pk=audience.pk, name="企业").exists()
    assert not AuditEntry.objects.filter(target_type="catalogue.audience").exists()


def test_a_duplicate_name_is_shown_beside_the_field(client, platform_admin):
    client.force_login(platform_admin)
    audience = Audience.objects.get(name="公众")
    response = client.post(
        reverse("staff:manage_list_term", args=["audiences", audience.pk]),
        {"name": "企业", "sort_order": "1"},
    )
    assert response.status_code == 400
    assert "已有名为“企业”的服务对象" in _text(response)
    assert Audience.objects.get(pk=audience.pk).name == "公众"


def test_a_qualification_is_reordered_through_the_page(client, platform_admin):
    client.force_login(platform_admin)
    last = Qualification.objects.order_by("-position").first()
    response = client.post(
        reverse("staff:manage_list_term", args=["qualifications", last.pk]),
        {"name": last.name, "sort_order": "0"},
        follow=True,
    )
    assert f"已保存企业资质“{last.name}”。" in _text(response)
    assert Qualification.objects.first() == last


def test_a_rename_shows_on_the_public_library_at_once_with_the_page_cache(
    client, settings, org_tree, platform_admin, django_capture_on_commit_callbacks
):
    settings.GONGKAI_PAGE_CACHE = True
    cache.clear()
    audience = Audience.objects.get(name="企业")
    topic = TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计")
    make_item(org_tree["finance"], "惠企政策", kind="normative", topic=topic, audiences=[audience])
    public = Client()
    url = reverse("portal:policy_library")
    first = _text(public.get(url))
    assert (
        f'data-facet="audience" data-value="{audience.pk}">企业 <span class="count">(1)</span>'
        in first
    )
    assert (
        f'data-value="{topic.parent_id}">财政、金融、审计 <span class="count">(1)</span>' in first
    )
    assert public.get(url).headers["X-Page-Cache"] == "HIT"
    client.force_login(platform_admin)
    with django_capture_on_commit_callbacks(execute=True):
        # A new transaction's writes bump their tables when it commits (core.page_cache).
        connection._gk_page_cache_pending = None
        response = client.post(
            reverse("staff:manage_list_term", args=["audiences", audience.pk]),
            {"name": "市场主体", "sort_order": "2"},
        )
        assert response.status_code == 302
        parent = topic.parent
        client.post(
            reverse("staff:manage_list_term", args=["topics", parent.pk]),
            {"name": "财政金融审计", "sort_order": str(parent.sort_order)},
        )
    after = public.get(url)
    assert after.headers["X-Page-Cache"] != "HIT"
    assert f'data-value="{audience.pk}">市场主体 <span class="count">(1)</span>' in _text(after)
    assert f'data-value="{topic.parent_id}">财政金融审计 <span class="count">(1)</span>' in _text(
        after
    )
    assert "财政、金融、审计" not in _text(after)
    cache.clear()


def test_a_department_admin_sets_its_deadline_rule(client, org_tree, finance_admin):
    client.force_login(finance_admin)
    url = reverse("staff:manage_deadlines", args=[org_tree["finance"].code])
    assert "留言答复时限" in client.get(reverse("staff:manage_home")).content.decode()
    page = _text(client.get(url))
    assert '<th scope="row">12345热线</th> <td>3个工作日</td>' in page
    assert (
        '<th scope="row">接诉即办平台</th> <td>1个工作日</td> <td>15个工作日</td> '
        "<td>2小时</td> <td>默认时限</td>" in page
    )
    response = client.post(
        url,
        {"form": "rule", "channel": "website", "reply_workdays": "5", "resolution_workdays": "3"},
    )
    assert response.status_code == 400
    assert "办结时限（3个工作日）不能短于答复时限（5个工作日）" in _text(response)
    assert not DeadlineRule.objects.exists()
    response = client.post(
        url,
        {"form": "rule", "channel": "website", "reply_workdays": "3", "resolution_workdays": ""},
        follow=True,
    )
    page = _text(response)
    assert "已保存“网站”渠道的留言答复时限。" in page
    assert (
        '<th scope="row">网站</th> <td>3个工作日</td> <td>—</td> <td>—</td> '
        "<td>本机关设定（默认5个工作日）</td>" in page
    )
    response = client.post(url, {"form": "reset", "channel": "website"}, follow=True)
    assert "已取消“网站”渠道的本机关时限，恢复默认时限。" in _text(response)
    assert not DeadlineRule.objects.exists()


def test_a_department_admin_cannot_set_another_organisations_limits(
    client, org_tree, finance_admin
):
    client.force_login(finance_admin)
    url = reverse("staff:manage_deadlines", args=[org_tree["office"].code])
    assert client.get(url).status_code == 403
    response = client.post(url, {"form": "rule", "channel": "website", "reply_workdays": "2"})
    assert response.status_code == 403
    assert not DeadlineRule.objects.exists()
