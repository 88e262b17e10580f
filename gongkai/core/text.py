"""Text rules shared by every app, one copy each: masking of personal data and the Chinese date.

DESIGN.md ("Security"): personal data of applicants is never shown unmasked in lists and never
on public pages. The same masked forms are published when a reviewer masks a draft (rules note
§5.6: ``138****1234`` and ``35*************123``), so the FOI screens, the review checks and the
API all call these functions. They are pure (no ORM) so templates, services and the API agree.
"""

import datetime
import re

_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def mask_phone(value: str | None) -> str:
    """138****1234 for a mainland mobile number (rules note §5.6); other numbers keep only their
    last four digits."""
    if not value:
        return ""
    compact = re.sub(r"[\s-]", "", value)
    match = _MOBILE.match(compact)
    if match:
        digits = match.group(1)
        return f"{digits[:3]}****{digits[-4:]}"
    if len(compact) <= 4:
        return "*" * len(compact)
    return "*" * (len(compact) - 4) + compact[-4:]


def mask_id_number(value: str | None) -> str:
    """居民身份证号 as 35*************123 (rules note §5.6): the first two characters (the
    province) and the last three stay, everything between is starred."""
    if not value:
        return ""
    compact = value.strip()
    if len(compact) <= 5:
        return compact[:1] + "*" * (len(compact) - 1)
    return compact[:2] + "*" * (len(compact) - 5) + compact[-3:]


def mask_address(value: str | None) -> str:
    """Keep the first six characters (province/city/district), hide the rest."""
    if not value:
        return ""
    return value[:6] + "****"


def mask_name(value: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the family name (first character) stays readable."""
    if not value:
        return ""
    text = value.strip()
    if len(text) <= 1:
        return text
    return text[0] + "*" * (len(text) - 1)


def mask_email(value: str | None) -> str:
    """zhangsan@example.cn → z*******@example.cn."""
    if not value or "@" not in value:
        return mask_name(value)
    local, _, domain = value.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"


def chinese_date(value: datetime.date, *, weekday: bool = False) -> str:
    """2025年3月1日 — no zero padding, as dates are written in 公文 (GB/T 9704 成文日期) —
    optionally followed by the weekday: 2025年3月1日（星期六）."""
    text = f"{value.year}年{value.month}月{value.day}日"
    if weekday:
        text += f"（{WEEKDAY_NAMES[value.weekday()]}）"
    return text


# Spreadsheet programs run a cell that starts with one of these as a formula ("CSV/formula
# injection", OWASP): =HYPERLINK(…) in a title would run when an inspector opens the export.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A text cell made inert by a leading apostrophe; numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def book_title(title: str) -> str:
    """A title in 书名号; titles already inside it take 〈〉 (GB/T 15834—2011 4.15.3:
    书名号里边还要用书名号时，外面一层用双书名号，里边一层用单书名号)."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"
