"""Reads of the checks context: the cached 错敏词 matcher and the findings on one item."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dictionary
from .item_checks import (
    Fetcher,
    InterpretationLink,
    ItemFinding,
    ItemMetadata,
    broken_link_findings,
    draft_title_findings,
    external_link_findings,
    extract_links,
    extract_urls_from_text,
    interpretation_link_findings,
    lateness_findings,
    metadata_findings,
    santongbu_findings,
)
from .models import WordlistEntry
from .text import TextChecker


def wordlist_version() -> tuple[Any, ...]:
    """Changes whenever the dictionary does: one cheap aggregate query.

    Adding a word raises max(updated_at); deleting one lowers the count; editing one (admin or
    import) raises max(updated_at). So every worker process notices a change on its next check
    without any cross-process signalling.
    """
    agg = WordlistEntry.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return (connection.alias, connection.settings_dict.get("NAME"), agg["n"], agg["latest"])


def build_checker() -> TextChecker:
    """The checker over the current dictionary: :func:`gongkai.checks.dictionary.build_checker`,
    the one read ``gongkai check_text`` also uses (without loading the models)."""
    with connection.cursor() as cursor:
        return dictionary.build_checker(cursor, connection.ops.quote_name)


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
    from gongkai.core.html import html_to_text

    today = today or timezone.localdate()
    checker = checker or current_checker()
    body_text = item.body_text or html_to_text(item.body or "")
    attachments = list(item.attachments.all()) if item.pk else []
    # A 修订稿 is judged as the live item it corrects: its 发布日期 and its interpretations.
    live = item.revision_of if getattr(item, "revision_of_id", None) else item
    out = [
        *_text_findings(item, body_text, attachments, checker=checker, today=today),
        *_metadata_findings(item, body_text),
        *draft_title_findings(item.title or ""),
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
    """三同步: a policy's interpretation is drafted, reviewed and published with it — and is
    its own, not another document's (the link warnings)."""
    interpretations = list(live.interpretations.select_related("organisation")) if live.pk else []
    out = santongbu_findings(
        policy_kind=item.policy_kind or "",
        interpretation_statuses=[i.status for i in interpretations],
        mode=santongbu_mode(),
    )
    if santongbu_mode() == "off":
        return out
    return out + interpretation_link_findings(
        [interpretation_link(i, item) for i in interpretations], related_orgs=related_org_ids()
    )


def interpretation_link(interpretation: Any, policy: Any) -> InterpretationLink:
    return InterpretationLink(
        interpretation_title=interpretation.title,
        interpretation_org_id=interpretation.organisation_id,
        interpretation_org=interpretation.organisation.name,
        interpretation_date=interpretation.published_date,
        policy_title=policy.title,
        policy_org_id=policy.organisation_id,
        policy_org=policy.organisation.name,
        policy_date=policy.written_date or policy.published_date,
    )


def related_org_ids() -> Callable[[int], set[int]]:
    """``org_id`` → the organisation, its ancestors and its descendants (one query)."""
    from gongkai.accounts.models import Organisation

    parents = dict(Organisation.objects.values_list("id", "parent_id"))
    children: dict[int, list[int]] = {}
    for org_id, parent_id in parents.items():
        if parent_id is not None:
            children.setdefault(parent_id, []).append(org_id)

    def related(org_id: int) -> set[int]:
        out = {org_id}
        up = parents.get(org_id)
        while up is not None and up not in out:
            out.add(up)
            up = parents.get(up)
        stack = list(children.get(org_id, []))
        while stack:
            current = stack.pop()
            if current not in out:
                out.add(current)
                stack.extend(children.get(current, []))
        return out

    return related


def interpretation_findings(interpretation: Any) -> list[ItemFinding]:
    """The 三同步 link warnings seen from an interpretation: each policy it is linked to."""
    if santongbu_mode() == "off" or not interpretation.pk:
        return []
    live = interpretation.revision_of if interpretation.revision_of_id else interpretation
    policies = list(live.policies.select_related("organisation"))
    if interpretation.revision_of_id:
        policies = list(interpretation.policies.select_related("organisation")) or policies
    if not policies:
        return []
    return interpretation_link_findings(
        [interpretation_link(interpretation, p) for p in policies], related_orgs=related_org_ids()
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


_lock = threading.Lock()


_cache: dict[str, Any] = {"key": None, "checker": None}
