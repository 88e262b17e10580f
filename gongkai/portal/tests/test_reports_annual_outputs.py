"""Page tests moved from gongkai/reports/tests/test_annual_outputs.py (issue 11 item 7)."""

from datetime import date

import pytest

from gongkai.accounts.models import Role
from gongkai.reports import services
from gongkai.reports.annual import (
    SCOPE_ALL,
)
from gongkai.reports.build import build_annual_report
from gongkai.reports.models import AnnualReport
from gongkai.reports.tests.outputs import html_tables, json_tables
from gongkai.reports.tests.test_annual_outputs import api, entered, publish
from gongkai.reports.tests.test_annual_report import make_cases
from gongkai.reports.tests.test_annual_rules import facts
from gongkai.reports.tests.test_proactive_table import make_item
from gongkai.review.chain_models import ReviewRequest
from gongkai.review.chain_services import review_decide

pytestmark = pytest.mark.django_db


def test_published_report_page_and_list_show_every_table(client, city, city_admin, make_staff):
    entered(city_admin, city["city"])
    item = publish(city, make_staff, city_admin)
    published_json = build_annual_report(city["city"], 2025)
    html = client.get(f"/items/{item.pk}/").content.decode()
    assert html_tables(html) == json_tables(published_json)
    assert html_tables(html)["applications"]["一、本年新收政府信息公开申请数量"] == [
        "3", "1", "1", "0", "1", "0", "6",
    ]  # fmt: skip
    assert "统计范围：含下级政府" in html
    assert html.count("<h1") == 1
    assert "<h1>杭东市人民政府2025年政府信息公开工作年度报告</h1>" in html
    listing = client.get("/zfxxgk/annual-reports/").content.decode()
    assert '<h2 id="year-2025">2025年度</h2>' in listing
    assert (
        f'<a href="/items/{item.pk}/">杭东市人民政府2025年政府信息公开工作年度报告</a>' in listing
    )
    assert "统计范围：含下级政府" in listing
    assert "暂无" not in listing


def test_list_groups_reports_by_year_and_leaves_out_unpublished_ones(
    client, city, city_admin, make_staff
):
    entered(city_admin, city["city"])
    publish(city, make_staff, city_admin)
    # The district's report is only submitted: not on the list.
    district_admin = make_staff(Role.ADMIN, city["district"])
    for level in (1, 2, 3):
        make_staff(Role.REVIEWER, city["district"], review_level=level)
    draft = services.annual_report_save(
        organisation=city["district"],
        year=2025,
        scope=SCOPE_ALL,
        data={"overview": "西湖区总体情况。"},
        acting_user=district_admin,
    )
    services.annual_report_submit(report=draft, acting_user=district_admin)
    # A 2024 report typed in by hand as an item of the column.
    from gongkai.catalogue.models import Column

    old = make_item(city["finance"], "other", date(2025, 1, 20))
    old.title = "杭东市财政局2024年政府信息公开工作年度报告"
    old.save()
    old.columns.add(Column.objects.get(slug="gknb"))
    listing = client.get("/zfxxgk/annual-reports/").content.decode()
    assert listing.index("2025年度") < listing.index("2024年度")
    assert "杭东市西湖区人民政府2025年" not in listing
    assert f'<a href="/items/{old.pk}/">杭东市财政局2024年政府信息公开工作年度报告</a>' in listing


def test_a_withdrawn_report_can_be_submitted_again_with_new_figures(
    client, city, city_admin, make_staff
):
    from gongkai.catalogue.services import item_withdraw

    entered(city_admin, city["city"])
    item = publish(city, make_staff, city_admin)
    item_withdraw(item=item, reason="表三数字缺失，重新发布", acting_user=city_admin)
    assert api(client, city["city"]).status_code == 404  # withdrawn: not public
    make_cases(city["city"], [facts("business", "2025-12-01", "2025-12-20", "1")], "LATE")
    report = AnnualReport.objects.get(organisation=city["city"], scope=SCOPE_ALL)
    services.annual_report_submit(report=report, acting_user=city_admin)
    request = ReviewRequest.objects.get(object_id=item.pk, content_kind="item")
    reviewers = [make_staff(Role.REVIEWER, city["city"], review_level=n) for n in (1, 2, 3)]
    for reviewer in reviewers:
        review_decide(request=request, decision="approve", acting_user=reviewer)
        request.refresh_from_db()
    html = client.get(f"/items/{item.pk}/").content.decode()
    assert html_tables(html)["applications"]["一、本年新收政府信息公开申请数量"] == [
        "3", "2", "1", "0", "1", "0", "7",
    ]  # fmt: skip
    assert api(client, city["city"]).json()["applications"]["rows"]["new"]["total"] == 7
