"""Pure checks on a whole information item: metadata, lateness, 三同步, links (no ORM).

The ORM-facing part (reading an item, its attachments and interpretations) is
``selectors.item_findings``; everything that decides is here, on plain values, so each rule is
tested with hand-worked inputs.
"""

from __future__ import annotations

import datetime
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .text import Finding

# Kinds beyond the text kinds of ``checks`` (word, the privacy kinds).
KIND_METADATA = "metadata"
KIND_LATE = "late_publication"
KIND_SANTONGBU = "santongbu"
KIND_LINK_EXTERNAL = "link_external"
KIND_LINK_BROKEN = "link_broken"
KIND_CALENDAR = "calendar_missing"

SANTONGBU_MODES = ("block", "warn", "off")

# 条例第二十六条: proactively disclosed information is published within 20 working days of
# being formed or changed.
PROACTIVE_DEADLINE_WORKDAYS = 20


@dataclass(frozen=True, slots=True)
class ItemFinding:
    """A finding about an item. ``source`` says where: ``title``, ``summary``, ``body``,
    ``attachment:<id>`` or ``metadata``; offsets (into that source's text) only for text
    findings, ``None`` otherwise."""

    kind: str
    source: str
    message: str
    blocking: bool = False
    start: int | None = None
    end: int | None = None
    match: str = ""
    category: str = ""
    suggestion: str = ""
    field: str = ""

    @classmethod
    def from_text(cls, finding: Finding, source: str, source_label: str) -> ItemFinding:
        if finding.kind == "word":
            if finding.suggestion:
                message = _("%(where)s：“%(match)s”属于%(category)s，建议改为“%(suggestion)s”") % {
                    "where": source_label,
                    "match": finding.match,
                    "category": finding.category,
                    "suggestion": finding.suggestion,
                }
            else:
                message = _("%(where)s：“%(match)s”属于%(category)s") % {
                    "where": source_label,
                    "match": finding.match,
                    "category": finding.category,
                }
        else:
            message = _("%(where)s：含有%(category)s“%(match)s”，公开前应遮蔽为“%(masked)s”") % {
                "where": source_label,
                "category": finding.category,
                "match": finding.match,
                "masked": finding.suggestion,
            }
        return cls(
            kind=finding.kind,
            source=source,
            message=message,
            blocking=finding.blocking,
            start=finding.start,
            end=finding.end,
            match=finding.match,
            category=finding.category,
            suggestion=finding.suggestion,
        )


# --------------------------------------------------------------------------------------------
# Metadata completeness
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemMetadata:
    title: str = ""
    organisation: str = ""
    written_date: datetime.date | None = None
    topic: str = ""
    genre: str = ""
    summary: str = ""
    doc_number: str = ""
    policy_kind: str = ""  # "", "rule", "normative", "other"
    body_length: int = 0
    keywords: str = ""
    audiences: tuple[str, ...] = field(default_factory=tuple)


def metadata_findings(meta: ItemMetadata) -> list[ItemFinding]:
    """Missing metadata of the 政府信息公开目录.

    Blocking: the legal minimum of the 目录 — 名称, 内容概述, 生成日期 (条例第十二条, rules
    note §4.1) — plus 发布机构, and the 文号 of a 规章 or 行政规范性文件 (both are always
    numbered documents). Warnings: 主题分类 and 体裁分类 of the national metadata spec
    (§4.2), and an over-long 内容概述 (local rule: ≤300 字 for texts under 5,000 字, ≤500
    otherwise, §4.4).
    """
    out: list[ItemFinding] = []

    def missing(name: str, label: str, blocking: bool) -> None:
        out.append(
            ItemFinding(
                KIND_METADATA,
                "metadata",
                _("缺少%(label)s") % {"label": label},
                blocking=blocking,
                field=name,
            )
        )

    if not meta.title.strip():
        missing("title", _("信息名称"), True)
    if not meta.organisation.strip():
        missing("organisation", _("发布机构"), True)
    if meta.written_date is None:
        missing("written_date", _("成文日期（生成日期）"), True)
    if not meta.summary.strip():
        missing("summary", _("内容概述"), True)
    if not meta.topic:
        missing("topic", _("主题分类"), False)
    if not meta.genre:
        missing("genre", _("体裁分类"), False)
    if meta.policy_kind and not meta.doc_number.strip():
        missing("doc_number", _("文号"), meta.policy_kind in ("rule", "normative"))
    limit = 300 if meta.body_length < 5000 else 500
    if len(meta.summary.strip()) > limit:
        out.append(
            ItemFinding(
                KIND_METADATA,
                "metadata",
                _("内容概述有 %(n)d 字，超过 %(limit)d 字")
                % {"n": len(meta.summary), "limit": limit},
                field="summary",
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# 条例第二十六条: 20 working days
# --------------------------------------------------------------------------------------------


def proactive_due_date(calendar: Any, written_date: datetime.date) -> datetime.date:
    """Last day to publish: the 20th working day after the day the information was formed
    (the day itself not counted, the calendar's convention)."""
    return calendar.add_workdays(written_date, PROACTIVE_DEADLINE_WORKDAYS)


def lateness_findings(
    *,
    calendar: Any,
    disclosure: str,
    written_date: datetime.date | None,
    published_date: datetime.date | None,
    today: datetime.date,
) -> list[ItemFinding]:
    """条例第二十六条. A published item is late if its 发布日期 is after the due date; an
    unpublished one if today already is (publishing it is still better than not, so this only
    warns). ``calendar`` is a ``gongkai.workdays.calendar.WorkCalendar``."""
    if disclosure != "proactive" or written_date is None:
        return []
    from gongkai.workdays.calendar import CalendarMissing

    try:
        due = proactive_due_date(calendar, written_date)
    except CalendarMissing as exc:
        return [ItemFinding(KIND_CALENDAR, "metadata", str(exc), field="written_date")]
    when = published_date or today
    if when <= due:
        return []
    if published_date is not None:
        message = _(
            "发布日期 %(published)s 晚于成文日期 %(written)s 后 20 个工作日（%(due)s），"
            "不符合《政府信息公开条例》第二十六条"
        ) % {"published": published_date, "written": written_date, "due": due}
    else:
        message = _(
            "成文日期 %(written)s 后 20 个工作日（%(due)s）已过，请尽快发布"
            "（《政府信息公开条例》第二十六条）"
        ) % {"written": written_date, "due": due}
    return [ItemFinding(KIND_LATE, "metadata", message, field="published_date")]


# --------------------------------------------------------------------------------------------
# 三同步
# --------------------------------------------------------------------------------------------


def santongbu_findings(
    *, policy_kind: str, interpretation_statuses: Iterable[str], mode: str = "block"
) -> list[ItemFinding]:
    """A 规章 or 行政规范性文件 needs a linked interpretation (解读 同步起草、同步审签、同步发布,
    rules note §6.1). An interpretation counts once it is approved (已通过) or published, so
    the two can be published together. ``mode``: ``block``, ``warn`` or ``off``
    (setting ``GONGKAI_SANTONGBU_MODE``)."""
    if mode not in SANTONGBU_MODES:
        raise ValueError(f"GONGKAI_SANTONGBU_MODE must be one of {SANTONGBU_MODES}, not {mode!r}")
    if mode == "off" or policy_kind not in ("rule", "normative"):
        return []
    if any(s in ("approved", "published") for s in interpretation_statuses):
        return []
    return [
        ItemFinding(
            KIND_SANTONGBU,
            "metadata",
            _("规章和行政规范性文件应同步发布政策解读，尚未关联已通过审核的解读"),
            blocking=mode == "block",
            field="interpretations",
        )
    ]


# --------------------------------------------------------------------------------------------
# Links
# --------------------------------------------------------------------------------------------


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "area": "href", "iframe": "src", "img": "src", "embed": "src"}
        attr = wanted.get(tag)
        if attr is None:
            return
        for name, value in attrs:
            if name == attr and value and value.strip():
                self.links.append(value.strip())


_URL_IN_TEXT = re.compile(r"https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+", re.ASCII)


def extract_links(html: str) -> list[str]:
    """Link targets of a rich-text body, in order, without duplicates."""
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(parser.links))


def extract_urls_from_text(text: str) -> list[str]:
    """``http(s)://`` addresses written in plain text (attachments)."""
    return list(dict.fromkeys(m.group().rstrip(".,;:!?)'") for m in _URL_IN_TEXT.finditer(text)))


def is_government_host(host: str, allowlist: Iterable[str] = ()) -> bool:
    """``*.gov.cn`` (and ``gov.cn``) are government sites; ``allowlist`` adds hosts (an entry
    ``example.org`` also admits its subdomains)."""
    host = host.lower().rstrip(".")
    if host == "gov.cn" or host.endswith(".gov.cn"):
        return True
    for allowed in allowlist:
        allowed = allowed.lower().strip().rstrip(".")
        if allowed and (host == allowed or host.endswith("." + allowed)):
            return True
    return False


def external_link_findings(
    links: Iterable[str], *, source: str, source_label: str, allowlist: Iterable[str] = ()
) -> list[ItemFinding]:
    """Absolute links to non-government sites: a reviewer must look at them (publishing or
    linking harmful content is a single-veto item, rules note §5.2). Relative links are our own
    site."""
    allow = list(allowlist)
    out = []
    for url in links:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if is_government_host(parts.hostname, allow):
            continue
        out.append(
            ItemFinding(
                KIND_LINK_EXTERNAL,
                source,
                _("%(where)s：链接到非政府网站 %(url)s，请确认内容合适")
                % {
                    "where": source_label,
                    "url": url,
                },
                match=url,
            )
        )
    return out


# A fetcher returns the HTTP status of a URL, or None when it could not be reached at all.
Fetcher = Callable[[str], int | None]


def http_fetcher(url: str, *, timeout: float = 10.0) -> int | None:
    """The production fetcher: HEAD, then GET if the server refuses HEAD."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(  # noqa: S310 - scheme checked by the caller
            url, method=method, headers={"User-Agent": "Gongkai-LinkCheck/1.0"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            exc.close()
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return int(exc.code)
        except (urllib.error.URLError, OSError, ValueError):
            return None
    return None


def broken_link_findings(
    links: Iterable[str], *, fetcher: Fetcher, source: str, source_label: str
) -> list[ItemFinding]:
    out = []
    for url in links:
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        status = fetcher(url)
        if status is not None and status < 400:
            continue
        reason = _("无法访问") if status is None else _("返回 HTTP %(status)d") % {"status": status}
        out.append(
            ItemFinding(
                KIND_LINK_BROKEN,
                source,
                _("%(where)s：链接 %(url)s %(reason)s")
                % {
                    "where": source_label,
                    "url": url,
                    "reason": reason,
                },
                match=url,
            )
        )
    return out
