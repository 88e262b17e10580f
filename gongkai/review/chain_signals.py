"""Keep a version of every saved draft (issue 5: "every version kept with a readable diff").

The content apps save through their own services; a ``post_save`` receiver is the one place
that sees every save without those services knowing about review. It is connected explicitly
by ``ReviewConfig.ready()`` for the registered kinds whose adapter asks for it
(``versions_on_save``), not as a side effect of importing a models module. A status-only save
(``update_fields`` without any content field) is not a new version; an unchanged snapshot is
not stored twice (``version_record`` compares with the latest).
"""

from typing import Any

from django.db.models.signals import post_save
from django.utils.translation import gettext as _

WORKFLOW_ONLY_FIELDS = frozenset({"status", "published_date", "updated_at"})


def record_version_on_save(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:  # loaddata
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= WORKFLOW_ONLY_FIELDS:
        return
    if getattr(instance, "_defer_version", False):
        # The service records the version itself once the object is complete (m2m, files).
        instance._defer_version = False
        return
    from .chain_services import version_record

    note = getattr(instance, "_version_note", "") or (_("创建") if created else _("保存"))
    instance._version_note = ""
    version_record(content=instance, note=note)
    # A new version is a change of the content: announced after commit (ADR 0006).
    from gongkai.core import content
    from gongkai.core.signals import announce, content_changed

    entry = content.for_model_label(instance._meta.label)
    if entry is not None:
        announce(content_changed, instance, kind=entry.kind)


def connect() -> None:
    """Record versions of every registered kind whose adapter asks for it, now and for kinds
    registered later (``core.content.subscribe``)."""
    from gongkai.core import content

    content.subscribe(connect_kind)


def connect_kind(entry: Any) -> None:
    if getattr(entry.review_adapter, "versions_on_save", False):
        label = entry.model_label
        post_save.connect(
            record_version_on_save, sender=label, dispatch_uid=f"review-version-{label}"
        )
