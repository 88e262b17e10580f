"""Reads of 政民互动: the statistics (one computation for command, API and page), the public
lists and the facts the self-inspection (互动回应差) needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from gongkai.accounts.models import Organisation
from gongkai.core.status import ContentStatus

from . import deadlines
from .models import (
    OPEN_STATUSES,
    UNCOUNTED_STATUSES,
    Category,
    Channel,
    DeadlineRule,
    Message,
    MessageEvent,
    Publication,
)

# 统计范围: the contract (`interaction_stats --org CODE`) counts the messages addressed to that
# organisation — its own (本机关). A government's roll-up over every organisation under it
# (含下级) is asked for explicitly with SCOPE_ALL (`--scope all`, the API's `scope=all`).
SCOPE_OWN = "own"
SCOPE_ALL = "all"
SCOPES = (SCOPE_OWN, SCOPE_ALL)
FIGURES = ("received", "replied", "replied_on_time", "open", "open_overdue")


def default_scope(organisation: Organisation) -> str:
    return SCOPE_OWN


def scope_organisation_ids(organisation: Organisation, scope: str | None = None) -> set[int]:
    """The organisations whose messages count for ``organisation`` (see ``default_scope``)."""
    scope = scope or default_scope(organisation)
    if scope == SCOPE_OWN:
        return {organisation.pk}
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(org_id)
    members: set[int] = set()
    stack = [organisation.pk]
    while stack:
        current = stack.pop()
        if current not in members:
            members.add(current)
            stack.extend(children.get(current, []))
    return members


def limits_for(organisation_id: int, channel: str) -> deadlines.Limits:
    """The organisation's own rule for ``channel`` if it set one, else the default."""
    rule = DeadlineRule.objects.filter(organisation_id=organisation_id, channel=channel).first()
    if rule is None:
        return deadlines.default_limits(channel)
    return deadlines.Limits(
        rule.reply_workdays, rule.resolution_workdays, rule.first_contact_hours, "rule"
    )


@dataclass(frozen=True)
class ChannelLimits:
    """One row of an organisation's 留言答复时限 page: the channel, its own rule if it set one,
    the limits that apply now and the default they replace."""

    channel: str
    label: str
    rule: DeadlineRule | None
    limits: deadlines.Limits
    default: deadlines.Limits


def deadline_table(organisation: Organisation) -> list[ChannelLimits]:
    """Every channel with the limits that apply to ``organisation``'s new messages."""
    rules = {r.channel: r for r in DeadlineRule.objects.filter(organisation=organisation)}
    rows = []
    for channel, label in Channel.choices:
        rule = rules.get(channel)
        default = deadlines.default_limits(channel)
        limits = (
            deadlines.Limits(
                rule.reply_workdays, rule.resolution_workdays, rule.first_contact_hours, "rule"
            )
            if rule is not None
            else default
        )
        rows.append(ChannelLimits(channel, str(label), rule, limits, default))
    return rows


def _figure_filters(date_to: date) -> dict[str, Q]:
    """The five figures of the contract as conditions on a message (issue #12, Contracts)."""
    replied = Q(replied_date__isnull=False, replied_date__lte=date_to)
    open_ = Q(replied_date__isnull=True) | Q(replied_date__gt=date_to)
    return {
        "replied": replied,
        "replied_on_time": replied & Q(due_date__isnull=False, replied_date__lte=F("due_date")),
        "open": open_,
        "open_overdue": open_ & Q(due_date__isnull=False, due_date__lt=date_to),
    }


def window_messages(
    organisation: Organisation, date_from: date, date_to: date, scope: str | None = None
) -> QuerySet[Message]:
    """Messages counted for ``organisation`` received in [date_from, date_to]."""
    return Message.objects.filter(
        organisation_id__in=scope_organisation_ids(organisation, scope),
        received_date__gte=date_from,
        received_date__lte=date_to,
    ).exclude(status__in=UNCOUNTED_STATUSES)


def _empty() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


def interaction_stats(
    organisation: Organisation, date_from: date, date_to: date, scope: str | None = None
) -> dict[str, Any]:
    """The 留言办理情况统计 of the contract ``gongkai interaction_stats``:

    ``received`` messages received in the window; ``replied`` with a reply dated on or before
    ``date_to``; ``replied_on_time`` replied on or before the due date; ``open`` not replied by
    ``date_to``; ``open_overdue`` open and due before ``date_to``; the same five by channel and
    by category (every code present, zeros included); ``unanswered_over_3_months`` the
    references of the window's 咨询 messages whose reply (or ``date_to`` if none by then) came
    later than receipt + 3 calendar months (``deadlines.three_months_after``).
    """
    return _stats(window_messages(organisation, date_from, date_to, scope), date_to)


def stats_for_ids(org_ids: set[int] | None, date_from: date, date_to: date) -> dict[str, Any]:
    """The same figures for a set of organisations (None: all), for the 统计分析 dashboard."""
    qs = Message.objects.filter(received_date__gte=date_from, received_date__lte=date_to).exclude(
        status__in=UNCOUNTED_STATUSES
    )
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    return _stats(qs, date_to)


def _stats(qs: QuerySet[Message], date_to: date) -> dict[str, Any]:
    conditions = _figure_filters(date_to)
    rows = qs.values("channel", "category").annotate(
        # Count a column of the statistics index (channel: never empty), not the id: every
        # column the figures read is in that index, the id is not, and counting ids sends the
        # database to the table row by row (Django allows no COUNT(*) with a filter).
        received=Count("channel"),
        **{k: Count("channel", filter=q) for k, q in conditions.items()},
    )
    totals = _empty()
    by_channel = {c: _empty() for c in Channel.values}
    by_category = {c: _empty() for c in Category.values}
    for row in rows:
        row_: dict[str, Any] = dict(row)
        for key in FIGURES:
            totals[key] += row_[key]
            by_channel.setdefault(row_["channel"], _empty())[key] += row_[key]
            by_category.setdefault(row_["category"], _empty())[key] += row_[key]
    late = qs.filter(category=Category.CONSULT).filter(
        Q(
            replied_date__isnull=False,
            replied_date__lte=date_to,
            replied_date__gt=F("three_months_date"),
        )
        | (
            (Q(replied_date__isnull=True) | Q(replied_date__gt=date_to))
            & Q(three_months_date__lt=date_to)
        )
    )
    return {
        **totals,
        "by_channel": by_channel,
        "by_category": by_category,
        # order_by(): the model's default order (received_at) would make the database sort by a
        # column outside the statistics index; the references are sorted here.
        "unanswered_over_3_months": sorted(late.order_by().values_list("reference", flat=True)),
    }


@dataclass(frozen=True)
class InspectionMessage:
    """The shape of ``oversight.inspection.MessageFacts`` (oversight sits above this app)."""

    id: int
    title: str
    received: date
    answered: bool
    url: str = ""


@dataclass(frozen=True)
class MonthRow:
    organisation: Organisation
    figures: dict[str, Any]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = deadlines.add_months(start, 1) - timedelta(days=1)
    return start, end


def monthly_table(year: int, month: int, date_to: date | None = None) -> list[MonthRow]:
    """The monthly 留言办理情况统计 by organisation (each organisation's own messages), with the
    average working days from receipt to reply; counted up to ``date_to`` (the month's end)."""
    start, end = month_bounds(year, month)
    end = date_to or end
    org_ids = set(
        Message.objects.filter(received_date__gte=start, received_date__lte=end)
        .exclude(status__in=UNCOUNTED_STATUSES)
        .values_list("organisation_id", flat=True)
    )
    out = []
    for org in Organisation.objects.filter(pk__in=org_ids).order_by("code"):
        figures = interaction_stats(org, start, end, SCOPE_OWN)
        figures["average_workdays"] = average_reply_workdays(org, start, end)
        out.append(MonthRow(org, figures))
    return out


def average_reply_workdays(organisation: Organisation, date_from: date, date_to: date) -> float:
    from gongkai.workdays.selectors import load_calendar

    calendar = load_calendar()
    pairs = (
        window_messages(organisation, date_from, date_to, SCOPE_OWN)
        .filter(replied_date__isnull=False, replied_date__lte=date_to)
        .values_list("received_date", "replied_date")[:5000]
    )
    days = []
    for received, replied in pairs:
        if replied is None:
            continue
        try:
            days.append(calendar.workdays_between(received, replied))
        except LookupError:
            continue
    return round(sum(days) / len(days), 1) if days else 0.0


def public_messages(
    *, organisation: Organisation | None = None, category: str = "", q: str = ""
) -> QuerySet[Message]:
    qs = Message.objects.filter(publication=Publication.PUBLIC).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(content__icontains=q) | Q(reply__icontains=q))
    return qs.order_by("-replied_at", "-id")


def public_events(message: Message) -> QuerySet[MessageEvent]:
    return message.events.filter(type__in=MessageEvent.PUBLIC_TYPES).order_by("created_at", "id")


def staff_queue(organisation_ids: set[int] | None = None) -> QuerySet[Message]:
    qs = Message.objects.filter(status__in=OPEN_STATUSES).select_related("organisation")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.order_by("due_date", "received_at", "id")


def inspection_messages() -> list[InspectionMessage]:
    """The facts the self-inspection's 互动回应差 rule needs: 咨询 messages received within the
    last year (``oversight.inspection.unanswered_findings`` applies the three-month rule)."""
    from django.urls import reverse
    from django.utils import timezone

    since = timezone.localdate() - timedelta(days=366)
    qs = (
        Message.objects.filter(category=Category.CONSULT, received_date__gte=since)
        .exclude(status__in=UNCOUNTED_STATUSES)
        .values_list("id", "title", "received_date", "replied_date")
    )
    # A reply later than three months does not cure the failure: such a message counts as
    # "unanswered within three months" (answered=False), like one with no reply at all.
    return [
        InspectionMessage(
            pk,
            title,
            received,
            replied is not None and replied <= deadlines.three_months_after(received),
            reverse("staff:interaction_message", args=[pk]),
        )
        for pk, title, received, replied in qs
    ]


def integration_for_token(token: str) -> Any:
    """The active integration a bearer token belongs to, or None (constant-time compare)."""
    import hashlib

    from django.utils.crypto import constant_time_compare

    from .models import Integration

    token = (token or "").strip()
    parts = token.split("_")
    if len(parts) != 3 or parts[0] != "gk":
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    for integration in Integration.objects.filter(token_prefix=parts[1], is_active=True):
        if constant_time_compare(integration.token_hash, digest):
            return integration
    return None


def inspection_reply_activity() -> tuple[int, date | None, str]:
    """(messages received within the last year, the latest reply date, the queue's URL) for the
    self-inspection's "no 留言答复 in the last two months" check."""
    from django.db.models import Max
    from django.urls import reverse
    from django.utils import timezone

    since = timezone.localdate() - timedelta(days=366)
    counted = Message.objects.exclude(status__in=UNCOUNTED_STATUSES)
    received = counted.filter(received_date__gte=since).count()
    last = counted.aggregate(last=Max("replied_date"))["last"]
    return received, last, reverse("staff:interaction_queue")


def messages_for_user(user: Any) -> QuerySet[Message]:
    """个人中心 我的留言: messages filed from this public account, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    return (
        Message.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-received_at", "-id")
    )


def public_press_conferences(
    *, organisation: Organisation | None = None, year: int | None = None, q: str = ""
) -> QuerySet[Any]:
    """Published 新闻发布会 records, the latest first (index ``interaction_press_public_idx``)."""
    from .models import PressConference

    qs = PressConference.objects.filter(status=ContentStatus.PUBLISHED).select_related(
        "organisation"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if year:
        qs = qs.filter(held_on__year=year)
    if q:
        qs = qs.filter(Q(topic__icontains=q) | Q(speakers__icontains=q))
    return qs.order_by("-held_on", "-id")


def public_concern_responses(
    *, organisation: Organisation | None = None, q: str = ""
) -> QuerySet[Any]:
    """Published 回应关切 responses, the latest first."""
    from .models import ConcernResponse

    qs = ConcernResponse.objects.filter(status=ContentStatus.PUBLISHED).select_related(
        "organisation"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(concern__icontains=q))
    return qs.order_by("-published_date", "-id")


def public_links(obj: Any) -> dict[str, list[Any]]:
    """The policies and interpretations a published page may link to: only those still public
    (a linked document withdrawn later drops off the page)."""
    from gongkai.catalogue.selectors import public_items
    from gongkai.policies.selectors import public_interpretations

    return {
        "policies": list(
            public_items().filter(pk__in=obj.policies.values("pk")).order_by("-published_date")
        ),
        "interpretations": list(
            public_interpretations()
            .filter(pk__in=obj.interpretations.values("pk"))
            .order_by("-published_date")
        ),
    }
