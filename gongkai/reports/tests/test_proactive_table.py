from datetime import date

from gongkai.catalogue.services import index_numbers_allocate
from gongkai.catalogue.tests.factories import InformationItemFactory
from gongkai.reports.selectors import proactive_table, report_organisation_ids


def make_item(org, kind, written, *, validity="valid", validity_date=None, status="published"):
    (number,) = index_numbers_allocate(organisation=org, on_date=written)
    return InformationItemFactory.create(
        index_number=number,
        organisation=org,
        title=f"{kind}{written}",
        policy_kind=kind,
        written_date=written,
        published_date=written,
        validity=validity,
        validity_date=validity_date,
        status=status,
    )


def test_rules_and_normative_documents_for_2025(org_tree):
    finance, edu = org_tree["finance"], org_tree["district_edu"]
    make_item(finance, "normative", date(2025, 3, 1))  # issued 2025, in force
    make_item(finance, "normative", date(2024, 6, 1))  # in force, issued earlier
    make_item(
        finance, "normative", date(2023, 1, 1), validity="repealed", validity_date=date(2025, 8, 1)
    )  # repealed in 2025: not in force at year end
    make_item(
        finance, "normative", date(2022, 1, 1), validity="expired", validity_date=date(2026, 2, 1)
    )  # expired only in 2026: still in force at the end of 2025
    make_item(finance, "rule", date(2025, 12, 31))  # issued on the last day
    make_item(finance, "normative", date(2026, 1, 5))  # next year: ignored
    make_item(finance, "normative", date(2025, 4, 1), status="draft")  # never published
    make_item(finance, "other", date(2025, 4, 1))  # not a rule/normative document
    make_item(edu, "normative", date(2025, 5, 1))  # another organisation

    table = proactive_table({finance.pk}, 2025)
    assert table == {
        "rules": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative": {"issued": 1, "repealed": 1, "in_force": 3},
    }


def test_government_roll_up_includes_its_departments(org_tree):
    ids = report_organisation_ids(org_tree["district"], include_subordinates=True)
    assert ids == {org_tree["district"].pk, org_tree["district_edu"].pk}
    assert report_organisation_ids(org_tree["district"], include_subordinates=False) == {
        org_tree["district"].pk
    }
