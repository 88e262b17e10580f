"""Pure rules of 重大建设项目全生命周期 disclosure (国办发〔2017〕94号《关于推进重大建设项目批准和
实施领域政府信息公开的意见》): the phases, the eight kinds of stage information, and which stages
a project is expected to show in each phase."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    APPROVAL = "approval", _("报批")
    CONSTRUCTION = "construction", _("在建")
    COMPLETED = "completed", _("竣工")


class Stage(models.TextChoices):
    """The eight kinds of information of 国办发〔2017〕94号 第二部分, in lifecycle order."""

    APPROVAL_SERVICE = "approval_service", _("批准服务信息")
    APPROVAL_RESULT = "approval_result", _("批准结果信息")
    TENDERING = "tendering", _("招标投标信息")
    LAND = "land", _("征收土地信息")
    DESIGN_CHANGE = "design_change", _("重大设计变更信息")
    CONSTRUCTION = "construction", _("施工有关信息")
    SUPERVISION = "supervision", _("质量安全监督信息")
    COMPLETION = "completion", _("竣工有关信息")


# 报批: the 批准服务 (申报要求, 办理流程) and 批准结果 (审批, 核准, 备案) information.
_APPROVAL = (Stage.APPROVAL_SERVICE, Stage.APPROVAL_RESULT)
# 在建: 招标投标, 施工 (施工单位, 项目经理, 开工日期) and 质量安全监督; 征收土地 only when the
# project takes land. 重大设计变更 is disclosed when it happens and is never "expected".
_CONSTRUCTION = (Stage.TENDERING, Stage.CONSTRUCTION, Stage.SUPERVISION)


def expected_stages(phase: str, *, involves_land: bool) -> list[str]:
    """The stages a project in ``phase`` should have published, in lifecycle order."""
    wanted: list[str] = list(_APPROVAL)
    if phase in (Phase.CONSTRUCTION, Phase.COMPLETED):
        wanted += list(_CONSTRUCTION)
        if involves_land:
            wanted.append(Stage.LAND)
    if phase == Phase.COMPLETED:
        wanted.append(Stage.COMPLETION)
    order = list(Stage.values)
    return sorted(wanted, key=order.index)


def missing_stages(phase: str, *, involves_land: bool, present: Iterable[str]) -> list[str]:
    """Expected stages with no published information yet (shown to staff only)."""
    have = set(present)
    return [s for s in expected_stages(phase, involves_land=involves_land) if s not in have]
