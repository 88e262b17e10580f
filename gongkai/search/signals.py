"""Keep the index in step: the content hooks of ADR 0006 (published / withdrawn / changed)
and every save/delete/m2m change of indexed content write ``SearchChange`` rows — the model
signals in the writer's own transaction — and after commit this process applies the log.

Other processes (and other servers) apply the same rows before their next query, so there is
one mechanism for one server and for many (docs/adr/0002-search-engine.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .registry import adapter_for_model, adapters, make_key, related_models

log = logging.getLogger(__name__)


def record_changes(keys: Iterable[str], op: str = "upsert", *, apply: bool = True) -> None:
    """Write one change-log row per key in the caller's transaction; after commit this process
    applies the log (``apply=False`` leaves that to the next query: bulk loads)."""
    from .models import SearchChange

    rows = [SearchChange(key=key, op=op) for key in dict.fromkeys(keys)]
    if not rows:
        return
    SearchChange.objects.bulk_create(rows, batch_size=5000)
    _after_commit(apply)


def _after_commit(apply: bool) -> None:
    if apply and getattr(settings, "GONGKAI_SEARCH_APPLY_ON_COMMIT", True):
        transaction.on_commit(apply_after_commit)


def record_rows(
    model: type[models.Model],
    rows: models.QuerySet | Iterable[int | models.Model],
    *,
    op: str = "upsert",
    apply: bool = True,
) -> None:
    """The one door for writes that bypass model signals (``bulk_create``, ``bulk_update``,
    ``QuerySet.update``, raw SQL): queue the written rows of ``model`` for every server's
    index, in the caller's transaction (docs/adr/0002-search-engine.md, addendum 3).

    ``rows`` is a queryset (written as one ``INSERT … SELECT``, so a batch of 20,000 demo
    items costs one statement), or primary keys or instances (for deleted rows, which a
    queryset no longer finds). Models the search does not index are ignored, so callers need
    not know what is indexed.
    """
    adapter = adapter_for_model(model)
    if adapter is None:
        keys_for = related_models().get(model)
        if keys_for is None:
            return
        instances = rows if isinstance(rows, models.QuerySet) else list(rows)
        record_changes(
            (key for obj in instances if isinstance(obj, models.Model) for key in keys_for(obj)),
            op="upsert",
            apply=apply,
        )
        return
    if isinstance(rows, models.QuerySet):
        _record_queryset(adapter.prefix, rows, op)
        _after_commit(apply)
        return
    record_changes(
        (make_key(adapter.prefix, r.pk if isinstance(r, models.Model) else r) for r in rows),
        op=op,
        apply=apply,
    )


# Filled with quoted identifiers and the ORM's own SQL only; every value is a parameter.
_INSERT_SELECT = (
    "INSERT INTO {} ({}, {}, {}) SELECT CAST(%s AS VARCHAR(64)) || "
    "CAST(sub.search_change_pk AS VARCHAR(20)), %s, %s FROM ({}) sub "
    "ORDER BY sub.search_change_pk"
)


def _record_queryset(prefix: str, queryset: models.QuerySet, op: str) -> None:
    from .models import SearchChange

    connection = connections[queryset.db]
    qn = connection.ops.quote_name
    select = (
        queryset.order_by()
        .annotate(search_change_pk=models.F("pk"))
        .values_list("search_change_pk")
        .distinct()
    )
    sub_sql, sub_params = select.query.get_compiler(using=queryset.db).as_sql()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table, key, op_col, created = (
        qn(name) for name in (SearchChange._meta.db_table, "key", "op", "created_at")
    )
    sql = _INSERT_SELECT.format(table, key, op_col, created, sub_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{prefix}:", op, now, *sub_params])


def apply_after_commit() -> None:
    from .engine import get_engine

    try:
        get_engine().catch_up()
    except Exception:  # the next query or `gongkai search_catchup` repairs it
        log.exception("search: applying the change log after commit failed")


def _on_content_hook(sender: type[models.Model], instance: models.Model, kind: str = "", **kw):
    """``content_published`` / ``content_withdrawn`` / ``content_changed`` (ADR 0006): sent by
    the content services and the review chain after their commit, for every registered kind —
    search follows them like subscriptions and open data do, knowing no content app. The key
    is queued again (an upsert is idempotent), so a publication reaches every server even when
    the writer changed the row past the model signals."""
    adapter = adapter_for_model(type(instance))
    if adapter is not None:
        record_changes([make_key(adapter.prefix, instance.pk)])


def _on_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw) -> None:
    if raw:  # loaddata: `gongkai reindex` afterwards
        return
    adapter = adapter_for_model(sender)
    if adapter is not None:
        record_changes([make_key(adapter.prefix, instance.pk)])


def _on_delete(sender: type[models.Model], instance: models.Model, **kw) -> None:
    adapter = adapter_for_model(sender)
    if adapter is not None:
        record_changes([make_key(adapter.prefix, instance.pk)], op="delete")


def _on_related(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw):
    if raw:
        return
    keys_for = related_models().get(sender)
    if keys_for is not None:
        record_changes(keys_for(instance))


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kw) -> None:
    # Either side may be indexed (item ↔ interpretation): record every document that changed.
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    keys: list[str] = []
    own = adapter_for_model(type(instance))
    if own is not None and action != "pre_clear":
        keys.append(make_key(own.prefix, instance.pk))
    other = adapter_for_model(model)
    if other is not None:
        if action == "pre_clear":
            # clear() gives no pk_set afterwards: collect the members first.
            keys.extend(make_key(other.prefix, pk) for pk in _members(sender, instance, model))
        elif pk_set:
            keys.extend(make_key(other.prefix, pk) for pk in pk_set)
    record_changes(keys)


def _members(through: type[models.Model], instance: models.Model, target: type[models.Model]):
    src = dst = None
    for fld in through._meta.get_fields():
        related = getattr(fld, "related_model", None)
        if related is type(instance) and src is None:
            src = fld.name
        elif related is target:
            dst = fld.attname  # type: ignore[union-attr]  # related is target, so fld is a relation with attname
    if src is None or dst is None:
        return []
    return through._default_manager.filter(**{src: instance}).values_list(dst, flat=True)


def _on_rows_written(sender: type[models.Model], rows, apply: bool = True, **kw) -> None:
    record_rows(sender, rows, apply=apply)


def connect() -> None:
    from gongkai.core.signals import (
        content_changed,
        content_published,
        content_withdrawn,
        rows_written,
    )

    from . import registry

    if connect not in registry._on_new_adapters:
        registry._on_new_adapters.append(connect)
    rows_written.connect(_on_rows_written, dispatch_uid="search-rows-written")
    # The content hooks: what search listens to for the registered kinds (ADR 0006).
    for name, hook in (
        ("published", content_published),
        ("withdrawn", content_withdrawn),
        ("changed", content_changed),
    ):
        hook.connect(_on_content_hook, dispatch_uid=f"search-content-{name}")
    # The model signals stay where no hook can speak (ADR 0002, ADR 0006):
    # - post_save/post_delete of the indexed models write the change-log row INSIDE the
    #   writer's transaction, so a crash between the commit and the on-commit hooks loses
    #   nothing, and a save no service announced (a migration, the shell, a fixture) and every
    #   delete (no hook exists for it) still reach every server;
    # - m2m_changed: links (服务对象, 栏目, 解读 ↔ 政策) change the documents on both sides and
    #   are written after the row's save, with no hook of their own;
    # - related models (attachments, facet-label rows) are not content kinds at all.
    for adapter in adapters():
        post_save.connect(
            _on_save, sender=adapter.model, dispatch_uid=f"search-save-{adapter.prefix}"
        )
        post_delete.connect(
            _on_delete, sender=adapter.model, dispatch_uid=f"search-delete-{adapter.prefix}"
        )
        for fld in adapter.model._meta.many_to_many:
            through = fld.remote_field.through
            m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"search-m2m-{through}")
        for rel in adapter.model._meta.related_objects:
            if rel.many_to_many:
                through = rel.through  # type: ignore[attr-defined]  # many_to_many rels are ManyToManyRel, which has through
                m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"search-m2m-{through}")
    for model in related_models():
        post_save.connect(_on_related, sender=model, dispatch_uid=f"search-rel-save-{model}")
        post_delete.connect(_on_related, sender=model, dispatch_uid=f"search-rel-del-{model}")


def record_instances(*objects: models.Model) -> None:
    """Queue the given indexed objects for re-indexing, in the caller's transaction (see
    ``record_rows``)."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, instances in by_model.items():
        record_rows(model, instances)
