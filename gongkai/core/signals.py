"""Signals for writes that Django's model signals do not see.

``bulk_create``, ``bulk_update``, ``QuerySet.update`` and raw SQL send no ``post_save``, so the
search change log (and anything else that follows content) would miss them. Every such write on
content must send ``rows_written`` inside its own transaction; content apps send it through
core, so they need not import the apps that listen (ARCHITECTURE.md, allowed imports).
"""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.dispatch import Signal

# kwargs: rows — a queryset, primary keys or instances of ``sender``; apply — False for bulk
# loads whose listeners should not do their follow-up work after every batch's commit.
rows_written = Signal()


def rows_written_send(
    model: type[models.Model],
    rows: models.QuerySet[Any] | Iterable[int | models.Model],
    *,
    apply: bool = True,
) -> None:
    """Call inside the writer's transaction, right after the bulk write."""
    rows_written.send(sender=model, rows=rows, apply=apply)


# The content hooks (ADR 0006): sent after the commit of the transaction that published,
# withdrew or changed a piece of registered content, with kwargs instance and kind. Search,
# subscriptions, open data and the audit views listen; the publishing code knows none of them.
content_published = Signal()
content_withdrawn = Signal()
content_changed = Signal()


def announce(signal: Signal, instance: models.Model, *, kind: str) -> None:
    """Send ``signal`` for ``instance`` once the current transaction commits (at once outside
    one); a rolled-back publication is never announced."""
    from django.db import transaction

    def send() -> None:
        signal.send(sender=type(instance), instance=instance, kind=kind)

    transaction.on_commit(send)


# Roles were revoked (``assignments``: the RoleAssignment rows, already deleted). Receivers return
# a list of Chinese warnings for the person who did it — the review app names the chain levels
# left without a reviewer — so accounts, below review, asks without importing it.
roles_revoked = Signal()


def roles_revoked_warnings(sender: type[models.Model], assignments: list[Any]) -> list[str]:
    out: list[str] = []
    for _receiver, messages in roles_revoked.send(sender=sender, assignments=assignments):
        for message in messages or ():
            if message not in out:
                out.append(message)
    return out
