"""The workbench home (/staff/): who I am here, what my organisations hold, what awaits me."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.accounts.http import AuthenticatedHttpRequest
from gongkai.accounts.models import Role, RoleAssignment
from gongkai.accounts.permissions import can_administer_platform, staff_required
from gongkai.accounts.selectors import organisation_ids_for_role, organisations_for_role
from gongkai.catalogue.models import InformationItem
from gongkai.foi import selectors as foi_selectors
from gongkai.interaction import selectors as interaction_selectors
from gongkai.oversight.selectors import latest_inspection_run
from gongkai.participation.selectors import participation_stats
from gongkai.registers import selectors as register_selectors
from gongkai.review.selectors import review_queue, stuck_review_requests
from gongkai.workdays.selectors import calendar_year_missing_ahead

ALL_ROLES = tuple(Role.values)
# 即将到期: an application due within this many working days (the due day itself counts as 0).
DUE_SOON_WORKDAYS = 3


def _todo(user: Any, assignments: list[RoleAssignment]) -> dict[str, Any]:
    """The to-do counts, one block per role the user holds: 待我审核 for reviewers with a
    level, 依申请公开 deadlines and 待回复留言 for handlers and administrators, 网站自查 for
    administrators.
    A fixed handful of queries whatever the volume."""
    roles = {a.role for a in assignments}
    todo: dict[str, Any] = {}
    if any(a.role == Role.REVIEWER and a.review_level for a in assignments):
        todo["review_pending"] = review_queue(user).count()
    if user.is_superuser or roles & {Role.FOI_HANDLER, Role.ADMIN}:
        cases = foi_selectors.cases_for_staff(user)
        today = timezone.localdate()
        todo["foi_due_soon"] = len(foi_selectors.due_within(cases, DUE_SOON_WORKDAYS, today))
        todo["foi_overdue"] = foi_selectors.overdue(cases, today).count()
        # Deadlines reaching an unentered year cannot be computed: warn those who answer
        # applications (and the administrator who can enter it) before such a case arrives.
        todo["calendar_missing"] = missing = calendar_year_missing_ahead(today)
        todo["calendar_editable"] = bool(missing) and can_administer_platform(user)
    if user.is_superuser or roles & {Role.FOI_HANDLER, Role.ADMIN}:
        # 待回复留言: the roles that answer messages (the queue's own scope), due and overdue.
        messages = interaction_selectors.staff_queue(
            organisation_ids_for_role(user, Role.FOI_HANDLER, Role.ADMIN)
        )
        counts = messages.order_by().aggregate(
            open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=timezone.localdate()))
        )
        todo["messages_open"], todo["messages_overdue"] = counts["open"], counts["overdue"]
    if user.is_superuser or Role.ADMIN in roles:
        todo["inspection"] = latest_inspection_run()
        todo["rectification_overdue"] = register_selectors.overdue_rectifications(
            organisation_ids_for_role(user, *ALL_ROLES)
        ).count()
        todo["project_counts"] = register_selectors.project_counts_by_phase()
        # Requests stuck at a level nobody may decide at (issue 19 item 7).
        todo["review_stuck"] = len(
            stuck_review_requests(organisation_ids_for_role(user, Role.ADMIN))
        )
    return todo


@staff_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    assignments = list(
        RoleAssignment.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation__code", "role")
    )
    # Counts cover the organisations where the user holds any role (a department sees only
    # its own items — issue 2 item 2); one grouped query, whatever the number of organisations.
    scope = organisation_ids_for_role(user, *ALL_ROLES)
    # Closed 修订稿 are history, not items in a state (ADR 0005).
    items = InformationItem.objects.exclude(
        revision_of__isnull=False, revision_closed_at__isnull=False
    )
    if scope is not None:
        items = items.filter(organisation_id__in=scope)
    rows = list(
        items.order_by()
        .values("status")
        .annotate(n=Count("id"), scheduled=Count("id", filter=Q(scheduled_at__isnull=False)))
    )
    by_status = {row["status"]: row["n"] for row in rows}
    status_counts = [
        {"status": status, "label": label, "count": by_status.get(status, 0)}
        for status, label in InformationItem.Status.choices
    ]
    return render(
        request,
        "staff/dashboard.html",
        {
            "assignments": assignments,
            "is_ogi_admin": any(a.role == Role.ADMIN for a in assignments),
            "all_organisations": scope is None,
            "organisation_count": None if scope is None else len(scope),
            "status_counts": status_counts,
            "draft_count": by_status.get(InformationItem.Status.DRAFT, 0)
            + by_status.get(InformationItem.Status.RETURNED, 0),
            "published_count": by_status.get(InformationItem.Status.PUBLISHED, 0),
            # 定时发布: approved items waiting for their publication time.
            "scheduled_count": sum(
                row["scheduled"] for row in rows if row["status"] == InformationItem.Status.APPROVED
            ),
            "todo": _todo(user, assignments),
            "due_soon_workdays": DUE_SOON_WORKDAYS,
            "participation_stats": participation_stats(organisations_for_role(user, *ALL_ROLES)),
        },
    )
