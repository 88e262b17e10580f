"""Pure rules of the 清单: which fields each kind of list carries, and their labels.

One generic design: every list is a set of entries (事项) with the same columns; each kind
shows and requires only its own. 权责清单 follows the 国务院办公厅《关于推行地方各级政府工作部门
权力清单制度的指导意见》 columns (事项名称, 类别, 设定依据, 实施主体, 责任事项, 追责情形); 涉企收费
清单 carries 项目, 依据, 标准.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    POWERS = "powers", _("权责清单")
    PUBLIC_SERVICES = "services", _("公共服务清单")
    FEES = "fees", _("涉企收费清单")
    INTERMEDIARY = "intermediary", _("中介服务清单")
    LICENSING = "licensing", _("行政许可事项清单")


class PowerCategory(models.TextChoices):
    LICENSING = "许可", _("行政许可")
    PENALTY = "处罚", _("行政处罚")
    COERCION = "强制", _("行政强制")
    LEVY = "征收", _("行政征收")
    BENEFIT = "给付", _("行政给付")
    INSPECTION = "检查", _("行政检查")
    CONFIRMATION = "确认", _("行政确认")
    REWARD = "奖励", _("行政奖励")
    ADJUDICATION = "裁决", _("行政裁决")
    OTHER = "其他", _("其他行政权力")


class Action(models.TextChoices):
    """动态调整: the four ways a list changes."""

    ADD = "add", _("新增")
    CANCEL = "cancel", _("取消")
    DELEGATE = "delegate", _("下放")
    CHANGE = "change", _("变更")


# The content columns of an entry, in display order.
FIELD_LABELS: dict[str, str] = {
    "name": "事项名称",
    "category": "类别",
    "basis": "设定依据",
    "implementer": "实施主体",
    "duties": "责任事项",
    "accountability": "追责情形",
    "standard": "收费标准",
    "note": "备注",
}

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ListKind.POWERS: ("name", "category", "basis", "implementer", "duties", "accountability"),
    ListKind.PUBLIC_SERVICES: ("name", "basis", "implementer", "note"),
    ListKind.FEES: ("name", "basis", "standard", "note"),
    ListKind.INTERMEDIARY: ("name", "basis", "implementer", "standard"),
    ListKind.LICENSING: ("name", "basis", "implementer", "note"),
}

# Required for an entry of the kind (besides 事项名称, always required).
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    ListKind.POWERS: ("name", "category", "basis", "implementer"),
    ListKind.PUBLIC_SERVICES: ("name", "implementer"),
    ListKind.FEES: ("name", "basis", "standard"),
    ListKind.INTERMEDIARY: ("name", "basis"),
    ListKind.LICENSING: ("name", "basis", "implementer"),
}


def field_label(kind: str, name: str) -> str:
    """The column heading: 涉企收费清单 calls its 事项名称 "收费项目"."""
    if name == "name" and kind == ListKind.FEES:
        return "收费项目"
    if name == "basis" and kind == ListKind.FEES:
        return "收费依据"
    return FIELD_LABELS[name]


def kind_columns(kind: str) -> list[tuple[str, str]]:
    return [(name, field_label(kind, name)) for name in KIND_FIELDS[kind]]


def missing_fields(kind: str, values: dict[str, str]) -> list[str]:
    """The required columns of ``kind`` left empty in ``values`` (field names, in order)."""
    return [name for name in KIND_REQUIRED[kind] if not (values.get(name) or "").strip()]


def category_value(label: str) -> str | None:
    """``行政处罚`` or ``处罚`` → the stored value; None if it is no 权责清单 category."""
    label = (label or "").strip()
    for value, text in PowerCategory.choices:
        if label in (value, str(text)):
            return str(value)
    return None
