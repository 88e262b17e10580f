"""Pure rules of 建议提案办理 (人大代表建议, 政协提案)."""

from __future__ import annotations

import calendar
import datetime

from django.utils.translation import gettext as _

# 《全国人民代表大会代表建议、批评和意见处理办法》第十二条 and the 政协提案 rules of most
# provinces: the reply is due within three months of the day the proposal was assigned (交办).
REPLY_MONTHS = 3


def default_deadline(received_on: datetime.date, months: int = REPLY_MONTHS) -> datetime.date:
    """``months`` calendar months after ``received_on`` (the last day of a shorter month)."""
    month = received_on.month - 1 + months
    year = received_on.year + month // 12
    month = month % 12 + 1
    day = min(received_on.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def publication_problem(*, reply: str, mode: str, summary: str, reason: str) -> str:
    """Why a reply cannot go to review yet ("" if it can): a 复文, and for 摘要公开 the summary,
    for 不公开 the reason."""
    if not reply.strip():
        return _("请先填写复文")
    if mode == "summary" and not summary.strip():
        return _("摘要公开时请填写复文摘要")
    if mode == "none" and not reason.strip():
        return _("不公开时请填写不公开理由")
    return ""
