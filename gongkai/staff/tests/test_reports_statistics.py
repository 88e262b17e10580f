"""Page tests moved from gongkai/reports/tests/test_statistics.py (issue 11 item 7)."""

from gongkai.accounts.models import Role
from gongkai.reports.models import AnnualReport


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
