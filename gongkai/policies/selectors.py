"""Reads of the policy library: public policies, the six facets, interpretations and Q&A.

Everything public starts from ``catalogue.selectors.public_items()``, so 依申请公开, 不予公开
and unpublished items never reach a public page, a feed or the API (条例 Art. 19-20 only
oblige proactive disclosure; the other two kinds are never shown).
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Organisation
from gongkai.accounts.selectors import organisation_descendant_ids
from gongkai.catalogue.models import Audience, Column, InformationItem, PolicyKind, TopicCategory
from gongkai.catalogue.selectors import public_items
from gongkai.core.compiled import compiled_rows
from gongkai.core.page_cache import cached_read
from gongkai.core.params import MAX_DATE, MIN_DATE
from gongkai.core.status import ContentStatus

from . import facet_counts
from .industries import code_prefixes, normalise_code
from .matching import Conditions, Profile, evaluate, whole_years
from .models import (
    Interpretation,
    MatchProfile,
    PolicyConditions,
    PolicyIndustry,
    QAEntry,
    Qualification,
)

# Facet keys double as querystring parameter names (?kind=normative&org=3&org=5&year=2025).
FACET_KIND = facet_counts.KIND
FACET_ORG = facet_counts.ORG
FACET_YEAR = facet_counts.YEAR
FACET_TOPIC = facet_counts.TOPIC
FACET_AUDIENCE = facet_counts.AUDIENCE
FACET_SPECIAL = facet_counts.SPECIAL
FACET_KEYS = (FACET_KIND, FACET_ORG, FACET_YEAR, FACET_TOPIC, FACET_AUDIENCE, FACET_SPECIAL)
FACET_LABELS = {
    FACET_KIND: _("文件类型"),
    FACET_ORG: _("发布机构"),
    FACET_YEAR: _("公开年份"),
    FACET_TOPIC: _("文件主题"),
    FACET_AUDIENCE: _("服务对象"),
    FACET_SPECIAL: _("特色分类"),
}
POLICY_KIND_VALUES = [value for value, _label in PolicyKind.choices if value]

PolicyFilters = dict[str, list[str]]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False
    url: str = ""


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def active_count(self) -> int:
        return sum(1 for v in self.values if v.active)


def public_policies() -> QuerySet[InformationItem]:
    """All public policy documents across the agency tree (any non-empty 文件类型)."""
    return public_items().exclude(policy_kind="")


def public_interpretations() -> QuerySet[Interpretation]:
    return Interpretation.objects.filter(status=ContentStatus.PUBLISHED)


def public_qa_entries() -> QuerySet[QAEntry]:
    """Published Q&A; an entry tied to a policy that is not public is hidden with it."""
    return QAEntry.objects.filter(status=ContentStatus.PUBLISHED).filter(
        Q(policy__isnull=True) | Q(policy__in=public_items())
    )


def public_qa_entries_of(item: InformationItem) -> QuerySet[QAEntry]:
    """The published Q&A of one item, if the item is public. Same rows as
    ``public_qa_entries().filter(policy=item)``, without its ``OR policy IN (public items)``:
    PostgreSQL cannot narrow that OR to the one item, and at 100,000 documents it scanned the
    documents table on every item page (465 ms, issue 17 query plans)."""
    if (
        item.status != InformationItem.Status.PUBLISHED
        or item.disclosure != InformationItem.Disclosure.PROACTIVE
    ):
        return QAEntry.objects.none()
    return QAEntry.objects.filter(status=ContentStatus.PUBLISHED, policy=item)


def with_public_interpretations(qs: QuerySet[InformationItem]) -> QuerySet[InformationItem]:
    """Prefetch each item's published interpretations into ``public_interpretations`` (1 query)."""
    return qs.prefetch_related(
        Prefetch(
            "interpretations",
            queryset=public_interpretations().only("id", "title", "form", "published_date"),
            to_attr="public_interpretations",
        )
    )


def _int_values(raw: list[str]) -> list[str]:
    out: list[str] = []
    for value in raw:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) < 19:
            # Canonical digits: "02025" and "2025" are one selection, as the API's integers are.
            value = str(int(value))
            if value not in out:
                out.append(value)
    return out


def policy_filters_parse(params: Mapping[str, list[str]]) -> PolicyFilters:
    """Facet selections from a querystring; malformed values are dropped, never an error page.

    ``params`` maps each key to the list of its values (``QueryDict.lists()`` shape).
    """
    filters: PolicyFilters = {}
    kinds = [v for v in params.get(FACET_KIND, []) if v in POLICY_KIND_VALUES]
    if kinds:
        filters[FACET_KIND] = list(dict.fromkeys(kinds))
    for key in (FACET_ORG, FACET_TOPIC, FACET_AUDIENCE, FACET_SPECIAL):
        values = _int_values(params.get(key, []))
        if values:
            filters[key] = values
    # The bounds every year parameter shares (``core.params``; the API refuses others with 422).
    years = [
        v
        for v in _int_values(params.get(FACET_YEAR, []))
        if MIN_DATE.year <= int(v) <= MAX_DATE.year
    ]
    if years:
        filters[FACET_YEAR] = years
    return filters


def _through_ids(through, fk: str, ids: list[str], extra: Q | None = None):
    qs = through.objects.filter(**{f"{fk}__in": [int(i) for i in ids]})
    if extra is not None:
        qs = qs.filter(extra)
    return qs.values("informationitem_id")


def policy_filters_apply(
    qs: QuerySet[InformationItem], filters: PolicyFilters, *, skip: str | None = None
) -> QuerySet[InformationItem]:
    """OR within a facet, AND across facets; ``skip`` leaves one facet out (for its counts)."""
    for key, values in filters.items():
        if key == skip or not values:
            continue
        if key == FACET_KIND:
            qs = qs.filter(policy_kind__in=values)
        elif key == FACET_ORG:
            qs = qs.filter(organisation_id__in=[int(v) for v in values])
        elif key == FACET_YEAR:
            # Date ranges rather than EXTRACT(year): they use the published_date index.
            years = Q()
            for y in sorted({int(v) for v in values}):
                years |= Q(
                    published_date__gte=datetime.date(y, 1, 1),
                    published_date__lt=datetime.date(y + 1, 1, 1),
                )
            qs = qs.filter(years)
        elif key == FACET_TOPIC:
            ids = [int(v) for v in values]
            # 文件主题 is the first level of the two-level 主题分类: a second-level topic counts
            # towards its parent.
            qs = qs.filter(Q(topic_id__in=ids) | Q(topic__parent_id__in=ids))
        elif key == FACET_AUDIENCE:
            # A subquery instead of a join keeps one row per item when several audiences match.
            qs = qs.filter(
                id__in=_through_ids(InformationItem.audiences.through, "audience_id", values)
            )
        elif key == FACET_SPECIAL:
            qs = qs.filter(
                id__in=_through_ids(
                    InformationItem.columns.through,
                    "column_id",
                    values,
                    Q(column__kind=Column.Kind.SPECIAL),
                )
            )
    return qs


def _facet_counts(key: str, qs: QuerySet[InformationItem]) -> list[FacetValue]:
    """One GROUP BY query per facet over the items matching every OTHER active filter."""
    rows: Any
    through: Any
    qs = qs.order_by()
    if key == FACET_KIND:
        labels = dict(PolicyKind.choices)
        rows = qs.values("policy_kind").annotate(n=Count("id"))
        counts = {r["policy_kind"]: r["n"] for r in rows}
        return [
            FacetValue(value, str(labels[value]), counts[value])
            for value in POLICY_KIND_VALUES
            if counts.get(value)
        ]
    if key == FACET_ORG:
        rows = (
            qs.values("organisation_id", "organisation__name", "organisation__sort_order")
            .annotate(n=Count("id"))
            .order_by("organisation__sort_order", "organisation__name")
        )
        return [
            FacetValue(str(r["organisation_id"]), r["organisation__name"], r["n"]) for r in rows
        ]
    if key == FACET_YEAR:
        # Grouping by the date itself (a few thousand rows at most) and summing years here is
        # much cheaper than a per-row year function, which SQLite runs in Python.
        by_year: dict[int, int] = {}
        for day, n in (
            qs.filter(published_date__isnull=False)
            .values_list("published_date")
            .annotate(n=Count("id"))
            .order_by()
        ):
            by_year[day.year] = by_year.get(day.year, 0) + n
        return [FacetValue(str(y), str(y), by_year[y]) for y in sorted(by_year, reverse=True)]
    if key == FACET_TOPIC:
        rows = (
            qs.filter(topic__isnull=False)
            .annotate(
                top=Coalesce("topic__parent_id", "topic_id"),
                top_name=Coalesce("topic__parent__name", "topic__name"),
                top_order=Coalesce("topic__parent__sort_order", "topic__sort_order"),
            )
            .values("top", "top_name", "top_order")
            .annotate(n=Count("id"))
            .order_by("top_order", "top")
        )
        return [FacetValue(str(r["top"]), r["top_name"], r["n"]) for r in rows]
    if key == FACET_AUDIENCE:
        through = InformationItem.audiences.through
        rows = (
            through.objects.filter(informationitem_id__in=qs.values("id"))
            .values("audience_id", "audience__name", "audience__sort_order")
            .annotate(n=Count("informationitem_id"))
            .order_by("audience__sort_order", "audience_id")
        )
        return [FacetValue(str(r["audience_id"]), r["audience__name"], r["n"]) for r in rows]
    if key == FACET_SPECIAL:
        through = InformationItem.columns.through
        rows = (
            through.objects.filter(
                informationitem_id__in=qs.values("id"),
                column__kind=Column.Kind.SPECIAL,
                column__is_active=True,
            )
            .values("column_id", "column__name", "column__sort_order")
            .annotate(n=Count("informationitem_id"))
            .order_by("column__sort_order", "column_id")
        )
        return [FacetValue(str(r["column_id"]), r["column__name"], r["n"]) for r in rows]
    raise ValueError(key)


def _labels_for(key: str, values: list[str]) -> dict[str, str]:
    """Names of selected values that no longer match anything (rare: one small query)."""
    ids = [int(v) for v in values] if key != FACET_KIND else []
    if key == FACET_KIND:
        labels = dict(PolicyKind.choices)
        return {v: str(labels[v]) for v in values}
    if key == FACET_YEAR:
        return {v: v for v in values}
    model: Any = {
        FACET_ORG: Organisation,
        FACET_TOPIC: TopicCategory,
        FACET_AUDIENCE: Audience,
        FACET_SPECIAL: Column,
    }[key]
    return {
        str(pk): name for pk, name in model.objects.filter(id__in=ids).values_list("id", "name")
    }


# Facets that are columns (or a function of columns) of the documents table, which PostgreSQL
# can count in a single scan with GROUPING SETS.
COLUMN_FACETS = (FACET_KIND, FACET_ORG, FACET_YEAR, FACET_TOPIC)


def _column_facet_expressions() -> dict[str, Any]:
    return {
        FACET_KIND: F("policy_kind"),
        FACET_ORG: F("organisation_id"),
        FACET_YEAR: ExtractYear("published_date"),
        # 文件主题 is the first level: a second-level topic counts towards its parent.
        FACET_TOPIC: Coalesce("topic__parent_id", "topic_id"),
    }


def _grouped_counts(keys: list[str], qs: QuerySet[InformationItem]) -> dict[str, list[FacetValue]]:
    """The counts of several column facets over the same items in ONE scan (PostgreSQL
    ``GROUP BY GROUPING SETS``) instead of one GROUP BY scan each: at 1,000,000 documents each
    scan of every public policy costs seconds (issue 17). Same values, labels and order as
    ``_facet_counts``; names come from two small lookups by primary key."""
    expressions = _column_facet_expressions()
    columns = [f"facet_{key}" for key in keys]
    inner = (
        qs.order_by()
        .annotate(**{column: expressions[key] for column, key in zip(columns, keys, strict=True)})
        .values(*columns)
    )
    sql, params = inner.query.sql_with_params()
    quoted = [connection.ops.quote_name(c) for c in columns]
    # Only fixed column names and Django's own compiled SQL (values stay parameters).
    query = (
        f"SELECT {', '.join(quoted)}, GROUPING({', '.join(quoted)}), COUNT(*) "  # noqa: S608
        f"FROM ({sql}) AS facet_rows "
        f"GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in quoted)})"
    )
    counts: dict[str, dict[Any, int]] = {key: {} for key in keys}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    n = len(keys)
    for row in rows:
        grouping, count = row[n], row[n + 1]
        for i, key in enumerate(keys):
            # GROUPING() sets a bit for each column NOT grouped on; the first is the highest.
            # A NULL value (no 公开年份, no 主题) is not a facet value.
            if grouping == (1 << n) - 1 - (1 << (n - 1 - i)) and row[i] is not None:
                counts[key][row[i]] = count
    out: dict[str, list[FacetValue]] = {}
    for key, by_value in counts.items():
        if key == FACET_KIND:
            labels = dict(PolicyKind.choices)
            out[key] = [
                FacetValue(v, str(labels[v]), by_value[v])
                for v in POLICY_KIND_VALUES
                if by_value.get(v)
            ]
        elif key == FACET_YEAR:
            out[key] = [
                FacetValue(str(y), str(y), by_value[y]) for y in sorted(by_value, reverse=True)
            ]
        else:
            model: Any = Organisation if key == FACET_ORG else TopicCategory
            order = ("sort_order", "name") if key == FACET_ORG else ("sort_order", "id")
            out[key] = [
                FacetValue(str(pk), name, by_value[pk])
                for pk, name in model.objects.filter(id__in=list(by_value))
                .order_by(*order)
                .values_list("id", "name")
            ]
    return out


def _finish_facet(key: str, values: list[FacetValue], filters: PolicyFilters) -> Facet:
    """Mark the selected values; a selected value that matches nothing is still shown (0)."""
    selected = filters.get(key, [])
    present = {v.value for v in values}
    missing = [s for s in selected if s not in present]
    if missing:
        names = _labels_for(key, missing)
        values += [FacetValue(s, names[s], 0) for s in missing if s in names]
    for v in values:
        v.active = v.value in selected
    return Facet(key, str(FACET_LABELS[key]), values)


def policy_facets(
    base: QuerySet[InformationItem], filters: PolicyFilters, *, keys: tuple[str, ...] = FACET_KEYS
) -> list[Facet]:
    """Standard faceting: each facet's counts apply every active filter except its own.

    Facets with no selection of their own all count over the same items (every filter applies);
    on PostgreSQL the column facets among them are counted in one scan (``_grouped_counts``).
    """
    shared = [k for k in keys if k in COLUMN_FACETS and not filters.get(k)]
    grouped: dict[str, list[FacetValue]] = {}
    if connection.vendor == "postgresql" and len(shared) > 1:
        grouped = _grouped_counts(shared, policy_filters_apply(base, filters))
    facets: list[Facet] = []
    for key in keys:
        if key in grouped:
            values = grouped[key]
        else:
            values = _facet_counts(key, policy_filters_apply(base, filters, skip=key))
        facets.append(_finish_facet(key, values, filters))
    return facets


# Facets whose values are primary keys: (model, extra filter, order of the values).
_LABELLED: dict[str, tuple[Any, Q, tuple[str, ...]]] = {
    FACET_ORG: (Organisation, Q(), ("sort_order", "name")),
    FACET_TOPIC: (TopicCategory, Q(), ("sort_order", "id")),
    FACET_AUDIENCE: (Audience, Q(), ("sort_order", "id")),
    FACET_SPECIAL: (Column, Q(kind=Column.Kind.SPECIAL, is_active=True), ("sort_order", "id")),
}


def _all_facet_names(key: str) -> list[tuple[str, str]]:
    model, extra, order = _LABELLED[key]
    return [
        (str(pk), name)
        for pk, name in model.objects.filter(extra).order_by(*order).values_list("id", "name")
    ]


def _facet_names() -> dict[str, list[tuple[str, str]]]:
    """Every name each labelled facet can show, in facet order, as (value, name). The tables
    are small (organisations, themes, audiences, special columns) and change rarely, so the
    four lists are one shared read kept by table generation (``page_cache.cached_read``, ADR
    0008; one read instead of one per facet: each costs two cache round trips): without the
    cache, one query per facet and view, as the look-up by id was."""
    return cached_read(
        "policy_facet_names", lambda: {key: _all_facet_names(key) for key in _LABELLED}
    )


def maintained_policy_facets(
    scope: str, filters: PolicyFilters, *, keys: tuple[str, ...] = FACET_KEYS
) -> tuple[list[Facet], int] | None:
    """The facets and the number of matching policies from the maintained counts
    (``facet_counts``, docs/adr/0015): one query for the counts and one name lookup by primary
    key per labelled facet, whatever the number of documents. ``None`` when the selection needs
    the documents (``facet_counts.counts_for``). Same values, labels and order as
    ``policy_facets``."""
    found = facet_counts.counts_for(scope, filters)
    if found is None:
        return None
    counts, total = found
    facets: list[Facet] = []
    kind_labels = dict(PolicyKind.choices)
    names: dict[str, list[tuple[str, str]]] | None = None
    for key in keys:
        by_value = counts.get(key, {})
        if key == FACET_KIND:
            values = [
                FacetValue(v, str(kind_labels[v]), by_value[v])
                for v in POLICY_KIND_VALUES
                if by_value.get(v)
            ]
        elif key == FACET_YEAR:
            values = [
                FacetValue(y, y, by_value[y]) for y in sorted(by_value, key=int, reverse=True)
            ]
        elif by_value:
            if names is None:
                names = _facet_names()
            values = [
                FacetValue(value, name, by_value[value])
                for value, name in names[key]
                if value in by_value
            ]
        else:
            values = []
        facets.append(_finish_facet(key, values, filters))
    return facets, total


def total_from_kind_facet(facets: list[Facet], filters: PolicyFilters) -> int | None:
    """The number of matching policies, read off the 文件类型 facet when it was computed.

    Every policy has exactly one non-empty 文件类型 and the facet applies all other filters, so
    the selected (or, with none selected, all) kind counts add up to the result count.
    """
    kind = next((f for f in facets if f.key == FACET_KIND), None)
    if kind is None:
        return None
    selected = filters.get(FACET_KIND)
    return sum(v.count for v in kind.values if not selected or v.value in selected)


def policy_library(
    filters: PolicyFilters, *, scope: str = "all"
) -> tuple[QuerySet[InformationItem], QuerySet[InformationItem]]:
    """(base, filtered) querysets for a library view; ``scope`` picks the sub-library.

    ``normative`` is the 行政规范性文件库; ``repealed`` the 废止失效 list (失效 and 废止 items).
    """
    base = public_policies()
    if scope == "normative":
        base = base.filter(policy_kind=PolicyKind.NORMATIVE)
    elif scope == "repealed":
        base = base.filter(
            validity__in=[InformationItem.Validity.EXPIRED, InformationItem.Validity.REPEALED]
        )
    filtered = policy_filters_apply(base, filters).order_by("-published_date", "-id")
    return base, filtered


# The facets each sub-library offers: the 行政规范性文件库 is one 文件类型, so it has no kind facet
# and ignores a kind selection.
SCOPE_FACET_KEYS: dict[str, tuple[str, ...]] = {
    "all": FACET_KEYS,
    "normative": tuple(k for k in FACET_KEYS if k != FACET_KIND),
    "repealed": FACET_KEYS,
}


@dataclass
class PolicyLibraryQuery:
    """One answer of the policy library, shared by the portal pages and ``/api/v1/policies``."""

    filters: PolicyFilters
    facets: list[Facet]
    count: int
    scope: str = "all"

    @cached_property
    def results(self) -> QuerySet[InformationItem]:
        """The matching policies, newest first; built when asked (the portal's pages read
        theirs through ``policy_library_rows`` instead)."""
        return policy_library(self.filters, scope=self.scope)[1]


def policy_library_query(
    params: Mapping[str, list[str]], *, scope: str = "all", org_codes: list[str] | None = None
) -> PolicyLibraryQuery:
    """The library for raw querystring values (``QueryDict.lists()`` shape): parse, keep the
    scope's facets, filter, count each facet. ``org_codes`` (the API's ``org_code``) selects
    organisations by code, as ``org`` does by id; an unknown code matches nothing rather than
    being silently ignored."""
    params = dict(params)
    if org_codes:
        # A code with a NUL byte names no organisation, and PostgreSQL refuses NUL in a query.
        codes = [code for code in org_codes if "\x00" not in code]
        ids = Organisation.objects.filter(code__in=codes).values_list("id", flat=True)
        params[FACET_ORG] = [*params.get(FACET_ORG, []), *(str(i) for i in ids)] or ["0"]
    keys = SCOPE_FACET_KEYS[scope]
    filters = {k: v for k, v in policy_filters_parse(params).items() if k in keys}
    maintained = maintained_policy_facets(scope, filters, keys=keys)
    if maintained is not None:
        facets, count = maintained
        return PolicyLibraryQuery(filters=filters, facets=facets, count=count, scope=scope)
    base, filtered = policy_library(filters, scope=scope)
    facets = policy_facets(base, filters, keys=keys)
    from_kind = total_from_kind_facet(facets, filters)
    library = PolicyLibraryQuery(
        filters=filters,
        facets=facets,
        count=filtered.count() if from_kind is None else from_kind,
        scope=scope,
    )
    library.__dict__["results"] = filtered  # cached_property's slot: already built
    return library


# ---------------------------------------------------------------------------------------------
# A page of library results, its SQL compiled once per process and shape (core.compiled)
# ---------------------------------------------------------------------------------------------

# Only what a result row shows (the rows are wide: body, plain text, reasons…).
LIBRARY_ROW = (
    "id",
    "title",
    "validity",
    "doc_number",
    "published_date",
    "policy_kind",
    "organisation__name",
)
_ANY_ID = -7_340_561_902_118_004_400  # stand-ins count down from here
# Selections whose parameters are the selected values themselves (as strings for 文件类型,
# integers for the others). A 年份 selection is compiled as date ranges: such a view is built
# by the ORM each time.
_STAND_IN_FACETS = frozenset({FACET_KIND, FACET_ORG, FACET_TOPIC, FACET_AUDIENCE, FACET_SPECIAL})


def _stand_in(key: str, n: int) -> Any:
    if key == FACET_KIND:
        return f"any-kind-{n}-7340561902118"
    return _ANY_ID - n


def _library_rows_query(scope: str, filters: PolicyFilters) -> QuerySet[InformationItem]:
    return policy_library(filters, scope=scope)[1].select_related("organisation").only(*LIBRARY_ROW)


def policy_library_rows(
    scope: str, filters: PolicyFilters, offset: int, limit: int
) -> list[InformationItem]:
    """The results ``[offset:offset + limit]`` of a library view (newest first), each with its
    organisation's name and its public interpretations (``public_interpretations``)."""
    active = {k: v for k, v in filters.items() if v}
    if not set(active) <= _STAND_IN_FACETS:
        items = list(_library_rows_query(scope, active)[offset : offset + limit])
    else:
        shape = tuple((k, len(v)) for k, v in active.items())
        stand_ins: dict[str, Any] = {}
        values: dict[str, Any] = {}
        n = 0
        for key, selected in active.items():
            for value in selected:
                name = f"v{n}"
                stand_ins[name] = _stand_in(key, n)
                values[name] = value if key == FACET_KIND else int(value)
                n += 1

        def build(**given: Any) -> QuerySet[InformationItem]:
            names = iter(given)
            picked = {k: [given[next(names)] for _ in v] for k, v in active.items()}
            return _library_rows_query(scope, picked)

        items = compiled_rows(
            ("policy_library_rows", scope, shape),
            InformationItem,
            build,
            stand_ins,
            values,
            offset=offset,
            limit=limit,
        )
    attach_public_interpretations(items)
    return items


def _interpretations_of(**ids: int) -> QuerySet[Any]:
    through = Interpretation.policies.through
    return (
        through.objects.filter(
            informationitem_id__in=list(ids.values()),
            interpretation__status=ContentStatus.PUBLISHED,
        )
        .order_by("-interpretation__published_date", "-interpretation_id")
        .values_list(
            "informationitem_id",
            "interpretation_id",
            "interpretation__title",
            "interpretation__form",
            "interpretation__published_date",
        )
    )


_INTERPRETATION_FIELDS = Interpretation._meta.concrete_fields


def attach_public_interpretations(items: list[InformationItem]) -> None:
    """Each item's published interpretations, newest first, as ``public_interpretations`` (what
    ``with_public_interpretations`` prefetches; id, title, form and date loaded): one query,
    compiled once per number of items."""
    if not items:
        return
    stand_ins = {f"i{n}": _ANY_ID - n for n in range(len(items))}
    values = {f"i{n}": item.pk for n, item in enumerate(items)}
    rows = compiled_rows(
        ("public_interpretations_of", len(items)),
        Interpretation,
        _interpretations_of,
        stand_ins,
        values,
    )
    by_item: dict[int, list[Interpretation]] = {item.pk: [] for item in items}
    alias = items[0]._state.db or "default"
    for item_id, pk, title, form, published in rows:
        loaded = {"id": pk, "title": title, "form": form, "published_date": published}
        names = [f.attname for f in _INTERPRETATION_FIELDS if f.attname in loaded]
        by_item[item_id].append(
            Interpretation.from_db(alias, names, [loaded[name] for name in names])
        )
    for item in items:
        item.public_interpretations = by_item[item.pk]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# 政策找人 (issue 14): the SQL prefilter and the pure rules of ``matching`` on its candidates
# ---------------------------------------------------------------------------------------------


def qualification_ids_by_name() -> dict[str, int]:
    return dict(Qualification.objects.values_list("name", "id"))


def qualifications_all() -> QuerySet[Qualification]:
    return Qualification.objects.all()


@dataclass
class OrgTree:
    """The agency tree in memory (a few hundred rows): codes, names, parents."""

    by_code: dict[str, tuple[int, int | None]]
    code_of: dict[int, str]
    names: dict[str, str]

    @classmethod
    def load(cls) -> "OrgTree":
        by_code: dict[str, tuple[int, int | None]] = {}
        code_of: dict[int, str] = {}
        names: dict[str, str] = {}
        for pk, code, parent_id, name in Organisation.objects.values_list(
            "id", "code", "parent_id", "name"
        ):
            by_code[code] = (pk, parent_id)
            code_of[pk] = code
            names[code] = name
        return cls(by_code=by_code, code_of=code_of, names=names)

    def path(self, code: str) -> tuple[str, ...]:
        """``code`` and its ancestors' codes, nearest first (empty for an unknown code)."""
        out: list[str] = []
        current: str | None = code if code in self.by_code else None
        while current is not None and current not in out:
            out.append(current)
            parent_id = self.by_code[current][1]
            current = self.code_of.get(parent_id) if parent_id is not None else None
        return tuple(out)


@dataclass
class MatchEntry:
    item_id: int
    external_id: str | None
    title: str
    published_date: datetime.date | None
    reasons: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    matches: list[MatchEntry]
    near_misses: list[MatchEntry]

    def as_contract(self) -> dict[str, list[dict[str, Any]]]:
        """The ``match_policies`` / ``POST /api/v1/policies/match`` JSON."""
        return {
            "matches": [
                {"external_id": m.external_id, "title": m.title, "reasons": m.reasons}
                for m in self.matches
            ],
            "near_misses": [
                {"external_id": m.external_id, "title": m.title, "unmet": m.unmet}
                for m in self.near_misses
            ],
        }


def matchable_conditions() -> QuerySet[PolicyConditions]:
    """Conditions of the policies 政策找人 considers: live, public (主动公开, 已发布) and 有效.
    A document imported or edited without a conditions object is not a 政策兑现 entry."""
    return PolicyConditions.objects.filter(
        item__in=public_items().filter(
            revision_of__isnull=True, validity=InformationItem.Validity.VALID
        )
    )


def _fail(condition: Any) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def match_candidates(
    profile: Profile, tree: OrgTree, as_of: datetime.date
) -> QuerySet[PolicyConditions]:
    """SQL prefilter: conditions failing at most one rule (matches and near misses). Each rule
    is one CASE over indexed columns or an EXISTS on a small table, so one profile against
    100,000 policies is one scan; ``matching.evaluate`` then decides on the few candidates."""
    region_ids = [tree.by_code[c][0] for c in profile.region_path]
    held = list(
        Qualification.objects.filter(name__in=profile.qualifications).values_list("id", flat=True)
    )
    regions = PolicyConditions.regions.through.objects.filter(
        policyconditions_id=OuterRef("pk"), organisation_id__in=region_ids
    )
    industries = PolicyIndustry.objects.filter(
        conditions_id=OuterRef("pk"), code__in=code_prefixes(profile.industry)
    )
    missing = PolicyConditions.qualifications.through.objects.filter(
        policyconditions_id=OuterRef("pk")
    ).exclude(qualification_id__in=held)
    scale_ok = Q(scales="") | (
        Q(scales__contains=f",{profile.scale},") if profile.scale else Q(pk__in=[])
    )
    if profile.established is None:
        years_fail = Q(min_years__isnull=False)
    else:
        years_fail = Q(min_years__gt=whole_years(profile.established, as_of))
    fails = (
        _fail(Q(has_regions=True) & ~Exists(regions))
        + _fail(Q(has_industries=True) & ~Exists(industries))
        + _fail(~scale_ok)
        + _fail(years_fail)
        + _fail(Q(has_qualifications=True) & Exists(missing))
        + _fail(Q(apply_from__gt=as_of) | Q(apply_until__lt=as_of))
    )
    return matchable_conditions().alias(fails=fails).filter(fails__lte=1)


def _conditions_of(row: PolicyConditions, tree: OrgTree) -> Conditions:
    return Conditions(
        regions=tuple(tree.code_of[r.pk] for r in row.regions.all()),
        industries=tuple(row.industries),
        scales=tuple(row.scale_list),
        min_years=row.min_years,
        qualifications=tuple(q.name for q in row.qualifications.all()),
        apply_from=row.apply_from,
        apply_until=row.apply_until,
    )


def profile_for(
    tree: OrgTree,
    *,
    region: str,
    industry: str = "",
    scale: str = "",
    established: datetime.date | None = None,
    qualifications: Iterable[str] = (),
) -> Profile:
    return Profile(
        region_path=tree.path(region),
        industry=normalise_code(industry or ""),
        scale=scale or "",
        established=established,
        qualifications=frozenset(qualifications),
    )


def match_policies(
    profile: Profile, as_of: datetime.date, tree: OrgTree | None = None
) -> MatchResult:
    """政策找人 for one profile on ``as_of``: the matches with their reasons and the near misses
    (exactly one unmet condition). Both lists: newest 发布日期 first, then the larger id.

    Candidates are read as plain rows (no model instances): at 100,000 policies the prefilter
    leaves thousands, and building objects for them cost more than the query."""
    tree = tree or OrgTree.load()
    rows = list(
        match_candidates(profile, tree, as_of)
        # The JSON list as its text: codes are [A-T0-9] only, split below without a decoder.
        .annotate(industries_text=Cast("industries", output_field=TextField()))
        .values_list(
            "id",
            "item_id",
            "item__title",
            "item__external_id",
            "item__published_date",
            "industries_text",
            "scales",
            "min_years",
            "apply_from",
            "apply_until",
            "has_regions",
            "has_qualifications",
        )
    )
    regions = _grouped(
        PolicyConditions.regions.through.objects,
        "organisation_id",
        [r[0] for r in rows if r[10]],
    )
    quals = _grouped(
        PolicyConditions.qualifications.through.objects,
        "qualification_id",
        [r[0] for r in rows if r[11]],
    )
    qual_names = dict(Qualification.objects.values_list("id", "name"))
    matches: list[MatchEntry] = []
    near: list[MatchEntry] = []
    for row in rows:
        pk, item_id, title, external_id, published, industries, scales = row[:7]
        min_years, apply_from, apply_until = row[7], row[8], row[9]
        conditions = Conditions(
            regions=tuple(tree.code_of[o] for o in regions.get(pk, ())),
            industries=_codes_of(industries),
            scales=tuple(s for s in scales.split(",") if s),
            min_years=min_years,
            qualifications=tuple(qual_names[q] for q in quals.get(pk, ())),
            apply_from=apply_from,
            apply_until=apply_until,
        )
        outcome = evaluate(conditions, profile, as_of, tree.names)
        if len(outcome.unmet) > 1:
            continue
        entry = MatchEntry(
            item_id=item_id,
            external_id=external_id,
            title=title,
            published_date=published,
            reasons=outcome.reasons,
            unmet=outcome.unmet,
        )
        (matches if outcome.matches else near).append(entry)
    order = _match_order
    return MatchResult(matches=sorted(matches, key=order), near_misses=sorted(near, key=order))


def _codes_of(text: str | None) -> tuple[str, ...]:
    """'["C39", "I65"]' → ("C39", "I65")."""
    cleaned = (text or "").strip("[] ").replace('"', "")
    return tuple(c.strip() for c in cleaned.split(",") if c.strip())


def _grouped(manager: Any, column: str, ids: list[int]) -> dict[int, list[int]]:
    """``policyconditions_id`` → the ``column`` values of a through table (500 ids a query)."""
    out: dict[int, list[int]] = {}
    for start in range(0, len(ids), 500):
        for pc_id, value in manager.filter(
            policyconditions_id__in=ids[start : start + 500]
        ).values_list("policyconditions_id", column):
            out.setdefault(pc_id, []).append(value)
    return out


def _match_order(entry: MatchEntry) -> tuple[int, int]:
    day = entry.published_date.toordinal() if entry.published_date else 0
    return (-day, -entry.item_id)


def conditions_for_item(item: InformationItem) -> PolicyConditions | None:
    return (
        PolicyConditions.objects.filter(item=item)
        .prefetch_related("regions", "qualifications")
        .first()
    )


def qualified_profile_count(item: InformationItem, as_of: datetime.date) -> int:
    """How many 政策找人 profiles the policy matches on ``as_of`` (a count, no personal data).
    0 for a policy that is not public and 有效 or has no conditions."""
    return len(qualified_profile_user_ids(item, as_of))


def qualified_profile_user_ids(item: InformationItem, as_of: datetime.date) -> list[int]:
    """The accounts whose profile the policy matches on ``as_of``: SQL narrows the profiles by
    region subtree, scale and industry prefix; the pure rules decide on the rest."""
    row = (
        matchable_conditions()
        .filter(item=item)
        .prefetch_related("regions", "qualifications")
        .first()
    )
    if row is None:
        return []
    tree = OrgTree.load()
    conditions = _conditions_of(row, tree)
    profiles = MatchProfile.objects.all()
    if conditions.regions:
        profiles = profiles.filter(
            region_id__in=organisation_descendant_ids(r.pk for r in row.regions.all())
        )
    if conditions.scales:
        profiles = profiles.filter(scale__in=conditions.scales)
    if conditions.industries:
        starts = Q(pk__in=[])
        for code in conditions.industries:
            starts |= Q(industry__startswith=code)
        profiles = profiles.filter(starts)
    users: list[int] = []
    for p in profiles.select_related("region").prefetch_related("qualifications"):
        candidate = profile_for(
            tree,
            region=p.region.code,
            industry=p.industry,
            scale=p.scale,
            established=p.established,
            qualifications=[q.name for q in p.qualifications.all()],
        )
        if evaluate(conditions, candidate, as_of).matches:
            users.append(p.user_id)
    return users


def match_profile_input(data: Any) -> MatchResult:
    """The ``match_policies`` / API answer for a profile object (raises ``ProfileError``)."""
    from django.utils import timezone

    from .conditions import parse_profile

    tree = OrgTree.load()
    parsed = parse_profile(
        data, org_codes=tree.by_code, qualification_names=qualification_ids_by_name()
    )
    profile = profile_for(
        tree,
        region=parsed.region,
        industry=parsed.industry,
        scale=parsed.scale,
        established=parsed.established,
        qualifications=parsed.qualifications,
    )
    return match_policies(profile, parsed.as_of or timezone.localdate(), tree)


def match_profile_of(user: Any) -> MatchProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        MatchProfile.objects.filter(user=user)
        .select_related("region")
        .prefetch_related("qualifications")
        .first()
    )


def match_for_saved_profile(saved: MatchProfile, as_of: datetime.date) -> MatchResult:
    tree = OrgTree.load()
    profile = profile_for(
        tree,
        region=saved.region.code,
        industry=saved.industry,
        scale=saved.scale,
        established=saved.established,
        qualifications=[q.name for q in saved.qualifications.all()],
    )
    return match_policies(profile, as_of, tree)
