"""公开管理 › 工作人员账号 and 我管理的机构 at a city's size: search (姓名、用户名、手机号码、机构)
and 50 rows a page, always within the organisations the administrator keeps. Read from the
rendered pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.models import Organisation, Role
from gongkai.accounts.tests.factories import InternalUnitFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

STAFF_URL = reverse("staff:manage_staff")
HOME_URL = reverse("staff:manage_home")


def usernames(html: str) -> list[str]:
    """The 用户名 column of the accounts table, top to bottom."""
    body = html.split('<table class="staff-accounts">')[1].split("</table>")[0]
    return re.findall(r"<tr><td>([^<]+)</td><td>", body)


def organisation_names(html: str) -> list[str]:
    body = html.split("<h2>我管理的机构</h2>")[1].split("</table>")[0]
    return re.findall(r"<tr><td>([^<]+)</td><td><code>", body)


@pytest.fixture
def finance_admin(org_tree, make_staff):
    return make_staff(Role.ADMIN, org_tree["finance"], username="finance_admin")


@pytest.fixture
def budget(org_tree):
    return InternalUnitFactory.create(organisation=org_tree["finance"], name="预算处")


@pytest.fixture
def sixty(budget):
    """60 accounts of the 财政局's 预算处, staff001 … staff060, the 7th with a phone."""
    return [
        StaffFactory.create(
            username=f"staff{n:03d}",
            display_name=f"职员{n:03d}",
            unit=budget,
            phone="13957112345" if n == 7 else "",
        )
        for n in range(1, 61)
    ]


@pytest.fixture
def stranger(org_tree):
    """An account of the 办公厅, outside the 财政局 administrator's scope, that every search
    below would match if the scope leaked."""
    unit = InternalUnitFactory.create(organisation=org_tree["office"], name="秘书处")
    return StaffFactory.create(
        username="staff999", display_name="职员999", unit=unit, phone="13957112345"
    )


def test_fifty_a_page_in_order_then_the_rest(client, finance_admin, sixty, stranger):
    client.force_login(finance_admin)
    html = client.get(STAFF_URL).content.decode()
    assert usernames(html) == [f"staff{n:03d}" for n in range(1, 51)]
    assert "共61个账号" in html  # 60 of 预算处 and the administrator (a role, no 科室)
    assert "第1页，共2页" in html
    assert '<a href="?page=2" rel="next">下一页</a>' in html
    html = client.get(STAFF_URL, {"page": "2"}).content.decode()
    # Accounts without a 科室 come last on every database.
    assert usernames(html) == [f"staff{n:03d}" for n in range(51, 61)] + ["finance_admin"]
    assert '<a href="?page=1" rel="prev">上一页</a>' in html
    assert "staff999" not in html


def test_page_links_keep_the_search(client, finance_admin, sixty, stranger):
    client.force_login(finance_admin)
    html = client.get(STAFF_URL, {"q": "职员", "status": "active"}).content.decode()
    assert "共60个账号" in html
    assert usernames(html) == [f"staff{n:03d}" for n in range(1, 51)]
    assert '<a href="?q=%E8%81%8C%E5%91%98&amp;status=active&amp;page=2" rel="next">' in html
    html = client.get(STAFF_URL, {"q": "职员", "status": "active", "page": "2"}).content.decode()
    assert usernames(html) == [f"staff{n:03d}" for n in range(51, 61)]
    assert 'value="职员"' in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("职员007", ["staff007"]),  # 姓名
        ("STAFF05", [f"staff{n:03d}" for n in range(50, 60)]),  # 用户名, any case
        ("1234", ["staff007"]),  # 手机号码
        ("财政局", [f"staff{n:03d}" for n in range(1, 51)]),  # 机构 (first page of 60)
        ("市财政", [f"staff{n:03d}" for n in range(1, 51)]),  # 机构简称
        ("预算处", [f"staff{n:03d}" for n in range(1, 51)]),  # 科室
    ],
)
def test_search_by_name_username_phone_organisation(
    client, finance_admin, sixty, stranger, q, expected
):
    client.force_login(finance_admin)
    html = client.get(STAFF_URL, {"q": q}).content.decode()
    assert usernames(html) == expected
    assert "staff999" not in html


def test_a_search_without_a_hit_says_so(client, finance_admin, sixty, stranger):
    client.force_login(finance_admin)
    # 职员999 is the 办公厅's: out of scope, so no hit here.
    response = client.get(STAFF_URL, {"q": "职员999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert usernames(html) == []
    assert '<tr><td colspan="6">没有符合条件的工作人员账号。</td></tr>' in html
    assert "共0个账号" in html
    assert '<a href="/staff/manage/staff/">清除条件</a>' in html


def test_status_filter_lists_the_stopped_accounts(client, finance_admin, sixty):
    for account in sixty[:2]:
        account.is_active = False
        account.save(update_fields=["is_active"])
    client.force_login(finance_admin)
    html = client.get(STAFF_URL, {"status": "inactive"}).content.decode()
    assert usernames(html) == ["staff001", "staff002"]
    html = client.get(STAFF_URL).content.decode()
    # Stopped accounts after the active ones.
    assert usernames(html)[:2] == ["staff003", "staff004"]


def test_a_bad_status_is_refused_in_chinese(client, finance_admin, sixty):
    client.force_login(finance_admin)
    response = client.get(STAFF_URL, {"status": "gone"})
    assert response.status_code == 400
    assert "选择一个有效的选项。 gone 不在可用的选项中。" in response.content.decode()


def test_the_city_admin_finds_each_department_but_no_other_city(
    client, org_tree, make_staff, sixty, stranger
):
    city_admin = make_staff(Role.ADMIN, org_tree["city"], include_descendants=True)
    other_city = OrganisationFactory.create(name="杭西市财政局", short_name="杭西财政")
    StaffFactory.create(
        username="staff998",
        display_name="职员998",
        unit=InternalUnitFactory.create(organisation=other_city, name="预算处"),
    )
    client.force_login(city_admin)
    html = client.get(STAFF_URL, {"q": "职员99"}).content.decode()
    assert usernames(html) == ["staff999"]
    html = client.get(STAFF_URL, {"q": "秘书处"}).content.decode()
    assert usernames(html) == ["staff999"]
    html = client.get(STAFF_URL, {"q": "财政"}).content.decode()
    assert "共60个账号" in html
    html = client.get(STAFF_URL, {"q": "staff998"}).content.decode()
    assert usernames(html) == []
    assert "共0个账号" in html


def test_queries_do_not_grow_with_the_rows(client, finance_admin, sixty):
    client.force_login(finance_admin)

    def queries(**params: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(STAFF_URL, params).status_code == 200
        return len(ctx.captured_queries)

    assert queries(q="职员007") == queries()  # 1 row and 50 rows


@pytest.fixture
def many_bodies(org_tree):
    """55 bodies under the 财政局 (sort order 1…55), so its administrator keeps 56."""
    return [
        OrganisationFactory.create(
            name=f"杭东市财政局第{n:02d}所",
            code=f"1133010000777{n:05d}",
            parent=org_tree["finance"],
            sort_order=n,
        )
        for n in range(1, 56)
    ]


def test_organisations_fifty_a_page_and_searchable(client, org_tree, many_bodies, make_staff):
    finance_admin = make_staff(Role.ADMIN, org_tree["finance"], include_descendants=True)
    org_tree["finance"].sort_order = 0
    org_tree["finance"].save(update_fields=["sort_order"])
    client.force_login(finance_admin)
    html = client.get(HOME_URL).content.decode()
    assert organisation_names(html) == ["杭东市财政局"] + [
        f"杭东市财政局第{n:02d}所" for n in range(1, 50)
    ]
    assert "共56个机构" in html
    html = client.get(HOME_URL, {"page": "2"}).content.decode()
    assert organisation_names(html) == [f"杭东市财政局第{n:02d}所" for n in range(50, 56)]
    html = client.get(HOME_URL, {"q": "第0"}).content.decode()
    assert organisation_names(html) == [f"杭东市财政局第{n:02d}所" for n in range(1, 10)]
    html = client.get(HOME_URL, {"q": "113301000077700012"}).content.decode()
    assert organisation_names(html) == ["杭东市财政局第12所"]
    # Another organisation of the city is outside the scope: no hit, said in Chinese.
    html = client.get(HOME_URL, {"q": "办公厅"}).content.decode()
    assert organisation_names(html) == []
    assert '<tr><td colspan="3">没有符合条件的机构。</td></tr>' in html
    assert Organisation.objects.filter(name__contains="办公厅").count() == 1
