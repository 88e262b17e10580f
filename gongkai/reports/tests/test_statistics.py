from datetime import date

from gongkai.foi.tests.factories import CaseFactory
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
