"""``{% load gongkai_text %}``: the shared text rules of ``core.text`` as template filters, so a
page, a letter and a service write a date or a masked number the same way."""

import datetime

from django import template

from gongkai.core import text

register = template.Library()


@register.filter
def chinese_date(value: datetime.date | None) -> str:
    """``{{ letter.issued|chinese_date }}`` → 2025年3月1日; empty for no date."""
    if not value:
        return ""
    return text.chinese_date(value)


@register.filter
def mask_phone(value: str | None) -> str:
    return text.mask_phone(value)


@register.filter
def mask_id_number(value: str | None) -> str:
    return text.mask_id_number(value)
