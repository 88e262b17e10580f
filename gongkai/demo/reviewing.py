"""The demo's reviewers at work: content submitted to 先审后发 is approved level by level by
the reviewers the chain names, through the same service the review pages call."""

from typing import Any

from gongkai.accounts.models import Organisation, Role, RoleAssignment
from gongkai.review.chain_services import deciders_at, review_decide, review_request_for


def _nearest(organisation: Organisation, level: int, deciders: list[Any]) -> Any:
    """Of the reviewers who may decide, the one assigned nearest the organisation: a district
    bureau's 复审 is the district's reviewer, not the city's, though both cover it."""
    ids = {u.pk: u for u in deciders}
    held = dict(
        RoleAssignment.objects.filter(
            user_id__in=ids, role=Role.REVIEWER, review_level=level
        ).values_list("organisation_id", "user_id")
    )
    current: Organisation | None = organisation
    while current is not None:
        if current.pk in held:
            return ids[held[current.pk]]
        current = current.parent
    return deciders[0]


def approve_every_level(content: Any, *, submitted_by: Any) -> None:
    """Approve ``content`` at each level of its chain (初审 → 复审 → 终审), each time by the
    nearest reviewer who may decide there; the final approval publishes it."""
    request = review_request_for(content)
    while request is not None and request.state == "in_review":
        # Nobody reviews what they drafted or submitted (the chain refuses it anyway).
        excluded = {submitted_by.pk}
        if request.submitted_by_id is not None:
            excluded.add(request.submitted_by_id)
        organisation = request.organisation
        deciders = deciders_at(organisation, request.level, excluded)
        reviewer = _nearest(organisation, request.level, deciders)
        review_decide(request=request, decision="approve", acting_user=reviewer)
        request.refresh_from_db()
