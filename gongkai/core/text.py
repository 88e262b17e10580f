"""Text helpers shared by every app: masking of personal data for lists and screens.

DESIGN.md ("Security"): personal data of applicants is never shown unmasked in lists and never
on public pages. These helpers are pure (no ORM) so templates, services and the API agree.
"""

import re

_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")


def mask_phone(value: str | None) -> str:
    """138****5678 for a mainland mobile number; other numbers keep only their last four digits."""
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
    """居民身份证号: keep the first six (region) and the last four characters."""
    if not value:
        return ""
    compact = value.strip()
    if len(compact) <= 10:
        return compact[:1] + "*" * (len(compact) - 1)
    return compact[:6] + "*" * (len(compact) - 10) + compact[-4:]


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


# Spreadsheet programs run a cell that starts with one of these as a formula ("CSV/formula
# injection", OWASP): =HYPERLINK(…) in a title would run when an inspector opens the export.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A text cell made inert by a leading apostrophe; numbers and dates are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
