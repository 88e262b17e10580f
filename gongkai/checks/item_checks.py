"""Pure checks on a whole information item: metadata, lateness, 三同步, links (no ORM).

The ORM-facing part (reading an item, its attachments and interpretations) is
``selectors.item_findings``; everything that decides is here, on plain values, so each rule is
tested with hand-worked inputs.
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from .text import Finding

# Kinds beyond the text kinds of ``checks`` (word, the privacy kinds).
KIND_METADATA = "metadata"
KIND_LATE = "late_publication"
KIND_SANTONGBU = "santongbu"
KIND_LINK_EXTERNAL = "link_external"
KIND_LINK_BROKEN = "link_broken"
KIND_CALENDAR = "calendar_missing"
KIND_DRAFT_TITLE = "draft_title"

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
# Draft markers in the title (issue 15, item 6)
# --------------------------------------------------------------------------------------------

# Words that mark a text as not final. Only the final text is disclosed (条例第十六条:
# 过程性信息 such as drafts may be withheld, and a published draft is mistaken for the rule
# in force), so a title still carrying one is usually a forgotten marker.
DRAFT_MARKERS = ("征求意见稿", "送审稿", "讨论稿", "草稿", "初稿")
# A notice that asks the public to comment on a draft legitimately names the draft
# (关于《某办法（征求意见稿）》公开征求意见的通知): with these words elsewhere in the title the
# marker only warns.
CONSULTATION_WORDS = ("征求意见", "征集意见", "意见征集", "听证")


def draft_title_findings(title: str) -> list[ItemFinding]:
    """A 送审稿/征求意见稿/草稿 marker in the title.

    Blocking (the final reviewer may still override with a reason, like every blocking
    finding), except in a consultation notice, where the title names the draft on purpose and
    the finding only warns.
    """
    found = [marker for marker in DRAFT_MARKERS if marker in title]
    if not found:
        return []
    # 征求意见稿 contains 征求意见: look for the consultation words outside the markers.
    rest = title
    for marker in found:
        rest = rest.replace(marker, "")
    consultation = any(word in rest for word in CONSULTATION_WORDS)
    marker = found[0]
    if consultation:
        message = _("信息名称含“%(marker)s”：请确认这是公开征求意见的通知，而不是误发的未定稿") % {
            "marker": marker
        }
    else:
        message = _("信息名称含“%(marker)s”：未定稿不应作为正式文件公开，请改为正式稿的名称") % {
            "marker": marker
        }
    start = title.index(marker)
    return [
        ItemFinding(
            KIND_DRAFT_TITLE,
            "title",
            message,
            blocking=not consultation,
            start=start,
            end=start + len(marker),
            match=marker,
            field="title",
        )
    ]


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


@dataclass(frozen=True)
class InterpretationLink:
    """One interpretation ↔ policy link, as plain values (``selectors`` reads them)."""

    interpretation_title: str
    interpretation_org_id: int
    interpretation_org: str
    interpretation_date: datetime.date | None  # 发布日期; None while a draft
    policy_title: str
    policy_org_id: int
    policy_org: str
    policy_date: datetime.date | None  # 成文日期, else 发布日期


def interpretation_link_findings(
    links: Iterable[InterpretationLink], *, related_orgs: Callable[[int], set[int]]
) -> list[ItemFinding]:
    """Warnings that an interpretation may be linked to the wrong policy (三同步, rules note
    §6.1: the interpretation is drafted, reviewed and published *with* its document):

    - it was published before the document was even written (成文日期, else 发布日期);
    - it comes from an organisation that is neither the document's nor above or below it in
      the tree (``related_orgs(org_id)``: the organisation, its ancestors and descendants) —
      谁起草、谁解读, so a stranger's interpretation is most often a mistyped 索引号.

    Never blocking: a joint document (联合发文) is legitimately interpreted by a co-issuer."""
    out: list[ItemFinding] = []
    for link in links:
        title = f"《{link.interpretation_title}》"
        policy = f"《{link.policy_title}》"
        if (
            link.interpretation_date is not None
            and link.policy_date is not None
            and link.interpretation_date < link.policy_date
        ):
            out.append(
                ItemFinding(
                    KIND_SANTONGBU,
                    "metadata",
                    _(
                        "政策解读%(interp)s发布于%(idate)s，早于%(policy)s的日期%(pdate)s，"
                        "请核对是否关联错了文件（三同步）"
                    )
                    % {
                        "interp": title,
                        "idate": link.interpretation_date.isoformat(),
                        "policy": policy,
                        "pdate": link.policy_date.isoformat(),
                    },
                    field="interpretations",
                )
            )
        if link.interpretation_org_id not in related_orgs(link.policy_org_id):
            out.append(
                ItemFinding(
                    KIND_SANTONGBU,
                    "metadata",
                    _(
                        "政策解读%(interp)s由%(iorg)s发布，%(policy)s由%(porg)s发布，"
                        "两者没有上下级关系，请核对是否关联错了文件（联合发文的除外）"
                    )
                    % {
                        "interp": title,
                        "iorg": link.interpretation_org,
                        "policy": policy,
                        "porg": link.policy_org,
                    },
                    field="interpretations",
                )
            )
    return out


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


# A fetcher returns the HTTP status of a URL, None when it could not be reached at all, or a
# ``LinkRefused`` when the link was deliberately not requested (see ``http_fetcher``).
@dataclass(frozen=True)
class LinkRefused:
    """A link the checker refused to request; ``reason`` is shown to staff (Chinese)."""

    reason: str


FetchResult = int | LinkRefused | None
Fetcher = Callable[[str], FetchResult]

MAX_REDIRECTS = 5
MAX_BODY_BYTES = 64 * 1024
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Cloud instance metadata endpoints: named separately so the finding says what it is.
_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)


def address_problem(address: str) -> str:
    """Why the link checker must not connect to ``address``; ``""`` when it is public.

    The link check runs on the server with its network position (metadata endpoints, intranet
    services, the database port): a body link must never make it probe those (SSRF).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return _("地址无法识别")
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 and 2002:7f00:1::/6to4 reach the embedded IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return address_problem(str(embedded))
    if ip in _METADATA_ADDRESSES:
        return _("云平台元数据地址")
    if ip.is_loopback:
        return _("本机地址")
    if ip.is_unspecified:
        return _("未指定地址")
    if ip.is_multicast:
        return _("组播地址")
    if ip.is_link_local:
        return _("链路本地地址")
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return _("内网或保留地址")
    return ""


def _allowed_test_hosts() -> frozenset[str]:
    # For tests only: lets a local test server stand in for a public site (see the operator
    # guide). Production leaves it empty, so every address is vetted.
    from django.conf import settings

    return frozenset(
        h.lower() for h in getattr(settings, "GONGKAI_LINK_CHECK_ALLOW_HOSTS", ()) or ()
    )


def vetted_addresses(host: str, port: int) -> tuple[list[str], LinkRefused | None]:
    """Resolve ``host`` once and return the addresses to connect to, or why not.

    Every resolved address must be public: a name that resolves to both a public and a private
    address is refused, since the connection could land on either.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return [], None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if host.lower().rstrip(".") not in _allowed_test_hosts():
        for address in addresses:
            problem = address_problem(address)
            if problem:
                return [], LinkRefused(
                    _("指向内网地址（%(address)s，%(problem)s），未检查")
                    % {"address": address, "problem": problem}
                )
    return addresses, None


def _connect_any(addresses: list[str], port: int, timeout: float | None) -> socket.socket:
    error: OSError = OSError("no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted address, not to whatever the name resolves to now (no DNS
    rebinding between the check and the connection); the Host header keeps the name."""

    def __init__(self, addresses: list[str], port: int, timeout: float) -> None:
        super().__init__(addresses[0], port, timeout=timeout)
        self._addresses = addresses

    def connect(self) -> None:
        self.sock = _connect_any(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, addresses: list[str], port: int, timeout: float, server_name: str) -> None:
        super().__init__(addresses[0], port, timeout=timeout, context=ssl.create_default_context())
        self._addresses = addresses
        self._server_name = server_name

    def connect(self) -> None:
        sock = _connect_any(self._addresses, self.port, self.timeout)
        # SNI and certificate verification against the link's host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self._server_name)  # type: ignore[attr-defined]  # wrap_socket is on the SSLContext the stubs type loosely


def _request_once(
    url: str, method: str, timeout: float, deadline: float
) -> tuple[int | None, str, LinkRefused | None]:
    """One request to ``url``; returns (status, Location header, refusal)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None, "", None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None, "", None
    addresses, refused = vetted_addresses(parts.hostname, port)
    if refused is not None or not addresses:
        return None, "", refused
    remaining = max(0.1, min(timeout, deadline - time.monotonic()))
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = _PinnedHTTPSConnection(addresses, port, remaining, parts.hostname)
    else:
        conn = _PinnedHTTPConnection(addresses, port, remaining)
    host_header = parts.netloc.rsplit("@", 1)[-1]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"Host": host_header, "User-Agent": "Gongkai-LinkCheck/1.0"}
    if method == "GET":
        # Only the status matters: ask for the first bytes and read no more than the cap.
        headers["Range"] = f"bytes=0-{MAX_BODY_BYTES - 1}"
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        if method == "GET":
            left = MAX_BODY_BYTES
            while left > 0 and time.monotonic() < deadline:
                chunk = response.read1(min(left, 8192))
                if not chunk:
                    break
                left -= len(chunk)
        return int(response.status), response.getheader("Location") or "", None
    except (OSError, http.client.HTTPException, ValueError):
        return None, "", None
    finally:
        conn.close()


def http_fetcher(url: str, *, timeout: float = 10.0, total: float | None = None) -> FetchResult:
    """The production fetcher: HEAD, then GET if the server refuses HEAD.

    Safe against server-side request forgery: every hop (the link and each redirect, at most
    ``MAX_REDIRECTS``) is resolved and refused unless all its addresses are public, the
    connection goes to the vetted address, each socket operation is bounded by ``timeout`` and
    the whole check by ``total`` (default three times ``timeout``), and at most
    ``MAX_BODY_BYTES`` are read.
    """
    deadline = time.monotonic() + (total if total is not None else 3 * timeout)
    for method in ("HEAD", "GET"):
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            if time.monotonic() >= deadline:
                return None
            status, location, refused = _request_once(current, method, timeout, deadline)
            if refused is not None:
                if hop:
                    return LinkRefused(
                        _("重定向到 %(url)s，%(reason)s")
                        % {"url": current, "reason": refused.reason}
                    )
                return refused
            if status is None:
                return None
            if status in _REDIRECT_CODES and location:
                current = urljoin(current, location)
                continue
            break
        else:
            return LinkRefused(_("重定向超过 %(count)d 次，未检查") % {"count": MAX_REDIRECTS})
        if method == "HEAD" and status in (403, 405, 501):
            continue
        return status
    return None


def broken_link_findings(
    links: Iterable[str], *, fetcher: Fetcher, source: str, source_label: str
) -> list[ItemFinding]:
    out = []
    for url in links:
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        status = fetcher(url)
        if isinstance(status, LinkRefused):
            reason = status.reason
        elif status is None:
            reason = _("无法访问")
        elif status < 400:
            continue
        else:
            reason = _("返回 HTTP %(status)d") % {"status": status}
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
