"""HTML → plain text for search and the text checks (pure; the body is sanitised already)."""

import html
import re

_BLOCK_END = re.compile(
    r"</(p|div|h[1-6]|li|tr|blockquote|pre|table|ul|ol|dd|dt|caption|figcaption)\s*>|<br\s*/?>|<hr\s*/?>",
    re.IGNORECASE,
)


_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)


_TAG = re.compile(r"<[^>]+>")


_SPACES = re.compile(r"[ \t\u3000\xa0]+")


_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(clean_html: str) -> str:
    """Plain text of a (sanitised) body for search: one line per block, cells tab-separated."""
    text = _BLOCK_END.sub("\n", clean_html or "")
    text = _CELL_END.sub("\t", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()
