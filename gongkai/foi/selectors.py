"""Reads of 依申请公开 that encode a rule: who sees which case, what is due, what is public."""

from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.accounts.selectors import is_staff_user, organisation_ids_for_role

from .models import (
    OPEN_STATUSES,
    AdminReview,
    Case,
    CaseDocument,
    CaseEvent,
    CorrectionRequest,
    FeeNotice,
    ProactiveProposal,
    Status,
)


def cases_for_staff(user: User) -> QuerySet[Case]:
    """Cases of the organisations where ``user`` is 依申请公开经办人 or 管理员 (else none)."""
    if not is_staff_user(user):
        return Case.objects.none()
    scope = organisation_ids_for_role(user, Role.FOI_HANDLER, Role.ADMIN)
    qs = Case.objects.select_related("organisation", "handler", "handling_unit")
    return qs if scope is None else qs.filter(organisation_id__in=scope)


def case_for_staff(user: User, pk: int) -> Case | None:
    return cases_for_staff(user).filter(pk=pk).first()


def cases_for_applicant(user: User) -> QuerySet[Case]:
    """The personal center list: cases filed from this public account, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.filter(applicant_user=user)
        .select_related("organisation")
        .order_by("-submitted_at", "-id")
    )


def open_cases(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(status__in=OPEN_STATUSES)


def workdays_left(case: Case, today: date | None = None, calendar: Any = None) -> int | None:
    """Working days from today to the stored due date (0 on the due day, negative overdue).
    A list passes one ``calendar`` for all its rows."""
    from gongkai.workdays.calendar import CalendarMissing
    from gongkai.workdays.selectors import load_calendar

    if case.due_date is None:
        return None
    today = today or timezone.localdate()
    try:
        return (calendar or load_calendar()).workdays_between(today, case.due_date)
    except CalendarMissing:
        return None


def due_within(qs: QuerySet[Case], days: int, today: date | None = None) -> list[tuple[Case, int]]:
    """Open cases whose due date is at most ``days`` working days away (overdue excluded).

    ``days`` working days span at most about three calendar weeks plus the longest holiday,
    so a 60-day window bounds the query before the exact working-day check."""
    from datetime import timedelta

    from gongkai.workdays.calendar import CalendarMissing
    from gongkai.workdays.selectors import load_calendar

    today = today or timezone.localdate()
    calendar = load_calendar()
    out = []
    window = today + timedelta(days=days * 2 + 30)
    candidates = open_cases(qs).filter(due_date__gte=today, due_date__lte=window)
    for case in candidates.order_by("due_date", "id"):
        assert case.due_date is not None
        try:
            left = calendar.workdays_between(today, case.due_date)
        except CalendarMissing:
            continue
        if 0 <= left <= days:
            out.append((case, left))
    return out


def overdue(qs: QuerySet[Case], today: date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return open_cases(qs).filter(due_date__lt=today).order_by("due_date", "id")


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    """Steps the applicant may see: no staff names, no notes (they can hold personal data)."""
    return case.events.filter(type__in=CaseEvent.PUBLIC_TYPES).order_by("date", "id")


def reply_deferral(case: Case) -> CaseEvent | None:
    """The latest 第三十五条 later deadline told to the applicant, if any (its ``data["due"]``
    is the case's due date; its ``data["reason"]`` was stated in the notice)."""
    return case.events.filter(type=CaseEvent.Type.REPLY_DEFERRED).order_by("-date", "-id").first()


def open_fee_notice(case: Case) -> FeeNotice | None:
    """The unpaid fee notice of a case awaiting payment, if any."""
    if case.status != Status.AWAITING_FEE:
        return None
    return case.fee_notices.filter(state=FeeNotice.State.ISSUED).order_by("-id").first()


def delivered_reply(case: Case) -> CaseDocument | None:
    """The reply letter, once it has been reviewed and delivered."""
    if case.status not in (Status.REPLIED, Status.ARCHIVED):
        return None
    return (
        case.documents.filter(
            kind=CaseDocument.Kind.REPLY,
            superseded=False,
            reviewed=True,
            delivered_at__isnull=False,
        )
        .order_by("-id")
        .first()
    )


def proactive_queue(user: User) -> QuerySet[ProactiveProposal]:
    scope = organisation_ids_for_role(user, Role.FOI_HANDLER, Role.ADMIN)
    qs = ProactiveProposal.objects.select_related(
        "case", "case__organisation", "item", "item__organisation", "proposed_by"
    )
    if scope is not None:
        # Item proposals (条例第十八条 review) are the item's organisation's to decide.
        qs = qs.filter(Q(case__organisation_id__in=scope) | Q(item__organisation_id__in=scope))
    return qs.order_by("state", "-created_at")


def reply_letter_due_dates(document_ids: list[int]) -> dict[int, date | None]:
    """Reply letter id → its case's statutory due date (the review queue shows it: the clock
    keeps running while a letter is in review). One query."""
    return dict(
        CaseDocument.objects.filter(pk__in=document_ids, kind=CaseDocument.Kind.REPLY).values_list(
            "pk", "case__due_date"
        )
    )


def superseded_letter_ids(document_ids: list[int]) -> set[int]:
    """The reply letters among ``document_ids`` that a redraft has replaced."""
    return set(
        CaseDocument.objects.filter(
            pk__in=document_ids, kind=CaseDocument.Kind.REPLY, superseded=True
        ).values_list("pk", flat=True)
    )


def with_letter_review(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``letter_review``: the review status of each case's current reply letter
    ("" when none), so lists can show where a letter stands without a query per row."""
    current = CaseDocument.objects.filter(
        case=OuterRef("pk"), kind=CaseDocument.Kind.REPLY, superseded=False
    ).order_by("-id")
    return cases.annotate(letter_review=Subquery(current.values("review_status")[:1]))


def corrections_for_staff(user: User) -> QuerySet[CorrectionRequest]:
    """更正申请 (第四十一条) of the organisations where ``user`` handles 依申请公开."""
    if not is_staff_user(user):
        return CorrectionRequest.objects.none()
    scope = organisation_ids_for_role(user, Role.FOI_HANDLER, Role.ADMIN)
    qs = CorrectionRequest.objects.select_related("organisation", "forwarded_to")
    return qs if scope is None else qs.filter(organisation_id__in=scope)


# --- what the reports read (annual report tables, dashboard): querysets, not models -----------


def cases_of(org_ids: set[int] | None = None) -> QuerySet[Case]:
    """Every case, or those made to the given organisations."""
    qs = Case.objects.all()
    return qs if org_ids is None else qs.filter(organisation_id__in=org_ids)


def admin_reviews_of(org_ids: set[int]) -> QuerySet[AdminReview]:
    """行政复议 and 行政诉讼 about the cases of the given organisations."""
    return AdminReview.objects.filter(case__organisation_id__in=org_ids)


def fee_notices_of(org_ids: set[int]) -> QuerySet[FeeNotice]:
    """信息处理费 notices of the cases of the given organisations."""
    return FeeNotice.objects.filter(case__organisation_id__in=org_ids)


def correction_requests_of(org_ids: set[int] | None = None) -> QuerySet[CorrectionRequest]:
    """更正申请 (条例第四十一条), or those made to the given organisations."""
    qs = CorrectionRequest.objects.all()
    return qs if org_ids is None else qs.filter(organisation_id__in=org_ids)
