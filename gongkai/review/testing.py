"""Test setup for content that reaches the publish services without walking the chain."""

from typing import Any

from gongkai.core.status import ContentStatus

from .chain_models import ReviewRequest
from .chain_services import adapter_for, content_type_for, version_record


def mark_approved(content: Any) -> ReviewRequest:
    """Record that the review chain approved ``content`` at its final level, as
    ``review_decide`` leaves it before a scheduled publication; the publish services then
    accept it. For tests of what happens after approval (the chain itself is tested in
    ``gongkai/review/tests``)."""
    adapter = adapter_for(content)
    version = version_record(content=content)
    request, _created = ReviewRequest.objects.update_or_create(
        content_type=content_type_for(type(content)),
        object_id=content.pk,
        defaults={
            "content_kind": adapter.kind,
            "organisation": adapter.organisation(content),
            "title": adapter.title(content),
            "levels": 1,
            "level": 1,
            "round": 1,
            "state": ContentStatus.APPROVED,
            "version": version,
        },
    )
    return request
