"""Reads of the portal's own pages that no single area owns: the home page's lists, the item
page's small lists."""

from typing import Any

from django.db import connections, models, router
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Cast, Left

from gongkai.accounts.models import InternalUnit, Organisation
from gongkai.catalogue.models import Attachment, Audience, Column, InformationItem
from gongkai.catalogue.selectors import column_items, public_items
from gongkai.core.compiled import CompiledQuery
from gongkai.core.page_cache import cached_read
from gongkai.core.prepared import prepared_cursor
from gongkai.core.status import ContentStatus
from gongkai.policies.models import Interpretation, PolicyConditions, QAEntry
from gongkai.policies.selectors import (
    public_interpretations,
    public_policies,
    with_public_interpretations,
)

HOME_LATEST = 10
HOME_POLICIES = 8
HOME_INTERPRETATIONS = 5
# The columns the home page's lists show. An item row has some thirty columns (body, plain text,
# reasons…) and its organisation twenty more; loading, converting and building them all was most
# of the page's CPU (issue 17: the ORM's work on wide rows, not the database's). A field missing
# here costs one query per row, which test_home_page_query_count_is_fixed would catch.
ITEM_ROW = ("id", "title", "validity", "published_date")
INTERPRETATION_ROW = ("id", "title", "form", "published_date")


def _home_lists() -> dict[str, Any]:
    return {
        "latest_items": list(
            public_items().only(*ITEM_ROW).order_by("-published_date", "-id")[:HOME_LATEST]
        ),
        "latest_policies": list(
            with_public_interpretations(
                public_policies().only(*ITEM_ROW).order_by("-published_date", "-id")
            )[:HOME_POLICIES]
        ),
        "special_columns": list(
            Column.objects.filter(kind=Column.Kind.SPECIAL, is_active=True).only(
                "id", "slug", "name"
            )
        ),
        "latest_interpretations": list(
            public_interpretations()
            .only(*INTERPRETATION_ROW)
            .order_by("-published_date", "-id")[:HOME_INTERPRETATIONS]
        ),
    }


def home_lists() -> dict[str, Any]:
    """Latest items, latest policies with their interpretations, special columns, latest
    interpretations: 5 queries. Every home page shows the same lists (the 长者模式 variant, a
    visitor with a cookie, a signed-in member of staff, a query string the page cache keys
    apart), so they are a shared read kept by table generation (``page_cache.cached_read``,
    ADR 0008): the first render after a write of one of their tables runs the queries, the
    others none."""
    return cached_read("portal_home_lists", _home_lists)


# ---------------------------------------------------------------------------------------------
# The item page's small lists, in one statement compiled once per process
# ---------------------------------------------------------------------------------------------

# The statement's SQL is the same for every item but the item's id; building its six querysets
# and compiling them took more CPU than everything else on the page (issue 17 item 4), so the
# ORM compiles it once per database with this stand-in id, which is then swapped for the item's.
# The rows themselves are never kept: a page-cache miss of an item page is exactly when they
# would be gone (ADR 0008, second addendum).
_ANY_ITEM = -7_340_561_902_118_004_221
_LIST_SQL: dict[str, tuple[str, tuple[Any, ...]]] = {}

# One row kind per list; columns (all annotations, the same in every branch):
# k kind, r id, d date sorted newest first, o then p sorted ascending, t1–t5 text,
# n and m integers, f a flag. Every column is cast to one type (PostgreSQL matches UNION columns
# by type); a branch leaves NULL in the columns it has no use for.
REPLACES, ORIGINALS_AND_ATTACHMENTS, INTERPRETATIONS, QA, COLUMNS, AUDIENCES = range(1, 7)
_COLUMNS = ("k", "r", "d", "o", "p", "t1", "t2", "t3", "t4", "t5", "n", "m", "f")


def _branch(qs: QuerySet[Any], kind: int, **given: Any) -> QuerySet[Any]:
    types: dict[str, models.Field] = {
        "d": models.DateField(),
        "o": models.BigIntegerField(),
        "p": models.BigIntegerField(),
        "t1": models.TextField(),
        "t2": models.TextField(),
        "t3": models.TextField(),
        "t4": models.TextField(),
        "t5": models.TextField(),
        "n": models.BigIntegerField(),
        "m": models.BigIntegerField(),
        "f": models.BooleanField(),
    }
    values = {"k": Value(kind), "r": F("id")}
    for name, field in types.items():
        values[name] = Cast(given[name] if name in given else Value(None), field)
    return qs.order_by().annotate(**values).values_list(*_COLUMNS)


def _lists_union(item_id: int) -> QuerySet[Any]:
    newest = {"d": F("published_date"), "o": -F("id")}
    return (
        _branch(
            public_items().filter(replaced_by_id=item_id),
            REPLACES,
            **newest,
            t1=F("title"),
            t2=F("validity"),
        )
        .union(
            _branch(
                Attachment.objects.filter(item_id=item_id),
                ORIGINALS_AND_ATTACHMENTS,
                o=F("sort_order"),
                p=F("id"),
                t1=F("original_name"),
                t2=F("file_kind"),
                n=F("size"),
                f=F("is_original"),
            ),
            _branch(
                public_interpretations().filter(policies=item_id),
                INTERPRETATIONS,
                **newest,
                t1=F("title"),
                t2=F("form"),
            ),
            # public_qa_entries_of(item): the item page only shows public items, so its published
            # Q&A, named by the item alone (never ``policy IN (public items)``: a table scan).
            _branch(
                QAEntry.objects.filter(status=ContentStatus.PUBLISHED, policy_id=item_id),
                QA,
                **newest,
                t1=F("question"),
                t2=F("contact_phone"),
                t3=F("answer"),
                t4=F("organisation__name"),
                t5=F("unit__name"),
                n=F("organisation_id"),
                m=F("unit_id"),
            ),
            _branch(
                Column.objects.filter(items=item_id, is_active=True),
                COLUMNS,
                o=F("sort_order"),
                p=F("id"),
                t1=F("name"),
                t2=F("slug"),
            ),
            _branch(
                Audience.objects.filter(items=item_id),
                AUDIENCES,
                o=F("sort_order"),
                p=F("id"),
                t1=F("name"),
            ),
            all=True,
        )
        .order_by("k", "-d", "o", "p")
    )


def _lists_statement(alias: str) -> tuple[str, tuple[Any, ...]]:
    if alias not in _LIST_SQL:
        union = _lists_union(_ANY_ITEM)
        _LIST_SQL[alias] = union.query.get_compiler(using=alias).as_sql()
    return _LIST_SQL[alias]


def _item_page_fields() -> tuple[str, ...]:
    """Every column of the item itself, and of its joined rows only what the page shows: the
    organisation's name and code, the topic's path, and what the validity banner needs of the
    replacing item. The joined rows are wide (some 60 columns for the organisation and the
    replacing item); building, converting and loading them was a third of the page's CPU."""
    own = tuple(f.name for f in InformationItem._meta.concrete_fields)
    # 政策手册 (its 申报条件, a reverse one-to-one): joined here instead of a query of its own
    # when the template asks; a document without one reads as absent, as before.
    conditions = tuple(f"conditions__{f.name}" for f in PolicyConditions._meta.concrete_fields)
    return (
        *own,
        *conditions,
        "organisation__code",
        "organisation__name",
        "topic__name",
        "topic__parent__name",
        "replaced_by__title",
        "replaced_by__status",
        "replaced_by__disclosure",
    )


_ITEM_PAGE_ITEM = CompiledQuery(
    InformationItem,
    lambda pk: (
        public_items()
        .select_related("organisation", "topic", "topic__parent", "replaced_by", "conditions")
        .only(*_item_page_fields())
        .filter(pk=pk)
    ),
    pk=_ANY_ITEM,
)


def item_page_item(pk: int) -> list[InformationItem]:
    """The public item of an item page (none if not public), with its organisation, topic,
    replacing item and 申报条件 joined: one query whose SQL is compiled once per process."""
    alias = router.db_for_read(InformationItem)
    low, high = connections[alias].ops.integer_field_range(
        InformationItem._meta.pk.get_internal_type()
    )
    if (low is not None and pk < low) or (high is not None and pk > high):
        return []  # names no row (the ORM's lookup would match nothing; the driver refuses it)
    return _ITEM_PAGE_ITEM.rows(pk=pk)


def _instance[M: models.Model](model: type[M], alias: str, **values: Any) -> M:
    """A model instance with only these fields loaded, as ``.only()`` would build it."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])


def item_page_lists(item: InformationItem) -> dict[str, list[Any]]:
    """What the item page lists beside the item: the public items it replaced or amended, its
    原文 and 附件, its public 解读 and 问答 (each answer's organisation and unit joined), its
    active columns and its 服务对象 — one query, each list in the order its own query had
    (replaced items, 解读, 问答 newest first; the others by sort order)."""
    alias = router.db_for_read(InformationItem)
    sql, params = _lists_statement(alias)
    bound = [item.pk if p == _ANY_ITEM else p for p in params]
    # Prepared on the server: planning this statement took five times as long as running it.
    with prepared_cursor(connections[alias]) as cursor:
        cursor.execute(sql, bound)
        rows = cursor.fetchall()
    lists: dict[str, list[Any]] = {
        "replaces": [],
        "originals": [],
        "attachments": [],
        "interpretations": [],
        "qa_entries": [],
        "columns": [],
        "audiences": [],
    }
    to_date = models.DateField().to_python
    for k, r, d, _o, _p, t1, t2, t3, t4, t5, n, m, f in rows:
        if k == REPLACES:
            lists["replaces"].append(_instance(InformationItem, alias, id=r, title=t1, validity=t2))
        elif k == ORIGINALS_AND_ATTACHMENTS:
            attachment = _instance(
                Attachment,
                alias,
                id=r,
                original_name=t1,
                file_kind=t2,
                size=n,
                is_original=bool(f),
            )
            lists["originals" if attachment.is_original else "attachments"].append(attachment)
        elif k == INTERPRETATIONS:
            lists["interpretations"].append(
                _instance(Interpretation, alias, id=r, title=t1, form=t2, published_date=to_date(d))
            )
        elif k == QA:
            entry = _instance(
                QAEntry,
                alias,
                id=r,
                question=t1,
                contact_phone=t2,
                answer=t3,
                organisation_id=n,
                unit_id=m,
            )
            entry.organisation = _instance(Organisation, alias, id=n, name=t4)
            entry.unit = _instance(InternalUnit, alias, id=m, name=t5) if m is not None else None
            lists["qa_entries"].append(entry)
        elif k == COLUMNS:
            lists["columns"].append(_instance(Column, alias, id=r, name=t1, slug=t2))
        else:
            lists["audiences"].append(_instance(Audience, alias, id=r, name=t1))
    return lists


# ---------------------------------------------------------------------------------------------
# A column's RSS feed: its column and its entries, each compiled once per process
# ---------------------------------------------------------------------------------------------

FEED_SIZE = 30
_ANY_SLUG = "any-column-7340561902118004222"
_ANY_COLUMN = -7_340_561_902_118_004_222
_ANY_ORGANISATION = -7_340_561_902_118_004_223
# What an entry shows, in this order; of the body only the first 200 characters, the
# description when the item has no summary (the rows are wide: the HTML body, reasons…).
FEED_ROW = ("id", "title", "summary", "body_head", "published_date", "index_number", "org")

_ACTIVE_COLUMN = CompiledQuery(
    Column, lambda slug: Column.objects.filter(slug=slug, is_active=True), slug=_ANY_SLUG
)


def active_column(slug: str) -> Column | None:
    found = _ACTIVE_COLUMN.rows(slug=slug)
    return found[0] if found else None


def _feed_rows(column: Column) -> QuerySet[Any]:
    return (
        column_items(column)
        .select_related(None)
        .annotate(body_head=Left("body_text", 200), org=F("organisation__name"))
        .values_list(*FEED_ROW)[:FEED_SIZE]
    )


# column_items() adds the organisation's own filter for an organisation's column: two shapes.
_FEED_ROWS = CompiledQuery(
    InformationItem,
    lambda pk: _feed_rows(Column(pk=pk)),
    pk=_ANY_COLUMN,
)
_FEED_ROWS_OF_ORGANISATION = CompiledQuery(
    InformationItem,
    lambda pk, organisation: _feed_rows(Column(pk=pk, organisation_id=organisation)),
    pk=_ANY_COLUMN,
    organisation=_ANY_ORGANISATION,
)


def column_feed_rows(column: Column) -> list[tuple[Any, ...]]:
    """The newest ``FEED_SIZE`` public items of a column as ``FEED_ROW`` tuples (id, title,
    summary, first 200 characters of the plain text, date, index number, organisation name)."""
    if column.organisation_id:
        return _FEED_ROWS_OF_ORGANISATION.rows(pk=column.pk, organisation=column.organisation_id)
    return _FEED_ROWS.rows(pk=column.pk)
