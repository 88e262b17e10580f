"""Maintained facet counts of the policy library (issue 17 item 4; docs/adr/0015).

At 1,000,000 documents every count of the library's six facets over the public policies is a
scan of some 300,000 rows: seconds per view even as one ``GROUPING SETS`` scan, and the two
link-table facets (服务对象, 特色分类) cost two more. The counts change only when a policy
changes, so they are kept in ``PolicyFacetCount``:

* per scope (``all``, ``normative`` 行政规范性文件库, ``repealed`` 废止失效), one row per facet
  value (how many public policies have it) and one per pair of values of two different facets
  (how many have both). A view with no selection reads the single rows; a view with a selection
  in one facet reads that facet's single rows and the pairs starting at the selected values —
  one indexed query, whatever the number of documents. Anything else (selections in two
  facets, or two values of a facet an item can have several of) is counted from the
  documents as before: those filters are narrow.
* ``PolicyFacetEntry`` remembers what each policy added, so a change subtracts exactly the old
  contribution and adds the new one (``refresh``: idempotent — it makes the counts of the given
  items match the database, whatever happened before).

Every write of an item reaches ``refresh``: ``post_save``/``post_delete``, changes of its
服务对象 and 栏目 (``m2m_changed``) and the bulk writes' ``rows_written`` (imports, the demo's
synthetic documents) mark the item ids on the connection; they are refreshed when the
transaction commits, or earlier by a read on the same connection (so a transaction sees its own
writes). The refresh locks the items' rows, so two servers refreshing the same item take turns.
``rebuild`` recounts everything (migration, ``gongkai policy_facets_rebuild``): needed only when
a 主题分类's parent or a column's kind changes, which the counts do not follow.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from gongkai.catalogue.models import Column, InformationItem, PolicyKind
from gongkai.catalogue.selectors import public_items
from gongkai.core.compiled import compiled_rows

from .models import PolicyFacetCount, PolicyFacetEntry

KIND = "kind"
ORG = "org"
YEAR = "year"
TOPIC = "topic"
AUDIENCE = "audience"
SPECIAL = "special"
# Facets a policy can have several values of: two selected values of one of them may match the
# same policy twice, so their pair counts cannot simply be added up.
MULTI_VALUED = frozenset({AUDIENCE, SPECIAL})

SCOPES = {"all": 1, "normative": 2, "repealed": 4}
REPEALED_VALIDITY = (InformationItem.Validity.EXPIRED, InformationItem.Validity.REPEALED)
BATCH = 2000

Key = tuple[str, str, str, str, str]


def _chunks(ids: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _current(ids: list[int]) -> dict[int, tuple[int, list[list[str]]]]:
    """Scopes and facet values of those ``ids`` that are public policies now."""
    out: dict[int, tuple[int, list[list[str]]]] = {}
    rows = (
        public_items()
        .exclude(policy_kind="")
        .filter(id__in=ids)
        .values_list(
            "id", "policy_kind", "organisation_id", "published_date", "topic_id", "topic__parent_id"
        )
    )
    validity = dict(InformationItem.objects.filter(id__in=ids).values_list("id", "validity"))
    for pk, kind, org, published, topic, parent in rows:
        values = [[KIND, kind], [ORG, str(org)]]
        if isinstance(published, datetime.date):
            values.append([YEAR, str(published.year)])
        if topic is not None:
            # 文件主题 is the first level: a second-level topic counts towards its parent.
            values.append([TOPIC, str(parent or topic)])
        scopes = SCOPES["all"]
        if kind == PolicyKind.NORMATIVE:
            scopes |= SCOPES["normative"]
        if validity.get(pk) in REPEALED_VALIDITY:
            scopes |= SCOPES["repealed"]
        out[pk] = (scopes, values)
    if not out:
        return out
    public = list(out)
    for item_id, audience_id in InformationItem.audiences.through.objects.filter(
        informationitem_id__in=public
    ).values_list("informationitem_id", "audience_id"):
        out[item_id][1].append([AUDIENCE, str(audience_id)])
    for item_id, column_id in InformationItem.columns.through.objects.filter(
        informationitem_id__in=public, column__kind=Column.Kind.SPECIAL
    ).values_list("informationitem_id", "column_id"):
        out[item_id][1].append([SPECIAL, str(column_id)])
    for _scopes, values in out.values():
        values.sort()
    return out


def _contribution(scopes: int, values: list[list[str]], sign: int, into: Counter[Key]) -> None:
    for scope, bit in SCOPES.items():
        if not scopes & bit:
            continue
        for key, value in values:
            into[(scope, key, value, "", "")] += sign
        for (k1, v1), (k2, v2) in itertools.permutations(values, 2):
            if k1 != k2:
                into[(scope, k1, v1, k2, v2)] += sign


_UPSERT = (
    "INSERT INTO {t} (scope, key, value, key2, value2, n) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (scope, key, value, key2, value2) DO UPDATE SET n = {t}.n + excluded.n"
)


def _apply(delta: Counter[Key]) -> None:
    rows = [(*key, n) for key, n in sorted(delta.items()) if n]
    if not rows:
        return
    table = connection.ops.quote_name(PolicyFacetCount._meta.db_table)
    with connection.cursor() as cursor:
        # An additive upsert: two transactions adding to one value both count (the ORM's
        # update_conflicts would overwrite).
        cursor.executemany(_UPSERT.format(t=table), rows)


def refresh(ids: Iterable[int]) -> None:
    """Make the counts of ``ids`` match the database: subtract what each item added before,
    add what it adds now (nothing if it is no longer a public policy)."""
    ids = sorted({int(i) for i in ids})
    if not ids:
        return
    with transaction.atomic():
        delta: Counter[Key] = Counter()
        for chunk in _chunks(ids):
            # Lock the items: a concurrent refresh of the same item waits and then reads the
            # entry this one wrote, never the same old entry twice.
            list(
                InformationItem.objects.select_for_update()
                .filter(id__in=chunk)
                .values_list("id", flat=True)
            )
            old = {e.item_id: e for e in PolicyFacetEntry.objects.filter(item_id__in=chunk)}
            new = _current(chunk)
            for entry in old.values():
                _contribution(entry.scopes, entry.values, -1, delta)
            for scopes, values in new.values():
                _contribution(scopes, values, 1, delta)
            changed = [
                pk
                for pk in chunk
                if (pk in old) != (pk in new)
                or (pk in old and (old[pk].scopes, old[pk].values) != new[pk])
            ]
            if changed:
                PolicyFacetEntry.objects.filter(item_id__in=changed).delete()
                PolicyFacetEntry.objects.bulk_create(
                    PolicyFacetEntry(item_id=pk, scopes=new[pk][0], values=new[pk][1])
                    for pk in changed
                    if pk in new
                )
        _apply(delta)


def rebuild() -> int:
    """Recount every public policy from scratch; returns how many there are."""
    with transaction.atomic():
        PolicyFacetCount.objects.all().delete()
        PolicyFacetEntry.objects.all().delete()
        ids = list(
            public_items().exclude(policy_kind="").order_by("id").values_list("id", flat=True)
        )
        _pending_ids().clear()
        refresh(ids)
    return len(ids)


# ------------------------------------------------------------------------ marking the writes


def _pending_ids() -> set[int]:
    pending: set[int] | None = getattr(connection, "_gk_policy_facets_dirty", None)
    if pending is None:
        pending = set()
        connection._gk_policy_facets_dirty = pending  # type: ignore[attr-defined]  # per-connection state
    return pending


def flush() -> None:
    """Refresh the items written on this connection and not yet counted."""
    pending = _pending_ids()
    if pending:
        ids = list(pending)
        pending.clear()
        refresh(ids)


def _flush_on_commit() -> None:
    connection._gk_policy_facets_queued = False  # type: ignore[attr-defined]  # per-connection state
    pending = _pending_ids()
    ids = list(pending)
    try:
        flush()
    except Exception:
        pending.update(ids)  # counted again by the next flush on this connection
        raise


def mark(ids: Iterable[int]) -> None:
    """Items written in the current transaction: count them again once it commits."""
    pending = _pending_ids()
    pending.update(int(i) for i in ids if i is not None)
    if not pending:
        return
    if not connection.in_atomic_block:
        flush()
        return
    # One callback per transaction. A rolled-back transaction drops it; the ids stay marked and
    # the next flush recounts them (harmless: ``refresh`` only makes counts match the data).
    queued = getattr(connection, "_gk_policy_facets_queued", False)
    if not queued or not any(entry[1] is _flush_on_commit for entry in connection.run_on_commit):
        connection._gk_policy_facets_queued = True  # type: ignore[attr-defined]  # per-connection state
        # robust: the write itself has committed; a failed recount is logged, never turned
        # into an error page for the editor (the ids stay marked for the next flush).
        transaction.on_commit(_flush_on_commit, robust=True)


# ------------------------------------------------------------------------------------ reading


def counts_for(
    scope: str, filters: dict[str, list[str]]
) -> tuple[dict[str, dict[str, int]], int] | None:
    """The facet counts of a library view as {facet: {value: count}} and the number of matching
    policies, from the maintained counts; ``None`` when the view needs the documents (a
    selection in two facets, or two values of a multi-valued facet, or a second-level topic)."""
    active = [k for k, v in filters.items() if v]
    if len(active) > 1:
        return None
    if active:
        key = active[0]
        selected = filters[key]
        if key in MULTI_VALUED and len(selected) > 1:
            return None
        if key == TOPIC and not _top_level_topics(selected):
            return None
    flush()
    if not active:
        key, selected = "", []
    counts: dict[str, dict[str, int]] = {}
    for k1, v1, k2, v2, n in _count_rows(scope, key, selected):
        if not k2:
            counts.setdefault(k1, {})[v1] = n
        else:
            # Several selected values of a single-valued facet are disjoint: their pairs add.
            facet = counts.setdefault(k2, {})
            facet[v2] = facet.get(v2, 0) + n
    kinds = counts.get(KIND, {})
    total = (
        sum(n for v, n in kinds.items() if v in selected) if key == KIND else sum(kinds.values())
    )
    return counts, total


_ANY_SCOPE = "any-scope-7340561902118"
_ANY_KEY = "any-key-7340561902118"


def _count_rows_query(scope: str, key: str, *selected: str) -> Any:
    rows = PolicyFacetCount.objects.filter(scope=scope, n__gt=0)
    if key:
        rows = rows.filter(Q(key=key, key2="") | Q(key=key, value__in=selected))
    else:
        rows = rows.filter(key2="")
    return rows.values_list("key", "value", "key2", "value2", "n")


def _count_rows(scope: str, key: str, selected: list[str]) -> list[tuple[str, str, str, str, int]]:
    """The counts of a view with no selection (``key`` empty) or with ``selected`` values of
    one facet: one query, compiled once per process and number of selected values."""
    stand_ins: dict[str, Any] = {"scope": _ANY_SCOPE}
    values: dict[str, Any] = {"scope": scope}
    if key:
        stand_ins["key"], values["key"] = _ANY_KEY, key
        for n, value in enumerate(selected):
            stand_ins[f"v{n}"], values[f"v{n}"] = f"any-value-{n}-7340561902118", value
    return compiled_rows(
        ("policy_facet_counts", bool(key), len(selected)),
        PolicyFacetCount,
        lambda scope, key="", **chosen: _count_rows_query(scope, key, *chosen.values()),
        stand_ins,
        values,
    )


def _top_level_topics(ids: list[str]) -> bool:
    from gongkai.catalogue.models import TopicCategory

    wanted = {int(i) for i in ids}
    return TopicCategory.objects.filter(id__in=wanted, parent__isnull=True).count() == len(wanted)


def on_rows(rows: Any) -> list[int]:
    """Item ids of a ``rows_written`` payload (a queryset, primary keys or instances)."""
    from django.db import models

    if isinstance(rows, models.QuerySet):
        return list(rows.values_list("pk", flat=True))
    return [r.pk if isinstance(r, models.Model) else int(r) for r in rows]


# ------------------------------------------------------------------------------- the receivers


def _saved(sender: Any, instance: InformationItem, **kwargs: Any) -> None:
    mark([instance.pk])


def _links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        mark([instance.pk])
    elif pk_set is not None:
        mark(pk_set)
    else:  # an audience or column cleared of all its items: those items, before they go
        mark(
            sender.objects.filter(**{sender_field(sender, instance): instance.pk}).values_list(
                "informationitem_id", flat=True
            )
        )


def sender_field(through: Any, instance: Any) -> str:
    for f in through._meta.get_fields():
        if getattr(f, "related_model", None) is type(instance):
            return f"{f.name}_id"
    raise LookupError(type(instance).__name__)


def _rows_written(sender: Any, rows: Any, **kwargs: Any) -> None:
    if sender is InformationItem:
        mark(on_rows(rows))


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from gongkai.core.signals import rows_written

    post_save.connect(_saved, sender=InformationItem, dispatch_uid="policy_facets_save")
    post_delete.connect(_saved, sender=InformationItem, dispatch_uid="policy_facets_delete")
    for through in (InformationItem.audiences.through, InformationItem.columns.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"policy_facets_{through}")
    rows_written.connect(_rows_written, dispatch_uid="policy_facets_rows")
