"""Maintained facet counts of the policy library (issue 17 item 4, docs/adr/0015).

The counts kept in ``PolicyFacetCount`` must give exactly what counting the documents gives, for
every view they answer, after every kind of write: a new policy, a withdrawal, changed
服务对象/特色分类, a validity change, a bulk update through ``rows_written`` and a deletion.
"""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from gongkai.catalogue.models import InformationItem
from gongkai.core.signals import rows_written_send
from gongkai.policies import facet_counts
from gongkai.policies import selectors as s
from gongkai.policies.models import PolicyFacetCount, PolicyFacetEntry
from gongkai.policies.tests.conftest import make_item

pytestmark = pytest.mark.django_db

QUERIES = [
    "",
    "kind=normative",
    "kind=normative&kind=rule",
    "org={office}",
    "org={office}&org={finance}",
    "year=2025",
    "year=2024&year=2026",
    "topic={cfs}",
    "topic={kj}",
    "audience={qy}",
    "special={zqjk}",
]


def _ids(world) -> dict[str, int]:
    return {
        "office": world.office.pk,
        "finance": world.finance.pk,
        "qy": world.qy.pk,
        "cfs": world.cfs.pk,
        "kj": world.kj.pk,
        "zqjk": world.zqjk.pk,
    }


def _by_documents(scope: str, query: str):
    keys = s.SCOPE_FACET_KEYS[scope]
    filters = {
        k: v for k, v in s.policy_filters_parse(dict(QueryDict(query).lists())).items() if k in keys
    }
    base, filtered = s.policy_library(filters, scope=scope)
    return s.policy_facets(base, filters, keys=keys), filtered.count(), filters


def _assert_same(world) -> None:
    for scope in s.SCOPE_FACET_KEYS:
        for template in QUERIES:
            query = template.format(**_ids(world))
            expected, total, filters = _by_documents(scope, query)
            maintained = s.maintained_policy_facets(scope, filters, keys=s.SCOPE_FACET_KEYS[scope])
            assert maintained is not None, (scope, query)
            assert maintained[0] == expected, (scope, query)
            assert maintained[1] == total, (scope, query)


def test_counts_match_the_documents_for_every_view(world):
    _assert_same(world)
    # The hand-counted world (conftest): 7 public policies, 4 normative, 2 of them 失效/废止.
    assert s.maintained_policy_facets("all", {})[1] == 7  # type: ignore[index]  # not None here
    assert s.maintained_policy_facets("normative", {})[1] == 4  # type: ignore[index]  # idem
    assert s.maintained_policy_facets("repealed", {})[1] == 2  # type: ignore[index]  # idem
    facets, total = s.maintained_policy_facets("all", {"audience": [str(world.qy.pk)]})  # type: ignore[misc]  # not None here
    assert total == 4  # p1 p2 p5 p7
    years = next(f for f in facets if f.key == "year")
    assert [(v.value, v.count) for v in years.values] == [("2026", 1), ("2025", 1), ("2024", 2)]


def test_counts_follow_every_kind_of_write(world, make_staff):
    editor = make_staff("editor", world.office)
    from gongkai.catalogue.services import item_set_validity, item_withdraw

    new = make_item(
        world.office,
        "新增的规范性文件",
        published=datetime.date(2026, 4, 1),
        kind="normative",
        topic=world.cz,
        audiences=[world.qy],
        columns=[world.zqjk],
    )
    _assert_same(world)
    new.audiences.set([world.gz])
    new.columns.remove(world.zqjk)
    _assert_same(world)
    item_set_validity(
        item=world.p2,
        validity="repealed",
        date=datetime.date(2026, 5, 1),
        replaced_by=None,
        acting_user=editor,
    )
    _assert_same(world)
    item_withdraw(item=world.p1, reason="内容有误", acting_user=editor)
    _assert_same(world)
    # A bulk write past the model signals, told through rows_written as every bulk write is.
    updated = InformationItem.objects.filter(pk=world.p7.pk)
    updated.update(policy_kind="other")
    rows_written_send(InformationItem, updated)
    _assert_same(world)
    world.p4.delete()
    _assert_same(world)
    assert s.maintained_policy_facets("all", {})[1] == 6  # type: ignore[index]  # 7 + 1 - 1 - 1
    assert not PolicyFacetEntry.objects.filter(item_id=world.p1.pk).exists()


def test_refresh_is_idempotent_and_rebuild_gives_the_same_rows(world):
    facet_counts.flush()  # the world's writes (the test's transaction never commits)
    before = set(
        PolicyFacetCount.objects.filter(n__gt=0).values_list(
            "scope", "key", "value", "key2", "value2", "n"
        )
    )
    facet_counts.refresh([world.p1.pk, world.p2.pk, world.n1.pk])
    facet_counts.refresh([world.p1.pk])
    after = set(
        PolicyFacetCount.objects.filter(n__gt=0).values_list(
            "scope", "key", "value", "key2", "value2", "n"
        )
    )
    assert after == before
    assert facet_counts.rebuild() == 7
    rebuilt = set(
        PolicyFacetCount.objects.values_list("scope", "key", "value", "key2", "value2", "n")
    )
    assert rebuilt == before


@pytest.mark.parametrize(
    "query",
    [
        "kind=normative&year=2025",  # two facets
        "audience={qy}&audience={gz}",  # two values of a multi-valued facet
        "topic={cz}",  # a second-level topic
    ],
)
def test_views_the_counts_cannot_answer_count_the_documents(client, world, query):
    ids = {**_ids(world), "gz": world.gz.pk, "cz": world.cz.pk}
    filters = s.policy_filters_parse(dict(QueryDict(query.format(**ids)).lists()))
    assert s.maintained_policy_facets("all", filters) is None
    page = client.get("/policies/?" + query.format(**ids))
    assert page.status_code == 200


def test_library_reads_no_document_to_count(client, world):
    """Issue 17: never six GROUP BY scans of every public policy per view. The unfiltered
    library and a one-facet view read the maintained counts: one query for the counts, one name
    lookup per labelled facet (org, topic, audience, special), the page of results, its
    interpretations, and the issuing government of the portal header."""
    client.get("/policies/")
    for path in ("/policies/", "/policies/?kind=normative", f"/policies/?org={world.office.pk}"):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(path)
        assert page.status_code == 200
        sql = [q["sql"] for q in ctx.captured_queries]
        assert not [q for q in sql if "GROUP BY" in q], path
        assert len(sql) == 8, (path, sql)
    # More documents, same queries.
    for n in range(5):
        make_item(world.office, f"新增政策{n}", kind="normative", audiences=[world.qy])
    client.get("/policies/")  # counts the new items in (the test's transaction never commits)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/policies/?kind=normative")
    assert len(ctx.captured_queries) == 8
