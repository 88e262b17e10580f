"""The item page's two statements are prepared on the server on PostgreSQL (issue 17, seventh
step: planning them cost five times what running them did): the rows and the page are what
the ordinary cursor gives, the page cache still sees the tables they read, and a rollback or
the setting off leaves the page as it was."""

import pytest
from django.db import connection, transaction

from gongkai.catalogue.models import InformationItem
from gongkai.config.settings.base import database_from_env
from gongkai.core.page_cache import recording
from gongkai.core.prepared import prepares
from gongkai.policies.tests.factories import PolicyConditionsFactory
from gongkai.portal.selectors import item_page_item, item_page_lists

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _values(obj):
    if obj is None:
        return None
    loaded = obj.__dict__
    return {f.attname: loaded[f.attname] for f in obj._meta.concrete_fields if f.attname in loaded}


def _item(item):
    conditions = (
        getattr(item, "conditions", None) if "conditions" in item._state.fields_cache else None
    )
    return (
        _values(item),
        _values(item.organisation),
        _values(item.topic),
        _values(item.topic.parent if item.topic else None),
        _values(item.replaced_by),
        _values(conditions),
    )


def _page(client, world):
    return [client.get(f"/items/{item.pk}/").content for item in _items(world)]


def _items(world):
    return [world.p2, world.p3, world.p6, world.x1]


@pytest.fixture
def prepared_off(monkeypatch):
    """The setting off (GONGKAI_PREPARED_STATEMENTS=0): the connection prepares nothing."""
    options = {k: v for k, v in connection.settings_dict["OPTIONS"].items()}
    options.pop("prepare_threshold", None)
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT left(statement, 40), custom_plans + generic_plans FROM pg_prepared_statements"
            " ORDER BY 1"
        )
        return cursor.fetchall()


@on_postgresql
def test_the_two_statements_are_prepared_once_and_run_seven_times(world):
    assert prepares(connection)
    p3 = world.p3
    for _ in range(7):
        item_page_lists(item_page_item(p3.pk)[0])
    assert _prepared_statements() == [
        ('(SELECT $1 AS "k", "catalogue_informatio', 7),
        ('SELECT "catalogue_informationitem"."id",', 7),
    ]


@on_postgresql
def test_rows_are_the_orm_s_and_the_ordinary_cursor_s(world, prepared_off, monkeypatch):
    PolicyConditionsFactory(item=world.p2, phone="0571-88888888")
    off = [(_item(item_page_item(i.pk)[0]), item_page_lists(i)) for i in _items(world)]
    assert _prepared_statements() == []
    monkeypatch.undo()
    assert prepares(connection)
    on = [(_item(item_page_item(i.pk)[0]), item_page_lists(i)) for i in _items(world)]
    assert on == off
    orm = (
        InformationItem.objects.select_related(
            "organisation", "topic", "topic__parent", "replaced_by", "conditions"
        )
        .filter(pk=world.p2.pk)
        .get()
    )
    assert on[0][0][0] == _values(orm)
    assert on[0][0][5]["phone"] == "0571-88888888"
    assert on[1][0][4]["title"] == "杭东市教育经费管理办法"  # p3 is replaced by p6


@on_postgresql
def test_the_page_is_the_same_prepared_or_not(client, world, prepared_off, monkeypatch):
    off = _page(client, world)
    monkeypatch.undo()
    on = _page(client, world)
    assert [len(page) > 1000 for page in on] == [True] * 4
    assert on == off


@on_postgresql
def test_the_page_cache_records_the_tables_the_prepared_statements_read(world):
    with recording() as tables:
        item_page_lists(item_page_item(world.p6.pk)[0])
    assert sorted(tables) == [
        "accounts_internalunit",
        "accounts_organisation",
        "catalogue_attachment",
        "catalogue_audience",
        "catalogue_column",
        "catalogue_informationitem",
        "catalogue_informationitem_audiences",
        "catalogue_informationitem_columns",
        "catalogue_topiccategory",
        "policies_interpretation",
        "policies_interpretation_policies",
        "policies_policyconditions",
        "policies_qaentry",
    ]


@on_postgresql
def test_a_rollback_forgets_the_statements_and_the_next_call_prepares_them_again(world):
    p6 = world.p6
    before = item_page_lists(p6)

    def fails():
        with transaction.atomic():  # a savepoint: its rollback makes psycopg forget them
            item_page_lists(p6)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails()
    assert item_page_lists(p6) == before
    assert _prepared_statements() == [('(SELECT $1 AS "k", "catalogue_informatio', 1)]


def test_sqlite_and_the_setting_off_use_the_ordinary_cursor(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/x")
    assert database_from_env()["OPTIONS"] == {"prepare_threshold": 2**31 - 1}
    # The URL's own options stay (a deployment's ?sslmode=require must not be dropped).
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:5432/x?sslmode=require")
    assert database_from_env()["OPTIONS"] == {
        "sslmode": "require",
        "prepare_threshold": 2**31 - 1,
    }
    monkeypatch.setenv("GONGKAI_PREPARED_STATEMENTS", "0")
    assert "prepare_threshold" not in database_from_env().get("OPTIONS", {})
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    monkeypatch.delenv("GONGKAI_PREPARED_STATEMENTS")
    assert "prepare_threshold" not in database_from_env()["OPTIONS"]
    assert prepares(connection) is (connection.vendor == "postgresql")
