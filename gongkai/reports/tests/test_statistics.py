from datetime import date

from gongkai.accounts.models import Role
from gongkai.foi.tests.factories import CaseFactory
from gongkai.reports.models import AnnualReport
from gongkai.reports.stats import Period, foi_stats, publishing_stats, quarterly_bulletin

from .test_proactive_table import make_item


def make_case(org, ref, received, closed=None, due=None, outcome=""):
    return CaseFactory.create(
        reference=ref,
        organisation=org,
        applicant_type="natural",
        channel="online",
        received_date=received,
        closed_date=closed,
        due_date=due,
        outcome=outcome,
    )


def test_publishing_and_foi_figures_for_a_quarter(org_tree):
    finance = org_tree["finance"]
    make_item(finance, "", date(2025, 1, 5))
    make_item(finance, "", date(2025, 1, 20))
    make_item(finance, "normative", date(2025, 3, 31))
    make_item(finance, "", date(2025, 4, 1))  # next quarter
    make_item(finance, "", date(2025, 2, 1), status="draft")  # unpublished
    make_case(finance, "A", date(2025, 1, 2), date(2025, 1, 22), date(2025, 2, 6), "1")
    make_case(finance, "B", date(2025, 2, 3), date(2025, 3, 20), date(2025, 3, 3), "4.1")
    make_case(finance, "C", date(2025, 3, 3), None, date(2025, 3, 31))
    q1 = Period.quarter(2025, 1)
    publishing = publishing_stats({finance.pk}, q1)
    assert publishing["items"] == 3
    assert publishing["by_month"] == [{"month": "2025-01", "n": 2}, {"month": "2025-03", "n": 1}]
    foi = foi_stats({finance.pk}, q1, today=date(2025, 4, 10))
    # A took 20 days, B 45 days (closed after its due date); C is open and past due.
    assert foi["received"] == 3
    assert foi["closed"] == 2
    assert foi["average_days"] == 32.5
    assert foi["overdue_closed"] == 1
    assert foi["overdue_rate"] == 0.5
    assert foi["open_overdue"] == 1
    bulletin = quarterly_bulletin(org_tree["city"], q1)
    finance_row = next(r for r in bulletin if r["code"] == finance.code)
    assert finance_row == {
        "organisation": "杭东市财政局",
        "code": finance.code,
        "items": 3,
        "interpretations": 0,
        "foi_received": 3,
        "foi_closed": 2,
        "foi_overdue": 1,
    }


def test_staff_pages_are_scoped(org_tree, make_staff, client):
    admin = make_staff(Role.ADMIN, org_tree["finance"])
    client.force_login(admin)
    response = client.get(f"/staff/reports/statistics/?org={org_tree['finance'].code}&year=2025")
    assert response.status_code == 200
    assert "统计分析" in response.content.decode()
    xlsx = client.get(
        f"/staff/reports/statistics/?org={org_tree['finance'].code}&year=2025&format=xlsx"
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(f"/staff/reports/annual/?org={org_tree['finance'].code}&year=2025")
    assert page.status_code == 200
    # An administrator of the finance bureau cannot open the district's report.
    other = client.get(f"/staff/reports/annual/?org={org_tree['district'].code}&year=2025")
    assert other.status_code == 403
    assert "西湖区" not in other.content.decode()


def test_report_goes_through_review_and_is_published_in_the_annual_report_column(
    org_tree, make_staff, client
):
    from gongkai.reports.build import build_annual_report
    from gongkai.review.chain_services import review_decide, review_request_for

    finance = org_tree["finance"]
    admin = make_staff(Role.ADMIN, finance)
    reviewers = [make_staff(Role.REVIEWER, finance, review_level=n) for n in (1, 2, 3)]
    client.force_login(admin)
    base = f"org={finance.code}&year=2025"
    client.post(f"/staff/reports/annual/?{base}", {"overview": "总体情况正文", "problems": "问题"})
    report = AnnualReport.objects.get(organisation=finance, year=2025)
    assert report.overview == "总体情况正文"
    client.post("/staff/reports/annual/publish/", {"org": finance.code, "year": 2025})
    report.refresh_from_db()
    item = report.published_item
    assert report.status == "submitted"
    assert item.status == "in_review"
    assert item.title == "杭东市财政局2025年政府信息公开工作年度报告"
    assert item.index_number.startswith(f"{finance.code}/")
    assert item.columns.filter(slug="gknb").exists()
    assert "暂无已发布的年度报告。" in client.get("/zfxxgk/annual-reports/").content.decode()
    # While in review the text is locked.
    client.post(f"/staff/reports/annual/?{base}", {"overview": "改动", "problems": "问题"})
    report.refresh_from_db()
    assert report.overview == "总体情况正文"
    for reviewer in reviewers:
        review_decide(request=review_request_for(item), decision="approve", acting_user=reviewer)
    item.refresh_from_db()
    assert item.status == "published"
    assert build_annual_report(finance, 2025)["status"] == "published"
    listing = client.get("/zfxxgk/annual-reports/").content.decode()
    assert "杭东市财政局2025年政府信息公开工作年度报告" in listing
