"""Page tests moved from gongkai/reports/tests/test_annual_outputs.py (issue 11 item 7)."""

from datetime import date

import pytest

from gongkai.reports.annual import (
    SCOPE_ALL,
    SCOPE_LEVEL,
)
from gongkai.reports.build import build_annual_report
from gongkai.reports.models import AnnualReport
from gongkai.reports.tests.outputs import html_tables, json_tables
from gongkai.reports.tests.test_annual_outputs import entered

pytestmark = pytest.mark.django_db


def test_staff_preview_shows_every_cell_with_drill_down(client, city, city_admin):
    entered(city_admin, city["city"], SCOPE_LEVEL)
    client.force_login(city_admin)
    url = f"/staff/reports/annual/?org={city['city'].code}&year=2025&scope=level"
    html = client.get(url).content.decode()
    report = build_annual_report(city["city"], 2025, scope=SCOPE_LEVEL)
    assert html_tables(html) == json_tables(report)
    assert html_tables(html)["applications"]["（七）总计"] == ["1", "1", "0", "0", "0", "0", "2"]
    assert "统计范围：本级政府及其部门" in html
    assert '<option value="level" selected>本级政府及其部门</option>' in html
    # Each figure links to the cases behind it.
    assert "drilldown/?org=" in html
    assert "&amp;row=3.4&amp;column=business" in html
    drill = client.get(
        f"/staff/reports/annual/drilldown/?org={city['city'].code}&year=2025&scope=level"
        "&row=3.4&column=business"
    )
    assert "FINANCE-0" in drill.content.decode()


def test_staff_saves_a_draft_in_the_chosen_scope(client, city, city_admin):
    client.force_login(city_admin)
    response = client.post(
        "/staff/reports/annual/",
        {
            "org": city["city"].code,
            "year": "2025",
            "scope": "level",
            "overview": "市本级总体情况。",
            "problems": "",
            "other_matters": "",
        },
    )
    assert response.status_code == 302
    draft = AnnualReport.objects.get()
    assert (draft.scope, draft.overview) == ("level", "市本级总体情况。")


def test_drill_down_rows_come_from_the_reports_selector(client, city, city_admin):
    """The cases behind a cell are the reports app's (``drilldown_cases``), and the staff page
    lists exactly them: 一、本年新收 × 自然人 over the whole city is three cases."""
    from gongkai.reports.selectors import drilldown_cases, scope_organisation_ids

    org_ids = scope_organisation_ids(city["city"], SCOPE_ALL)
    rows = drilldown_cases(org_ids, 2025, "new", "natural")
    assert [(c.reference, c.received_date) for c in rows] == [
        ("CITY-0", date(2025, 2, 3)),
        ("FINANCE-1", date(2025, 5, 6)),
        ("DISTRICT-0", date(2025, 6, 2)),
    ]
    assert [c.reference for c in drilldown_cases(org_ids, 2025, "carried_in", "total")] == [
        "DISTRICT-2"
    ]
    with pytest.raises(ValueError, match="no such cell of table 三: bogus/total"):
        drilldown_cases(org_ids, 2025, "bogus", "total")
    client.force_login(city_admin)
    html = client.get(
        f"/staff/reports/annual/drilldown/?org={city['city'].code}&year=2025&scope=all"
        "&row=new&column=natural"
    ).content.decode()
    assert "共3件" in html
    assert (
        "<tr><td>CITY-0</td><td>杭东市人民政府</td><td>自然人</td><td>2025-02-03</td>"
        "<td>2025-02-20</td><td>予以公开</td></tr>"
    ) in html
    assert "FINANCE-1" in html
    assert "DISTRICT-0" in html
    assert "DISTRICT-2" not in html
