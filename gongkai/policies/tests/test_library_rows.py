"""The policy library's result rows come from SQL compiled once per process and shape of the
selection (issue 17 item 4): every selection and page gives the rows, in the order and with the
interpretations, that the ORM's own queryset gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.core.compiled import compiled_rows
from gongkai.policies import selectors as ps

pytestmark = pytest.mark.django_db


def _summary(items):
    """What a library row shows: the policy, its organisation, date and 解读."""
    return [
        (
            i.pk,
            i.title,
            i.organisation.name,
            i.published_date,
            [(j.pk, j.title, j.form, j.published_date) for j in i.public_interpretations],
        )
        for i in items
    ]


def _orm_rows(scope, filters, offset, limit):
    qs = ps.with_public_interpretations(
        ps.policy_library(filters, scope=scope)[1]
        .select_related("organisation")
        .only(*ps.LIBRARY_ROW)
    )
    return _summary(qs[offset : offset + limit])


def _rows(scope, filters, offset, limit):
    return _summary(ps.policy_library_rows(scope, filters, offset=offset, limit=limit))


def test_every_selection_and_page_gives_the_orm_s_rows(world):
    w = world
    selections = [
        {},
        {"kind": ["normative"]},
        {"kind": ["normative", "rule"]},
        {"org": [str(w.office.pk)]},
        {"org": [str(w.finance.pk)]},  # same shape as the line above, other value
        {"topic": [str(w.cfs.pk)]},
        {"audience": [str(w.qy.pk), str(w.gz.pk)]},
        {"special": [str(w.zqjk.pk)]},
        {"special": [str(w.wjjdp.pk)]},
        {"year": ["2025"]},  # compiled as date ranges: built by the ORM
        {"kind": ["normative"], "org": [str(w.finance.pk)]},
        {"kind": ["normative"], "org": [str(w.office.pk)]},
    ]
    seen = 0
    for scope in ("all", "normative", "repealed"):
        for filters in selections:
            for offset, limit in ((0, 20), (0, 2), (2, 2), (4, 2), (40, 20)):
                expected = _orm_rows(scope, filters, offset, limit)
                assert _rows(scope, filters, offset, limit) == expected, (scope, filters, offset)
                seen += len(expected)
    # The selections did find rows, with interpretations among them (p2's 一图读懂…).
    assert seen > 100
    assert "一图读懂助企纾困十条" in str(_rows("all", {"kind": ["normative"]}, 0, 20))


def test_a_page_of_results_is_two_queries(world):
    ps.policy_library_rows("all", {"kind": ["normative"]}, offset=0, limit=20)
    with CaptureQueriesContext(connection) as ctx:
        ps.policy_library_rows("all", {"kind": ["other"]}, offset=0, limit=20)
    assert len(ctx.captured_queries) == 2


def test_a_stand_in_missing_from_the_sql_is_reported(world):
    from gongkai.catalogue.models import InformationItem

    with pytest.raises(ValueError, match="stand-ins not in the compiled parameters: pk"):
        compiled_rows(
            ("test_missing_stand_in",),
            InformationItem,
            lambda pk: InformationItem.objects.all(),
            {"pk": -7_340_561_902_118_009_999},
            {"pk": 1},
        )
