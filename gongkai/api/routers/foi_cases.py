"""``POST /api/v1/foi/cases/status`` — the public status page as JSON (no personal data).

The query code travels in the body, never in the URL (URLs end up in logs). Failed look-ups
count against the caller's address like on the portal page.
"""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from gongkai.core import ratelimit
from gongkai.foi import selectors, services
from gongkai.foi.models import Case

from ..errors import ErrorOut

PREFIX = "/foi/cases"
router = Router(tags=["依申请公开"])


class StatusIn(Schema):
    reference: str
    code: str


class StepOut(Schema):
    date: date
    event: str


class StatusOut(Schema):
    reference: str
    organisation: str
    status: str
    status_label: str
    received: date | None
    due: date | None
    outcome: str
    outcome_label: str
    closed: date | None
    reply_available: bool
    timeline: list[StepOut]


@router.post(
    "/status", response={200: StatusOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}, auth=None
)
def case_status(request: HttpRequest, payload: StatusIn):
    # The same shared counter as the portal page (settings.GONGKAI_RATE_LIMITS["foi_status"]).
    if ratelimit.is_blocked(request, "foi_status"):
        return Status(429, {"detail": _("查询失败次数过多，请一小时后再试")})
    case = (
        Case.objects.select_related("organisation")
        .filter(reference=payload.reference.strip())
        .first()
    )
    if case is None or not services.query_code_matches(case, payload.code):
        ratelimit.count(request, "foi_status")
        return Status(404, {"detail": _("申请编号或查询码不正确")})
    closed = not case.is_open
    return {
        "reference": case.reference,
        "organisation": case.organisation.name,
        "status": case.status,
        "status_label": case.get_status_display(),
        "received": case.received_date,
        "due": case.due_date if case.is_open else None,
        "outcome": case.outcome if closed else "",
        "outcome_label": case.get_outcome_display() if closed and case.outcome else "",
        "closed": case.closed_date,
        "reply_available": selectors.delivered_reply(case) is not None,
        "timeline": [
            {"date": e.date, "event": e.get_type_display()} for e in selectors.public_timeline(case)
        ],
    }
