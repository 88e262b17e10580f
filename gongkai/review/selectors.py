"""Reads of the review context: the compiled 错敏词 checker, cached per process."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .checks import TextChecker, WordEntry
from .item_checks import (
    Fetcher,
    ItemFinding,
    ItemMetadata,
    broken_link_findings,
    external_link_findings,
    extract_links,
    extract_urls_from_text,
    lateness_findings,
    metadata_findings,
    santongbu_findings,
)
from .models import ErrorReport, WordCategory, WordlistEntry

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "checker": None}


def wordlist_version() -> tuple[Any, ...]:
    """Changes whenever the dictionary does: one cheap aggregate query.

    Adding a word raises max(updated_at); deleting one lowers the count; editing one (admin or
    import) raises max(updated_at). So every worker process notices a change on its next check
    without any cross-process signalling.
    """
    agg = WordlistEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (connection.alias, connection.settings_dict.get("NAME"), agg["n"], agg["latest"])


def build_checker() -> TextChecker:
    labels = {value: str(label) for value, label in WordCategory.choices}
    entries = [
        WordEntry(word, labels.get(category, category), suggestion, blocking)
        for word, category, suggestion, blocking in WordlistEntry.objects.values_list(
            "word", "category", "suggestion", "is_blocking"
        ).iterator(chunk_size=5000)
    ]
    return TextChecker(entries)


def current_checker() -> TextChecker:
    """The checker over the current dictionary; rebuilt only when the dictionary changed."""
    key = wordlist_version()
    checker = _cache["checker"]
    if checker is not None and _cache["key"] == key:
        return checker
    with _lock:
        if _cache["checker"] is not None and _cache["key"] == key:
            return _cache["checker"]
        checker = build_checker()
        _cache["key"] = key
        _cache["checker"] = checker
        return checker


def santongbu_mode() -> str:
    """``GONGKAI_SANTONGBU_MODE``: block (default), warn or off."""
    return str(getattr(settings, "GONGKAI_SANTONGBU_MODE", "block"))


def link_allowlist() -> list[str]:
    """Extra hosts treated as government sites (``GONGKAI_LINK_ALLOWLIST``)."""
    return list(getattr(settings, "GONGKAI_LINK_ALLOWLIST", []))


def item_findings(
    item: Any,
    *,
    today: datetime.date | None = None,
    fetcher: Fetcher | None = None,
    checker: TextChecker | None = None,
) -> list[ItemFinding]:
    """Every automatic finding on an information item: 错敏词 and privacy in the title, summary,
    body and attachments' extracted text; metadata; 条例第二十六条 lateness; 三同步; links to
    non-government sites, and broken links when a ``fetcher`` is given (the staff pages pass
    none: link fetching belongs to the periodic self-inspection, not to every save).

    Blocking findings come first, then by source and position.
    """
    from gongkai.catalogue.richtext import html_to_text

    today = today or timezone.localdate()
    checker = checker or current_checker()
    body_text = item.body_text or html_to_text(item.body or "")
    attachments = list(item.attachments.all()) if item.pk else []
    # A 修订稿 is judged as the live item it corrects: its 发布日期 and its interpretations.
    live = item.revision_of if getattr(item, "revision_of_id", None) else item
    out = [
        *_text_findings(item, body_text, attachments, checker=checker, today=today),
        *_metadata_findings(item, body_text),
        *_lateness_findings(item, live, today=today),
        *_santongbu_findings(item, live),
        *_link_findings(item, attachments, fetcher=fetcher),
    ]
    return _sorted_findings(out)


def _attachment_label(att: Any) -> str:
    return str(_("附件《%(name)s》") % {"name": att.original_name})


def _text_findings(
    item: Any, body_text: str, attachments: list[Any], *, checker: TextChecker, today: Any
) -> list[ItemFinding]:
    """错敏词 and privacy in the title, summary, body and each attachment's extracted text."""
    texts: list[tuple[str, str, str]] = [
        ("title", str(_("信息名称")), item.title or ""),
        ("summary", str(_("内容概述")), item.summary or ""),
        ("body", str(_("正文")), body_text),
    ]
    for att in attachments:
        texts.append((f"attachment:{att.pk}", _attachment_label(att), att.extracted_text or ""))
    return [
        ItemFinding.from_text(finding, source, label)
        for source, label, text in texts
        for finding in checker.check(text, today=today)
    ]


def _metadata_findings(item: Any, body_text: str) -> list[ItemFinding]:
    topic = item.topic
    return metadata_findings(
        ItemMetadata(
            title=item.title or "",
            organisation=item.organisation.name if item.organisation_id else "",
            written_date=item.written_date,
            topic=str(topic) if topic else "",
            genre=item.genre or "",
            summary=item.summary or "",
            doc_number=item.doc_number or "",
            policy_kind=item.policy_kind or "",
            body_length=len(body_text),
        )
    )


def _lateness_findings(item: Any, live: Any, *, today: Any) -> list[ItemFinding]:
    """条例第二十六条: proactive information is published within 20 working days."""
    if item.disclosure != "proactive" or item.written_date is None:
        return []
    from gongkai.workdays.selectors import load_calendar

    return lateness_findings(
        calendar=load_calendar(),
        disclosure=item.disclosure,
        written_date=item.written_date,
        published_date=live.published_date,
        today=today,
    )


def _santongbu_findings(item: Any, live: Any) -> list[ItemFinding]:
    """三同步: a policy's interpretation is drafted, reviewed and published with it."""
    statuses = list(live.interpretations.values_list("status", flat=True)) if live.pk else []
    return santongbu_findings(
        policy_kind=item.policy_kind or "",
        interpretation_statuses=statuses,
        mode=santongbu_mode(),
    )


def _link_findings(
    item: Any, attachments: list[Any], *, fetcher: Fetcher | None
) -> list[ItemFinding]:
    """Links to non-government sites in the body and attachments; broken ones with a fetcher."""
    allow = link_allowlist()
    link_sources: list[tuple[str, str, list[str]]] = [
        ("body", str(_("正文")), extract_links(item.body or ""))
    ]
    for att in attachments:
        link_sources.append(
            (
                f"attachment:{att.pk}",
                _attachment_label(att),
                extract_urls_from_text(att.extracted_text or ""),
            )
        )
    out: list[ItemFinding] = []
    for source, label, links in link_sources:
        out.extend(
            external_link_findings(links, source=source, source_label=label, allowlist=allow)
        )
        if fetcher is not None:
            out.extend(
                broken_link_findings(links, fetcher=fetcher, source=source, source_label=label)
            )
    return out


def _sorted_findings(findings: list[ItemFinding]) -> list[ItemFinding]:
    """Blocking findings first, then title, summary, body, attachments, metadata; by position."""
    order = {"title": 0, "summary": 1, "body": 2, "metadata": 9}
    return sorted(
        findings,
        key=lambda f: (
            not f.blocking,
            order.get(f.source, 5),
            f.source,
            f.start if f.start is not None else -1,
        ),
    )


def has_blocking(findings: list[ItemFinding]) -> bool:
    return any(f.blocking for f in findings)


def error_report_counts() -> dict[str, int]:
    """我为政府网站找错 totals (new, answered, total) for the dashboard and self-inspection."""
    counts = dict(ErrorReport.objects.order_by().values_list("status").annotate(n=Count("id")))
    new = counts.get(ErrorReport.Status.NEW, 0)
    answered = counts.get(ErrorReport.Status.ANSWERED, 0)
    return {"new": new, "answered": answered, "total": new + answered}


# --------------------------------------------------------------------------------------------
# 条例第十八条: the periodic review queue of items marked 依申请公开 / 不予公开
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisclosureReviewRow:
    item: Any
    last_reviewed: datetime.date | None
    due: datetime.date
    state: str
    pending_proposal: bool


@dataclass(frozen=True)
class DisclosureReviewsDue:
    """For dashboards: items whose review is due within ``disclosure.DUE_SOON_DAYS`` days or
    already overdue (``total``), and how many of them are overdue."""

    total: int
    overdue: int


def disclosure_review_months() -> int:
    from .disclosure import DEFAULT_REVIEW_MONTHS

    return int(getattr(settings, "GONGKAI_DISCLOSURE_REVIEW_MONTHS", DEFAULT_REVIEW_MONTHS))


def disclosure_review_rows(
    user: Any, *, today: datetime.date | None = None, include_current: bool = False
) -> list[DisclosureReviewRow]:
    """Items marked 依申请公开/不予公开 of the organisations where ``user`` edits, with their
    due date; by default only those due within ``DUE_SOON_DAYS`` or overdue, soonest first.
    Withdrawn items are no longer held out to the public in any form and are left out.

    An item never reviewed counts from when its 公开属性 was last set: its creation, or the
    latest edit whose audit row lists ``disclosure`` among the changed fields."""
    from django.db.models import CharField, Exists, OuterRef, Subquery
    from django.db.models.functions import Cast

    from gongkai.accounts.models import Role
    from gongkai.accounts.selectors import organisation_ids_for_role
    from gongkai.catalogue.models import InformationItem
    from gongkai.core.models import AuditEntry
    from gongkai.foi.models import ProactiveProposal

    from .disclosure import STATE_CURRENT, review_due_date, review_state

    today = today or timezone.localdate()
    months = disclosure_review_months()
    scope = organisation_ids_for_role(user, Role.EDITOR)
    disclosure_set = (
        AuditEntry.objects.filter(
            target_type=InformationItem._meta.label_lower,
            target_id=Cast(OuterRef("pk"), CharField()),
            action=AuditEntry.Action.EDIT,
            # The JSON text of the list: the quotes keep "disclosure_reason" from matching.
            detail__changed__icontains='"disclosure"',
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    qs = (
        InformationItem.objects.exclude(disclosure=InformationItem.Disclosure.PROACTIVE)
        .exclude(status=InformationItem.Status.WITHDRAWN)
        .select_related("organisation")
        .annotate(
            last_reviewed=Max("disclosure_reviews__reviewed_on"),
            disclosure_set_at=Subquery(disclosure_set),
            pending=Exists(
                ProactiveProposal.objects.filter(
                    item=OuterRef("pk"), state=ProactiveProposal.State.PENDING
                )
            ),
        )
    )
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    rows = []
    for item in qs.order_by("id"):
        marked_on = timezone.localtime(item.created_at).date()
        if item.disclosure_set_at is not None:
            marked_on = max(marked_on, timezone.localtime(item.disclosure_set_at).date())
        due = review_due_date(marked_on=marked_on, last_reviewed=item.last_reviewed, months=months)
        state = review_state(due, today)
        if state == STATE_CURRENT and not include_current:
            continue
        rows.append(DisclosureReviewRow(item, item.last_reviewed, due, state, item.pending))
    rows.sort(key=lambda r: (r.due, r.item.pk))
    return rows


def disclosure_reviews_due(
    user: Any, *, today: datetime.date | None = None
) -> DisclosureReviewsDue:
    """The count a dashboard shows for the 第十八条 review queue of ``user``."""
    from .disclosure import STATE_OVERDUE

    rows = disclosure_review_rows(user, today=today)
    return DisclosureReviewsDue(len(rows), sum(1 for r in rows if r.state == STATE_OVERDUE))


def article20_mapping() -> dict[int, list[Any]]:
    """条例第二十条 item number → its active columns (every item listed, mapped or not)."""
    from .disclosure import ARTICLE_20_CATEGORIES
    from .models import Article20Category

    mapping: dict[int, list[Any]] = {n: [] for n, _item, _text in ARTICLE_20_CATEGORIES}
    for category in Article20Category.objects.prefetch_related("columns"):
        mapping[category.number] = sorted(
            (c for c in category.columns.all() if c.is_active), key=lambda c: (c.sort_order, c.pk)
        )
    return mapping


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


def latest_inspection_run() -> Any:
    """The newest 网站自查 report, or None before the first run."""
    from .chain_models import InspectionRun

    return InspectionRun.objects.order_by("-created_at", "-id").first()


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
        from . import workflow
        from .checks import PRIVACY_KINDS

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
        from . import workflow

        review = self.review
        return (
            review is not None
            and review.state == workflow.IN_REVIEW
            and not self.actor.is_author
            and review.level in self.actor.review_levels
        )

    @cached_property
    def is_final(self) -> bool:
        """The decision at hand is the last level's (its approval publishes or ends the chain)."""
        return self.can_decide and self.review.level >= self.review.levels

    @cached_property
    def can_withdraw(self) -> bool:
        from . import workflow

        return self.can_edit and self.state == workflow.PUBLISHED


def review_abilities(
    user: Any, obj: Any, *, review: Any = _UNSET, findings: list[ItemFinding] | None = None
) -> ReviewAbilities:
    """The review abilities of ``user`` on ``obj`` (see ``ReviewAbilities``)."""
    return ReviewAbilities(user, obj, review=review, findings=findings)
