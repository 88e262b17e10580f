"""Reads of the catalogue that encode the disclosure rules."""

from django.db.models import QuerySet

from .models import InformationItem


def public_items() -> QuerySet[InformationItem]:
    """Items the public may see: published and 主动公开. 依申请公开 and 不予公开 items never are."""
    return InformationItem.objects.filter(
        status=InformationItem.Status.PUBLISHED,
        disclosure=InformationItem.Disclosure.PROACTIVE,
    )
