"""审查台账: reading, exporting and pruning the audit trail.

The audit trail is append-only (``AuditEntry`` refuses update and delete on an instance). It is
the 审查台账 every seed agency keeps and inspections ask for, so it must be filterable, export
to Excel, and be kept at least 180 days (issue 5 item 3); only ``audit_prune`` removes rows,
and it refuses a shorter retention.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.accounts.models import Role
from gongkai.accounts.selectors import organisation_ids_for_role
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record
from gongkai.core.text import book_title, chinese_date, spreadsheet_text

MIN_RETENTION_DAYS = 180

EXPORT_HEADERS = (
    "时间",
    "操作人",
    "操作",
    "对象类型",
    "对象编号",
    "对象名称",
    "所属机构",
    "详情",
    "IP地址",
)
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class LedgerFilter:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    action: str = ""
    actor: str = ""
    organisation_id: int | None = None
    target_type: str = ""


def ledger_scope(user: Any) -> set[int] | None:
    """Organisations whose rows ``user`` may read: 政务公开管理员 see their organisations (and
    those below with 含下级机构); superusers see everything (``None``)."""
    scope = organisation_ids_for_role(user, Role.ADMIN)
    if scope is not None and not scope:
        raise PermissionDenied(_("只有政务公开管理员可以查看审查台账"))
    return scope


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def ledger_entries(user: Any, filters: LedgerFilter) -> QuerySet[AuditEntry]:
    scope = ledger_scope(user)
    qs = AuditEntry.objects.select_related("organisation")
    if scope is not None:
        qs = qs.filter(organisation_id__in=scope)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.actor:
        qs = qs.filter(
            Q(actor_name__icontains=filters.actor) | Q(actor__username__iexact=filters.actor)
        )
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.target_type:
        qs = qs.filter(target_type__in=[filters.target_type, *_former_labels(filters.target_type)])
    return qs.order_by("-created_at", "-id")


# Audit rows are append-only, so rows written before issue 11 moved these models out of the
# review app keep their old label; the ledger reads and filters them under the new one.
MOVED_TARGET_TYPES = {
    "review.wordlistentry": "checks.wordlistentry",
    "review.errorreport": "oversight.errorreport",
    "review.inspectionrun": "oversight.inspectionrun",
    "review.disclosurereview": "oversight.disclosurereview",
    "review.article20category": "oversight.article20category",
}


def _former_labels(label_lower: str) -> list[str]:
    return [old for old, new in MOVED_TARGET_TYPES.items() if new == label_lower]


def target_type_label(label_lower: str) -> str:
    if not label_lower:
        return ""
    try:
        label_lower = MOVED_TARGET_TYPES.get(label_lower, label_lower)
        return str(apps.get_model(label_lower)._meta.verbose_name)
    except (LookupError, ValueError):
        return label_lower


def target_type_choices() -> list[tuple[str, str]]:
    """Every model that can appear as a target, by its Chinese name."""
    out = [(m._meta.label_lower, str(m._meta.verbose_name)) for m in apps.get_models()]
    out = [(value, label) for value, label in out if value.startswith("catalogue.")] + [
        (value, label)
        for value, label in out
        if value.split(".")[0]
        in (
            "policies",
            "review",
            "checks",
            "oversight",
            "accounts",
            "foi",
            "interaction",
            "reports",
            "workdays",
        )
    ]
    # Bookkeeping tables (number sequences, denormalised lookups) have no Chinese name and are
    # never the target of an audited action: an English model name in the filter is noise.
    out = [(value, label) for value, label in out if CJK.search(label)]
    return sorted(set(out), key=lambda pair: pair[0])


CJK = re.compile(r"[\u3400-\u9fff]")

# Labels of detail keys that are not fields of the target model (the model's own fields are
# named by their verbose_name, as the edit form names them).
DETAIL_LABELS: dict[str, Any] = {
    "changed": _lazy("修改字段"),
    "from": _lazy("原状态"),
    "to": _lazy("新状态"),
    "reason": _lazy("理由"),
    "comment": _lazy("意见"),
    "level": _lazy("审核级别"),
    "levels": _lazy("审核级数"),
    "date": _lazy("日期"),
    "days": _lazy("保留天数"),
    "before": _lazy("截止时间"),
    "deleted": _lazy("删除条数"),
    "index_number": _lazy("索引号"),
    "published_date": _lazy("发布日期"),
    "replaced_by": _lazy("替代文件"),
    "attachment_added": _lazy("上传附件"),
    "revision": _lazy("修订稿"),
    "revision_of": _lazy("修订的信息"),
    "revision_discarded": _lazy("作废的修订稿"),
    "approved_by": _lazy("终审人"),
    "sha256": "SHA-256",
    "size": _lazy("大小（字节）"),
    "kind": _lazy("类别"),
    "source": _lazy("来源"),
    "created": _lazy("新增"),
    "updated": _lazy("更新"),
    "unchanged": _lazy("未变"),
    "answer": _lazy("答复"),
    "category": _lazy("分类"),
    "suggestion": _lazy("建议改为"),
    "is_blocking": _lazy("阻止发布"),
    "body_html": _lazy("正文"),
    "blocking": _lazy("阻止发布的问题"),
    "override_reason": _lazy("强制通过理由"),
    "role": _lazy("角色"),
    "roles": _lazy("角色"),
    "organisation": _lazy("机构"),
    "user": _lazy("用户"),
    "username": _lazy("用户名"),
    "fields": _lazy("字段"),
    "count": _lazy("数量"),
    "year": _lazy("年度"),
    "status": _lazy("状态"),
    "outcome": _lazy("答复结果"),
    "event": _lazy("环节"),
    "note": _lazy("备注"),
    "content_kind": _lazy("内容类别"),
    "temporary_password": _lazy("管理员设置的临时密码（下次登录须修改）"),
    "change": _lazy("变更"),
    "review_level": _lazy("审核级别"),
    "include_descendants": _lazy("含下级机构"),
}

# Values written by services whose target model does not hold their choices (a role assignment
# is recorded on the user it concerns).
DETAIL_VALUES: dict[str, Any] = {
    "assign": _lazy("授予角色"),
    "revoke": _lazy("撤销角色"),
    **dict(Role.choices),
}

# The sentence of each action; {object} is the target, e.g. 政府信息《关于…的通知》.
ACTION_SENTENCES: dict[str, Any] = {
    "create": _lazy("创建了{object}"),
    "edit": _lazy("修改了{object}"),
    "submit": _lazy("将{object}提交审核"),
    "approve": _lazy("审核通过了{object}"),
    "return": _lazy("退回了{object}"),
    "publish": _lazy("发布了{object}"),
    "withdraw": _lazy("撤回了{object}"),
    "delete": _lazy("删除了{object}"),
    "override": _lazy("强制通过了{object}的检查"),
    "login": _lazy("登录了系统"),
    "login_failed": _lazy("登录失败"),
    "permission": _lazy("变更了{object}的权限"),
    "view_personal": _lazy("查看了{object}的个人信息"),
    "import": _lazy("导入了{object}"),
    "validity": _lazy("变更了{object}的有效性"),
    "transition": _lazy("变更了{object}的状态"),
}

# Targets that are documents take 书名号; people, organisations and the like take quotes.
DOCUMENT_APPS = frozenset({"catalogue", "policies", "reports", "participation", "guide"})


def _target_model(target_type: str) -> Any:
    try:
        return apps.get_model(MOVED_TARGET_TYPES.get(target_type, target_type))
    except (LookupError, ValueError):
        return None


def _field_labels(model: Any) -> dict[str, str]:
    if model is None:
        return {}
    return {
        f.name: str(f.verbose_name)
        for f in model._meta.get_fields()
        if getattr(f, "verbose_name", None)
    }


def _choice_labels(model: Any) -> dict[str, str]:
    from gongkai.core.status import ContentStatus

    labels = {str(value): str(label) for value, label in ContentStatus.choices}
    labels.update({value: str(label) for value, label in DETAIL_VALUES.items()})
    if model is not None:
        for f in model._meta.get_fields():
            for value, label in getattr(f, "choices", None) or ():
                labels.setdefault(str(value), str(label))
        status = next((f for f in model._meta.get_fields() if f.name == "status"), None)
        for value, label in getattr(status, "choices", None) or ():
            labels[str(value)] = str(label)  # 原状态/新状态 are the model's own statuses
    return labels


def _key_label(key: str, fields: dict[str, str], unknown: str = "") -> str:
    return fields.get(key) or str(DETAIL_LABELS.get(key) or unknown or _("其他"))


def _value_text(value: Any, choices: dict[str, str], fields: dict[str, str]) -> str:
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, list):
        return "、".join(_value_text(v, choices, fields) for v in value)
    if isinstance(value, dict):
        return "，".join(
            f"{_key_label(k, fields)}：{_value_text(v, choices, fields)}" for k, v in value.items()
        )
    if isinstance(value, str):
        if value in choices:
            return choices[value]
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            try:
                moment = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
            local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            return chinese_datetime(local)
        return chinese_date(day)
    return str(value)


def changed_field_names(detail: Any, target_type: str) -> list[str]:
    """The changed fields of an edit named as the form names them (the model's verbose_name)."""
    changed = detail.get("changed") if isinstance(detail, dict) else None
    if not isinstance(changed, list):
        return []
    fields = _field_labels(_target_model(target_type))
    # In the order of the form (the model's field order), not the alphabetical order stored.
    order = {name: i for i, name in enumerate(fields)}
    names = sorted(changed, key=lambda name: order.get(name, len(order)))
    return [_key_label(name, fields, unknown=str(name)) for name in names]


def detail_text(detail: Any, target_type: str = "", *, skip: tuple[str, ...] = ()) -> str:
    """The detail of an audit row in Chinese: 标签：值；… — field names by their verbose_name,
    status codes by their label, dates as 2026年3月1日; never JSON, never an English key."""
    if not detail or not isinstance(detail, dict):
        return ""
    model = _target_model(target_type)
    fields = _field_labels(model)
    choices = _choice_labels(model)
    parts = []
    for key, value in detail.items():
        if key in skip or value in (None, "", [], {}):
            continue
        if key == "changed" and isinstance(value, list):
            text = "、".join(changed_field_names(detail, target_type))
        else:
            text = _value_text(value, choices, fields)
        parts.append(f"{_key_label(key, fields)}：{text}")
    return "；".join(parts)


def chinese_datetime(moment: datetime.datetime) -> str:
    return f"{chinese_date(moment.date())} {moment:%H:%M}"


def audit_sentence(entry: AuditEntry, type_label: str | None = None) -> str:
    """One audit row as a sentence, e.g.
    张三于2026年11月3日 14:05修改了政府信息《…》的信息名称、发布日期。"""
    actor = entry.actor_name or _("系统")
    when = chinese_datetime(timezone.localtime(entry.created_at))
    if type_label is None:
        type_label = target_type_label(entry.target_type)
    label = entry.target_label
    if label and entry.target_type.split(".")[0] in DOCUMENT_APPS:
        label = book_title(label)
    elif label:
        label = f"“{label}”"
    target = f"{type_label}{label}" if entry.target_type else label
    template = str(ACTION_SENTENCES.get(entry.action, "{object}"))
    text = template.format(object=target or _("记录"))
    changed = changed_field_names(entry.detail, entry.target_type)
    if entry.action == AuditEntry.Action.EDIT and changed:
        text += _("的") + "、".join(changed)
    return _("%(actor)s于%(when)s%(what)s。") % {"actor": actor, "when": when, "what": text}


def entry_detail(entry: AuditEntry) -> str:
    """The details not already said by :func:`audit_sentence`."""
    skip = ("changed",) if entry.action == AuditEntry.Action.EDIT else ()
    return detail_text(entry.detail, entry.target_type, skip=skip)


def ledger_workbook(entries: QuerySet[AuditEntry]) -> bytes:
    """The 审查台账 as an .xlsx file with Chinese headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "审查台账"
    ws.append(list(EXPORT_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    labels = dict(AuditEntry.Action.choices)
    type_labels: dict[str, str] = {}
    for entry in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
        if entry.target_type not in type_labels:
            type_labels[entry.target_type] = target_type_label(entry.target_type)
        row = [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name or _("系统"),
            str(labels.get(entry.action, entry.action)),
            type_labels[entry.target_type],
            entry.target_id,
            entry.target_label,
            entry.organisation.name if entry.organisation else "",
            detail_text(entry.detail, entry.target_type),
            entry.ip_address or "",
        ]
        # Titles and names are typed by users: none may become a live formula in Excel.
        ws.append([spreadsheet_text(value) for value in row])
    for column, width in zip("ABCDEFGHI", (20, 14, 12, 16, 10, 40, 24, 60, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def audit_prune(*, days: int, acting_user: Any = None, now: datetime.datetime | None = None) -> int:
    """Delete audit rows older than ``days`` days (never fewer than 180), leaving a row that
    says so. A QuerySet delete: ``AuditEntry.delete()`` on one row is refused by design."""
    if days < MIN_RETENTION_DAYS:
        raise ValidationError(
            _("审计记录至少保留 %(min)d 天，不能只保留 %(days)d 天")
            % {"min": MIN_RETENTION_DAYS, "days": days}
        )
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        old = AuditEntry.objects.filter(created_at__lt=cutoff)
        count = old.count()
        if count:
            old._raw_delete(old.db)  # no cascades point at AuditEntry; skip the collector
        audit_record(
            action=AuditEntry.Action.DELETE,
            acting_user=acting_user,
            target_label=_("清理审计记录"),
            detail={"days": days, "before": cutoff.isoformat(), "deleted": count},
        )
    return count
