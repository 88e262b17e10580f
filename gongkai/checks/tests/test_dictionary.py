"""The one dictionary read (``gongkai.checks.dictionary``): the ORM's query and rows exactly,
on both roads of ``check_text``, and never a stale dictionary."""

import io

import pytest
from django.db import connection

from gongkai.checks import dictionary
from gongkai.checks.cli import run
from gongkai.checks.models import WordCategory, WordlistEntry
from gongkai.checks.selectors import build_checker
from gongkai.checks.services import wordlist_entry_delete, wordlist_entry_save
from gongkai.checks.tests.factories import WordlistEntryFactory
from gongkai.checks.text import WordEntry


def test_the_sql_is_what_the_orm_compiles():
    """Table, columns and Meta.ordering: a change to the model fails here, not in production."""
    sql, params = WordlistEntry.objects.values_list(*dictionary.COLUMNS).query.sql_with_params()
    assert params == ()
    assert dictionary.select_sql(connection.ops.quote_name) == sql


def test_the_models_categories_are_the_dictionarys():
    assert [(value, str(label)) for value, label in WordCategory.choices] == [
        (value, str(label)) for value, label in dictionary.CATEGORY_CHOICES
    ]


@pytest.mark.django_db
def test_the_read_equals_the_orm_read():
    WordlistEntryFactory(word="乙词", category="typo", suggestion="乙字", is_blocking=False)
    WordlistEntryFactory(word="甲词", category="typo", suggestion="", is_blocking=True)
    WordlistEntryFactory(word="丙词", category="sensitive", suggestion="", is_blocking=True)
    WordlistEntryFactory(word="丁词", category="wrong_expression", suggestion="丁")
    with connection.cursor() as cursor:
        rows = list(dictionary.read_rows(cursor, connection.ops.quote_name))
    assert rows == list(WordlistEntry.objects.values_list(*dictionary.COLUMNS))
    assert [type(row[3]) for row in rows] == [bool] * 4
    # The checker's entries: the ORM's order (category, word) and the Chinese labels.
    assert build_checker().words.entries == [
        WordEntry("丙词", "敏感词", "", True),
        WordEntry("乙词", "错别字", "乙字", False),
        WordEntry("甲词", "错别字", "", True),
        WordEntry("丁词", "错误表述", "丁", False),
    ]


def check(own_connection: bool, text: str = "甲词乙词丙词") -> str:
    out, warnings = io.BytesIO(), []
    run(
        "-",
        write=out.write,
        warn=warnings.append,
        stdin=io.BytesIO(text.encode()),
        own_connection=own_connection,
    )
    assert warnings == []
    return out.getvalue().decode()


def words(output: str) -> list[tuple[str, str, str]]:
    import json

    return [(f["match"], f["category"], f["suggestion"]) for f in json.loads(output)["findings"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("own_connection", [False, True])
def test_a_changed_dictionary_is_seen_by_the_very_next_check(own_connection):
    """Added, edited (category, suggestion) and deleted words: each change shows at once, on
    the management command's road and on the fast path's own connection."""
    wordlist_entry_save(word="甲词", category="typo", suggestion="甲字", acting_user=None)
    assert words(check(own_connection)) == [("甲词", "错别字", "甲字")]
    wordlist_entry_save(word="乙词", category="other", acting_user=None)
    assert words(check(own_connection)) == [("甲词", "错别字", "甲字"), ("乙词", "其他", "")]
    wordlist_entry_save(word="甲词", category="sensitive", suggestion="", acting_user=None)
    assert words(check(own_connection))[0] == ("甲词", "敏感词", "")
    wordlist_entry_save(word="乙词", category="other", suggestion="乙字", acting_user=None)
    assert words(check(own_connection))[1] == ("乙词", "其他", "乙字")
    wordlist_entry_delete(entry=WordlistEntry.objects.get(word="甲词"), acting_user=None)
    assert words(check(own_connection)) == [("乙词", "其他", "乙字")]
