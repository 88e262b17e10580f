"""Rich-text rules for item bodies: pure functions, no ORM.

Bodies are typed by staff or imported from old sites, and shown on public pages unescaped, so
they are cleaned with nh3 (ammonia) against an allow-list: formatting, headings, lists, tables,
links and images. Scripts, styles and frames are removed with their content; event-handler
attributes (on*) never pass because only listed attributes survive; links keep only http(s) and
mailto targets, images only http(s) or relative sources (no data:/javascript: URLs).
"""

import html
import re
from urllib.parse import urlsplit

import nh3

from gongkai.core.html import html_to_text  # noqa: F401  (its home before issue 11)

ALLOWED_TAGS = {
    "p", "br", "hr", "div", "span", "blockquote", "pre", "code",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img", "figure", "figcaption",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
    "p": {"align"},
}

# Removed together with everything inside them (ammonia drops only the tag otherwise).
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

LINK_SCHEMES = {"http", "https", "mailto"}
IMAGE_SCHEMES = {"http", "https"}


def _url_scheme(value: str) -> str | None:
    try:
        return urlsplit(value.strip()).scheme.lower() or None
    except ValueError:
        return "invalid"


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "a" and attr == "href":
        return value if _url_scheme(value) in LINK_SCHEMES else None
    if tag == "img" and attr == "src":
        scheme = _url_scheme(value)
        if scheme is None:
            # A relative source must not be protocol-relative to a foreign host ("//evil").
            return None if value.strip().startswith("//") else value
        return value if scheme in IMAGE_SCHEMES else None
    return value


def sanitize_html(raw: str) -> str:
    """The body as it may be stored and shown: only allow-listed tags, attributes and URLs."""
    return nh3.clean(
        raw or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES | IMAGE_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


_HTML_HINT = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text or ""))


def plain_text_to_html(text: str) -> str:
    """Plain text becomes paragraphs: one <p> per non-empty line, HTML-escaped."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


def body_to_html(raw: str) -> str:
    """Imported bodies may be HTML or plain text; either way the result is sanitised HTML."""
    return sanitize_html(raw if looks_like_html(raw) else plain_text_to_html(raw))
