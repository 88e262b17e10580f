"""网站自查: the site checks itself against the national website check rules.

The rules (国办秘函〔2019〕19号 《政府网站与政务新媒体检查指标》, rules note §5.2/§5.3):

* 栏目不更新 — 动态、要闻类 columns not updated in the **2 weeks** before the check, 通知公告、
  政策文件类 columns not updated in **6 months** (single-veto once ≥5 such columns); each column
  may set its own period (``Column.update_period_days``);
* 空白栏目 — columns with nothing in them (single-veto at ≥5);
* broken links (a 扣分 item) and links to harmful content (single veto);
* 互动回应差 — a valid message left unanswered for more than **3 months**;
* metadata of the 政府信息公开目录 (条例第十二条);
* 政策解读 coverage: a 规章 or 行政规范性文件 without a published interpretation (rules note §6.1);
* 条例第二十条: per organisation, each kind of information it must disclose proactively needs a
  column that carries it (the mapping of ``review.Article20Category``) with a published item,
  updated within the column's period (rules in ``review.disclosure``).

The first half of this module is pure: plain facts and a ``today`` in, findings out (tested
with a frozen date). The second half gathers the facts from the database and stores a run.
"""

from __future__ import annotations

import calendar
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gongkai.checks.item_checks import (
    Fetcher,
    FetchResult,
    ItemMetadata,
    broken_link_findings,
    metadata_findings,
)

from .disclosure import (
    RULE_NO_COLUMN,
    RULE_NOT_PUBLISHED,
    CategoryColumnFacts,
    OrganisationCategoryFacts,
    category_findings,
)

RULE_STALE_COLUMN = "stale_column"
RULE_EMPTY_COLUMN = "empty_column"
RULE_BROKEN_LINK = "broken_link"
RULE_UNANSWERED = "unanswered_message"
RULE_METADATA = "missing_metadata"
RULE_NO_INTERPRETATION = "policy_without_interpretation"
RULE_ARTICLE20_NO_COLUMN = RULE_NO_COLUMN
RULE_ARTICLE20_NOT_PUBLISHED = RULE_NOT_PUBLISHED
RULE_NO_TRAINING = "no_training"
RULES = (
    RULE_STALE_COLUMN,
    RULE_EMPTY_COLUMN,
    RULE_BROKEN_LINK,
    RULE_UNANSWERED,
    RULE_METADATA,
    RULE_NO_INTERPRETATION,
    RULE_ARTICLE20_NO_COLUMN,
    RULE_ARTICLE20_NOT_PUBLISHED,
    RULE_NO_TRAINING,
)


def rule_labels() -> dict[str, str]:
    return {
        RULE_STALE_COLUMN: _("栏目未按期更新"),
        RULE_EMPTY_COLUMN: _("空白栏目"),
        RULE_BROKEN_LINK: _("错误链接"),
        RULE_UNANSWERED: _("留言超期未答复"),
        RULE_METADATA: _("元数据缺失"),
        RULE_NO_INTERPRETATION: _("政策文件未发布解读"),
        RULE_ARTICLE20_NO_COLUMN: _("第二十条事项无对应栏目"),
        RULE_ARTICLE20_NOT_PUBLISHED: _("第二十条事项未发布或未更新"),
        RULE_NO_TRAINING: _("本年度未开展政务公开业务培训"),
    }


# 国办秘函〔2019〕19号: 动态、要闻 2 weeks; 通知公告、政策文件 6 months. Other columns (目录
# nodes, 专题专栏) have no national period unless the column sets one.
DEFAULT_PERIOD_DAYS = {"news": 14, "notice": 180, "policy": 180}
UNANSWERED_MONTHS = 3


@dataclass(frozen=True)
class InspectionFinding:
    rule: str
    message: str
    target_type: str = ""
    target_id: int | None = None
    target_label: str = ""
    url: str = ""  # where to fix it (a staff page)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ColumnFacts:
    id: int
    name: str
    kind: str
    update_period_days: int | None
    item_count: int
    last_published: datetime.date | None
    url: str = ""


@dataclass(frozen=True)
class ItemFacts:
    id: int
    title: str
    index_number: str
    metadata: ItemMetadata
    url: str = ""


@dataclass(frozen=True)
class PolicyFacts:
    id: int
    title: str
    policy_kind: str
    has_published_interpretation: bool
    url: str = ""


@dataclass(frozen=True)
class LinkSource:
    target_type: str
    target_id: int
    label: str
    links: Sequence[str]
    url: str = ""


@dataclass(frozen=True)
class MessageFacts:
    id: int
    title: str
    received: datetime.date
    answered: bool
    url: str = ""


def column_period(kind: str, configured: int | None) -> int | None:
    return configured if configured else DEFAULT_PERIOD_DAYS.get(kind)


def stale_column_findings(
    columns: Iterable[ColumnFacts], today: datetime.date
) -> list[InspectionFinding]:
    """A column with content whose newest item is older than its period. (Empty columns are
    reported by their own rule.)"""
    out = []
    for c in columns:
        period = column_period(c.kind, c.update_period_days)
        if period is None or c.item_count == 0 or c.last_published is None:
            continue
        age = (today - c.last_published).days
        if age > period:
            out.append(
                InspectionFinding(
                    RULE_STALE_COLUMN,
                    _(
                        "栏目“%(name)s”最近一次更新为 %(last)s，"
                        "已 %(age)d 天未更新（更新周期 %(period)d 天）"
                    )
                    % {"name": c.name, "last": c.last_published, "age": age, "period": period},
                    "catalogue.column",
                    c.id,
                    c.name,
                    c.url,
                )
            )
    return out


def empty_column_findings(columns: Iterable[ColumnFacts]) -> list[InspectionFinding]:
    return [
        InspectionFinding(
            RULE_EMPTY_COLUMN,
            _("栏目“%(name)s”没有任何已发布信息（空白栏目）") % {"name": c.name},
            "catalogue.column",
            c.id,
            c.name,
            c.url,
        )
        for c in columns
        if c.item_count == 0
    ]


def metadata_gap_findings(items: Iterable[ItemFacts]) -> list[InspectionFinding]:
    """Published items missing metadata of the 目录 (the blocking fields of
    ``item_checks.metadata_findings``: 名称, 发布机构, 成文日期, 内容概述, and the 文号 of a
    规章/规范性文件)."""
    out = []
    for item in items:
        missing = [f for f in metadata_findings(item.metadata) if f.blocking]
        if not missing:
            continue
        out.append(
            InspectionFinding(
                RULE_METADATA,
                _("“%(title)s”（索引号 %(index)s）%(what)s")
                % {
                    "title": item.title,
                    "index": item.index_number,
                    "what": "、".join(f.message for f in missing),
                },
                "catalogue.informationitem",
                item.id,
                item.title,
                item.url,
            )
        )
    return out


def interpretation_findings(policies: Iterable[PolicyFacts]) -> list[InspectionFinding]:
    labels = {"rule": _("规章"), "normative": _("行政规范性文件")}
    return [
        InspectionFinding(
            RULE_NO_INTERPRETATION,
            _("%(kind)s“%(title)s”没有已发布的政策解读")
            % {"kind": labels[p.policy_kind], "title": p.title},
            "catalogue.informationitem",
            p.id,
            p.title,
            p.url,
        )
        for p in policies
        if p.policy_kind in labels and not p.has_published_interpretation
    ]


def link_findings(sources: Iterable[LinkSource], fetcher: Fetcher) -> list[InspectionFinding]:
    """Broken links, each URL fetched once per run however many pages carry it."""
    cache: dict[str, FetchResult] = {}

    def cached(url: str) -> FetchResult:
        if url not in cache:
            cache[url] = fetcher(url)
        return cache[url]

    out = []
    for source in sources:
        for f in broken_link_findings(
            source.links, fetcher=cached, source="body", source_label=source.label
        ):
            out.append(
                InspectionFinding(
                    RULE_BROKEN_LINK,
                    f.message,
                    source.target_type,
                    source.target_id,
                    source.label,
                    source.url,
                )
            )
    return out


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def unanswered_findings(
    messages: Iterable[MessageFacts] | None, today: datetime.date
) -> tuple[bool, list[InspectionFinding]]:
    """``(applicable, findings)``: a message unanswered more than 3 months (互动回应差). Not
    applicable while the platform has no message box (``messages`` is ``None``)."""
    if messages is None:
        return False, []
    out = []
    for m in messages:
        if m.answered:
            continue
        due = add_months(m.received, UNANSWERED_MONTHS)
        if today > due:
            out.append(
                InspectionFinding(
                    RULE_UNANSWERED,
                    _("留言“%(title)s”于 %(received)s 收到，超过 3 个月（%(due)s）仍未答复")
                    % {"title": m.title, "received": m.received, "due": due},
                    "interaction.message",
                    m.id,
                    m.title,
                    m.url,
                )
            )
    return True, out


RECENT_REPLY_MONTHS = 2


@dataclass(frozen=True)
class ReplyActivity:
    """Messages received within the last year and the latest reply date of any message."""

    received_last_year: int
    last_reply: datetime.date | None
    url: str = ""


def no_recent_reply_findings(
    activity: ReplyActivity | None, today: datetime.date
) -> list[InspectionFinding]:
    """互动回应差, second half: messages came in during the last year but none was answered in
    the last two months (国办秘函〔2019〕19号 检查指标)."""
    if activity is None or not activity.received_last_year:
        return []
    since = add_months(today, -RECENT_REPLY_MONTHS)
    if activity.last_reply is not None and activity.last_reply > since:
        return []
    last = activity.last_reply.isoformat() if activity.last_reply else _("无")
    return [
        InspectionFinding(
            RULE_UNANSWERED,
            _("近两个月（%(since)s 以来）没有留言答复；最近一次答复：%(last)s")
            % {"since": since, "last": last},
            "interaction.message",
            None,
            _("留言答复"),
            activity.url,
        )
    ]


@dataclass
class InspectionData:
    columns: list[ColumnFacts] = field(default_factory=list)
    items: list[ItemFacts] = field(default_factory=list)
    policies: list[PolicyFacts] = field(default_factory=list)
    link_sources: list[LinkSource] = field(default_factory=list)
    messages: list[MessageFacts] | None = None
    article20: list[OrganisationCategoryFacts] = field(default_factory=list)
    article20_urls: dict[str, str] = field(default_factory=dict)  # rule → where to fix it
    reply_activity: ReplyActivity | None = None
    # (organisation id, name, training sessions this year); empty: the ledger is not kept.
    training: list[tuple[int, str, int]] = field(default_factory=list)


@dataclass
class InspectionResult:
    findings: list[InspectionFinding]
    not_applicable: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RULES, 0)
        for f in self.findings:
            counts[f.rule] += 1
        return counts


def inspect(
    data: InspectionData, *, today: datetime.date, fetcher: Fetcher | None = None
) -> InspectionResult:
    findings: list[InspectionFinding] = []
    not_applicable: list[str] = []
    findings += stale_column_findings(data.columns, today)
    findings += empty_column_findings(data.columns)
    if fetcher is not None:
        findings += link_findings(data.link_sources, fetcher)
    else:
        not_applicable.append(RULE_BROKEN_LINK)
    applicable, unanswered = unanswered_findings(data.messages, today)
    if not applicable:
        not_applicable.append(RULE_UNANSWERED)
    findings += unanswered
    if applicable:
        findings += no_recent_reply_findings(data.reply_activity, today)
    findings += metadata_gap_findings(data.items)
    findings += interpretation_findings(data.policies)
    findings += article20_findings(data.article20, today, data.article20_urls)
    findings += training_findings(data.training, today)
    return InspectionResult(findings, not_applicable)


def training_findings(
    training: Iterable[tuple[int, str, int]], today: datetime.date
) -> list[InspectionFinding]:
    """每年组织政务公开业务培训不少于1次 (the yearly 工作要点 of most provinces): every
    organisation with no training recorded in ``today``'s year."""
    return [
        InspectionFinding(
            RULE_NO_TRAINING,
            _("“%(org)s”%(year)d年尚未开展政务公开业务培训（每年不少于1次）")
            % {"org": name, "year": today.year},
            "organisation",
            org_id,
            name,
            "/staff/registers/ledger/",
        )
        for org_id, name, count in training
        if count < 1
    ]


def article20_findings(
    facts: Iterable[OrganisationCategoryFacts], today: datetime.date, urls: dict[str, str]
) -> list[InspectionFinding]:
    return [
        InspectionFinding(
            f.rule,
            f.message,
            "accounts.organisation",
            f.organisation_id,
            f.organisation_name,
            urls.get(f.rule, ""),
        )
        for f in category_findings(facts, today, DEFAULT_PERIOD_DAYS)
    ]


# --------------------------------------------------------------------------------------------
# Gathering the facts (ORM) and storing a run
# --------------------------------------------------------------------------------------------

MessageSource = Callable[[], list[MessageFacts] | None]


def default_message_source() -> list[MessageFacts] | None:
    """The interaction app's messages once it has them (``interaction.selectors.
    inspection_messages`` returning ``MessageFacts``); until then ``None`` = not applicable."""
    try:
        from gongkai.interaction import selectors
    except ImportError:
        return None
    source = getattr(selectors, "inspection_messages", None)
    return source() if source is not None else None


def default_reply_activity() -> ReplyActivity | None:
    """From ``interaction.selectors.inspection_reply_activity`` when the app provides it."""
    try:
        from gongkai.interaction import selectors
    except ImportError:
        return None
    source = getattr(selectors, "inspection_reply_activity", None)
    if source is None:
        return None
    received, last_reply, url = source()
    return ReplyActivity(received, last_reply, url)


def gather_inspection_data(*, message_source: MessageSource | None = None) -> InspectionData:
    from django.db.models import Count, Exists, Max, OuterRef, Q
    from django.urls import reverse

    from gongkai.catalogue.models import Column
    from gongkai.catalogue.richtext import html_to_text
    from gongkai.catalogue.selectors import public_items
    from gongkai.checks.item_checks import extract_links
    from gongkai.core.status import ContentStatus
    from gongkai.policies.models import Interpretation

    public = Q(items__status="published", items__disclosure="proactive")
    columns = [
        ColumnFacts(
            c.pk,
            c.name,
            c.kind,
            c.update_period_days,
            c.n,
            c.last,
            reverse("staff:items_create"),
        )
        for c in Column.objects.filter(is_active=True)
        .annotate(n=Count("items", filter=public), last=Max("items__published_date", filter=public))
        .order_by("sort_order", "id")
    ]
    items: list[ItemFacts] = []
    policies: list[PolicyFacts] = []
    sources: list[LinkSource] = []
    published_interp = Interpretation.objects.filter(
        policies=OuterRef("pk"), status=ContentStatus.PUBLISHED
    )
    qs = (
        public_items()
        .select_related("organisation", "topic__parent")
        .annotate(has_interp=Exists(published_interp))
        .order_by("id")
    )
    for item in qs.iterator(chunk_size=1000):
        url = reverse("staff:items_edit", args=[item.pk])
        body_text = item.body_text or html_to_text(item.body or "")
        items.append(
            ItemFacts(
                item.pk,
                item.title,
                item.index_number,
                ItemMetadata(
                    title=item.title or "",
                    organisation=item.organisation.name,
                    written_date=item.written_date,
                    topic=str(item.topic) if item.topic_id else "",
                    genre=item.genre or "",
                    summary=item.summary or "",
                    doc_number=item.doc_number or "",
                    policy_kind=item.policy_kind or "",
                    body_length=len(body_text),
                ),
                url,
            )
        )
        if item.policy_kind in ("rule", "normative"):
            policies.append(
                PolicyFacts(item.pk, item.title, item.policy_kind, item.has_interp, url)
            )
        links = extract_links(item.body or "")
        if links:
            sources.append(LinkSource("catalogue.informationitem", item.pk, item.title, links, url))
    for interp in Interpretation.objects.filter(status=ContentStatus.PUBLISHED).order_by("id"):
        links = extract_links(interp.body or "")
        if links:
            sources.append(
                LinkSource(
                    "policies.interpretation",
                    interp.pk,
                    interp.title,
                    links,
                    reverse("staff:policies_interpretation_edit", args=[interp.pk]),
                )
            )
    messages = (message_source or default_message_source)()
    return InspectionData(
        columns,
        items,
        policies,
        sources,
        messages,
        gather_article20_facts(),
        {
            RULE_ARTICLE20_NO_COLUMN: reverse("staff:review_article20"),
            RULE_ARTICLE20_NOT_PUBLISHED: reverse("staff:items_create"),
        },
        default_reply_activity() if message_source is None else None,
        gather_training_facts(),
    )


def gather_training_facts(today: datetime.date | None = None) -> list[tuple[int, str, int]]:
    """Training sessions this year per organisation (``registers``' ledger); nothing while the
    ledger is not kept at all."""
    from django.utils import timezone

    from gongkai.accounts.models import Organisation
    from gongkai.registers.selectors import training_counts

    counts = training_counts((today or timezone.localdate()).year)
    if counts is None:
        return []
    return [
        (org.pk, org.name, counts.get(org.pk, 0))
        for org in Organisation.objects.order_by("sort_order", "id")
    ]


def gather_article20_facts() -> list[OrganisationCategoryFacts]:
    """Every active government and department × every kind of 第二十条: the mapped columns it
    can use (platform-wide ones and its own) with its published proactive items there. Two
    queries besides the mapping, whatever the number of organisations."""
    from django.db.models import Count, Max

    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import InformationItem

    from .selectors import article20_mapping

    mapping = article20_mapping()
    column_ids = {c.pk for columns in mapping.values() for c in columns}
    through = InformationItem.columns.through
    stats = {
        (row["informationitem__organisation_id"], row["column_id"]): (row["n"], row["last"])
        for row in through.objects.filter(
            column_id__in=column_ids,
            informationitem__status=InformationItem.Status.PUBLISHED,
            informationitem__disclosure=InformationItem.Disclosure.PROACTIVE,
        )
        .values("informationitem__organisation_id", "column_id")
        .annotate(n=Count("id"), last=Max("informationitem__published_date"))
    }
    out = []
    organisations = Organisation.objects.filter(
        is_active=True,
        kind__in=[Organisation.Kind.GOVERNMENT, Organisation.Kind.DEPARTMENT],
    ).order_by("sort_order", "id")
    for org in organisations:
        for number, columns in mapping.items():
            facts = []
            for c in columns:
                if c.organisation_id not in (None, org.pk):
                    continue
                n, last = stats.get((org.pk, c.pk), (0, None))
                facts.append(
                    CategoryColumnFacts(c.pk, c.name, c.kind, c.update_period_days, n, last)
                )
            out.append(OrganisationCategoryFacts(org.pk, org.name, number, facts))
    return out


def inspection_run(
    *,
    today: datetime.date | None = None,
    fetcher: Fetcher | None = None,
    acting_user: Any = None,
    message_source: MessageSource | None = None,
) -> Any:
    """Run every rule and store the report (a write: atomic, with its audit row)."""
    from django.db import transaction
    from django.utils import timezone

    from gongkai.core.models import AuditEntry
    from gongkai.core.services import audit_record

    from .models import InspectionRun

    today = today or timezone.localdate()
    result = inspect(
        gather_inspection_data(message_source=message_source), today=today, fetcher=fetcher
    )
    with transaction.atomic():
        run = InspectionRun.objects.create(
            today=today,
            findings=[f.as_dict() for f in result.findings],
            counts={**result.counts, "not_applicable": result.not_applicable},
            triggered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        audit_record(
            action=AuditEntry.Action.CREATE,
            acting_user=acting_user,
            target=run,
            target_label=_("网站自查 %(day)s") % {"day": today},
            detail={"counts": result.counts, "not_applicable": result.not_applicable},
        )
    return run


def inspection_workbook(run: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = rule_labels()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "网站自查"
    ws.append(["检查日期", "问题类型", "问题说明", "对象", "处理链接"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for f in run.findings:
        ws.append(
            [
                run.today.isoformat(),
                labels.get(f["rule"], f["rule"]),
                f["message"],
                f["target_label"],
                f["url"],
            ]
        )
    for column, width in zip("ABCDE", (12, 18, 80, 40, 40), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
