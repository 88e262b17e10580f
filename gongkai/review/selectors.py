"""Reads of the review context: the review queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

# --------------------------------------------------------------------------------------------
# 条例第十八条: the periodic review queue of items marked 依申请公开 / 不予公开
# --------------------------------------------------------------------------------------------


def review_queue(user: Any) -> Any:
    """The reviewer's to-do list: requests in review at a level ``user`` reviews, in an
    organisation where they review it (an assignment 含下级机构 reaches the organisations
    below), not submitted by the user — nobody approves their own submission. Superusers and
    administrators get no level implicitly (``chain_services.reviewer_levels``)."""
    from gongkai.accounts.models import Organisation, Role, RoleAssignment

    from . import workflow
    from .chain_models import ReviewRequest

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ReviewRequest.objects.none()
    rows = list(
        RoleAssignment.objects.filter(
            user=user, role=Role.REVIEWER, review_level__gt=0
        ).values_list("organisation_id", "include_descendants", "review_level")
    )
    children: dict[int | None, list[int]] = {}
    if any(include for _org, include, _level in rows):  # one query for the whole tree
        for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(org_id)
    by_level: dict[int, set[int]] = {}
    for org_id, include, level in rows:
        reached: set[int] = set()
        stack = [org_id]
        while stack:
            current = stack.pop()
            if current not in reached:
                reached.add(current)
                if include:
                    stack.extend(children.get(current, []))
        by_level.setdefault(level, set()).update(reached)
    if not by_level:
        return ReviewRequest.objects.none()
    q = Q()
    for level, ids in by_level.items():
        q |= Q(level=level, organisation_id__in=ids)
    return ReviewRequest.objects.filter(q, state=workflow.IN_REVIEW).exclude(
        submitted_by_id=user.pk
    )
