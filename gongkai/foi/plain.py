"""What the applicant's own page says about the reply clock, in plain words (issue 15,
item 9). Pure functions over a case's status and dates; the staff page's day-by-day
explanation (``Case.deadline_note``) is shown beside it unchanged."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.text import chinese_date

from .models import Status

# Statuses in which the clock stands still, and why (条例第三十条 补正, 第三十三条第三款 征求意见,
# 第三十五条 说明理由, 第四十二条 and 国办函〔2020〕109号 信息处理费).
PAUSED: dict[str, Any] = {
    Status.SUPPLEMENT_REQUESTED: gettext_lazy(
        "暂停计算：等待您补正材料。行政机关收到您补正的材料后，答复期限重新起算（条例第三十条）。"
    ),
    Status.CONSULTING: gettext_lazy(
        "暂停计算：正在征求第三方或者其他机关的意见，所需时间不计入答复期限（条例第三十三条）。"
    ),
    Status.AWAITING_FEE: gettext_lazy("暂停计算：等待您缴纳信息处理费，缴费期间不计入答复期限。"),
    Status.EXPLANATION_REQUESTED: gettext_lazy(
        "暂停计算：等待您说明申请理由，说明期间不计入答复期限（条例第三十五条）。"
    ),
}


@dataclass(frozen=True)
class ClockNote:
    text: str
    paused: bool = False


def applicant_clock_note(
    *, status: str, due: date | None, workdays_left: int | None, closed: date | None
) -> ClockNote:
    if status == Status.SUBMITTED:
        return ClockNote(
            _("尚未开始计算：行政机关确认收到您的申请后，从次日起计算答复期限（条例第三十一条）。")
        )
    if status in PAUSED:
        return ClockNote(str(PAUSED[status]), paused=True)
    if closed is not None or due is None:
        if closed is not None:
            return ClockNote(_("已办结：%(d)s。") % {"d": chinese_date(closed)})
        return ClockNote(_("答复期限正在确认中。"))
    if workdays_left is None:
        return ClockNote(_("正在计算：行政机关应在%(d)s前答复您。") % {"d": chinese_date(due)})
    if workdays_left < 0:
        return ClockNote(
            _(
                "已超过答复期限%(n)s个工作日（期限为%(d)s）。"
                "您可以依法申请行政复议或者提起行政诉讼（条例第五十一条）。"
            )
            % {"n": -workdays_left, "d": chinese_date(due)}
        )
    return ClockNote(
        _("正在计算：行政机关应在%(d)s前答复您，还剩%(n)s个工作日。")
        % {"d": chinese_date(due), "n": workdays_left}
    )
