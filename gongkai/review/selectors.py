"""Reads of the review context: the review queue and what a user may do with a piece of
content in the chain."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from gongkai.core.status import ContentStatus

if TYPE_CHECKING:
    from gongkai.checks.item_checks import ItemFinding


def review_queue(user: Any) -> Any:
    """The reviewer's to-do list: requests in review at a level ``user`` reviews, in an
    organisation where they review it (an assignment 含下级机构 reaches the organisations
    below), not submitted by the user — nobody approves their own submission. Superusers and
    administrators get no level implicitly (``chain_services.reviewer_levels``)."""
    from gongkai.accounts.models import Organisation, Role, RoleAssignment

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
    return ReviewRequest.objects.filter(q, state=ContentStatus.IN_REVIEW).exclude(
        submitted_by_id=user.pk
    )


def stuck_review_requests(organisation_ids: set[int] | list[int] | None) -> list[Any]:
    """Requests in review at a level where nobody may decide — no active reviewer of that
    level, or only the author or submitter — in ``organisation_ids`` (all for ``None``).
    They can never finish until a reviewer is assigned; the administrators' dashboard lists
    them. One check per request in review (a handful in a healthy deployment)."""
    from django.core.exceptions import ValidationError

    from . import chain_services as cs
    from .chain_models import ReviewRequest

    requests = ReviewRequest.objects.filter(state=ContentStatus.IN_REVIEW, level__gt=0)
    if organisation_ids is not None:
        requests = requests.filter(organisation_id__in=organisation_ids)
    out = []
    deciders: dict[tuple[int, int], set[int]] = {}  # per organisation and level, not per request
    for request in requests.select_related("organisation").order_by("submitted_at", "pk"):
        key = (request.organisation_id, request.level)
        if key not in deciders:
            deciders[key] = {u.pk for u in cs.reviewers_at(request.organisation, request.level)}
        left = deciders[key] - {request.submitted_by_id}
        if len(left) == 1:
            # The one remaining reviewer may still be the author (who drafted, not submitted).
            try:
                adapter = cs.adapter_for_kind(request.content_kind)
                obj = adapter.model()._default_manager.filter(pk=request.object_id).first()
            except ValidationError:  # a kind no longer registered
                obj = None
            if obj is not None:
                left -= {adapter.author_id(obj)}
        if not left:
            out.append(request)
    return out


_UNSET: Any = object()


class ReviewAbilities:
    """What ``user`` may do with one piece of content in the review chain — the only place the
    buttons of the content, item and policy pages are decided (views and templates read these
    attributes, they do not recompute them). Each ability is computed when first read, so a
    page pays only for the queries of the ones it shows.

    ``review`` (the content's review request) and ``findings`` (its check findings) may be
    passed when the caller already has them. ``can_mask`` needs the findings: without them it
    is ``False`` (pages that offer no one-click masking).
    """

    def __init__(
        self,
        user: Any,
        obj: Any,
        *,
        review: Any = _UNSET,
        findings: list[ItemFinding] | None = None,
    ) -> None:
        from . import chain_services

        self.user = user
        self.obj = obj
        self.adapter = chain_services.adapter_for(obj)
        self._review = review
        self._findings = findings

    @cached_property
    def review(self) -> Any:
        from . import chain_services

        if self._review is _UNSET:
            return chain_services.review_request_for(self.obj)
        return self._review

    @cached_property
    def state(self) -> str:
        return str(self.adapter.status(self.obj))

    @cached_property
    def can_edit(self) -> bool:
        """Holds the role that drafts and submits this kind in the content's organisation."""
        from gongkai.accounts.selectors import user_has_role

        return user_has_role(
            self.user, self.adapter.organisation(self.obj), self.adapter.submit_role
        )

    @cached_property
    def can_submit(self) -> bool:
        """提交审核: a draft, returned or withdrawn piece the adapter has nothing against (a
        closed 修订稿, a reply letter whose case moved on)."""
        from . import workflow

        return (
            self.can_edit
            and self.state in workflow.SUBMITTABLE
            and not self.adapter.submit_problem(self.obj)
        )

    @cached_property
    def can_mask(self) -> bool:
        """一键遮蔽: personal data was found in a piece the user may still change."""
        from gongkai.checks.text import PRIVACY_KINDS

        from . import workflow

        return (
            self.can_edit
            and any(f.kind in PRIVACY_KINDS for f in self._findings or ())
            and self.state in workflow.SUBMITTABLE
            and bool(self.adapter.maskable(self.obj))
        )

    @cached_property
    def actor(self) -> Any:
        from . import chain_services

        return chain_services.actor_for(self.user, self.obj, self.review)

    @cached_property
    def is_author(self) -> bool:
        return bool(self.actor.is_author)

    @cached_property
    def can_decide(self) -> bool:
        """A reviewer of the request's current level who did not write the content."""

        review = self.review
        return (
            review is not None
            and review.state == ContentStatus.IN_REVIEW
            and not self.actor.is_author
            and review.level in self.actor.review_levels
        )

    @cached_property
    def is_final(self) -> bool:
        """The decision at hand is the last level's (its approval publishes or ends the chain)."""
        return self.can_decide and self.review.level >= self.review.levels

    @cached_property
    def can_withdraw(self) -> bool:

        return self.can_edit and self.state == ContentStatus.PUBLISHED


def review_abilities(
    user: Any, obj: Any, *, review: Any = _UNSET, findings: list[ItemFinding] | None = None
) -> ReviewAbilities:
    """The review abilities of ``user`` on ``obj`` (see ``ReviewAbilities``)."""
    return ReviewAbilities(user, obj, review=review, findings=findings)
