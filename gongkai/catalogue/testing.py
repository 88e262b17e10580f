"""Test setup for catalogue content that is corrected after publication (ADR 0005)."""

from typing import Any

from gongkai.review.testing import mark_approved

from .services import item_revision_apply, item_revision_open, item_update


def revise_approved(item: Any, data: dict[str, Any], acting_user: Any) -> Any:
    """Correct a published item the only way there is: a 修订稿 with ``data`` applied, taken as
    approved by the chain (``mark_approved``) and applied onto the live item. Returns the live
    item, re-read."""
    revision = item_revision_open(item=item, acting_user=acting_user)
    item_update(item=revision, data=data, acting_user=acting_user)
    mark_approved(revision)
    item_revision_apply(revision=revision, acting_user=None)
    item.refresh_from_db()
    return item
