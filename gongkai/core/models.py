"""Shared kernel tables: the append-only audit trail, and the shape of a process's event log."""

import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> Any:  # Django's name and hook
        """``get_<field>_display()`` without rebuilding the choices table on every call.

        Django makes ``dict(make_hashable(field.flatchoices))`` each time; a list page calls
        it for every row and column (文件类型, 有效性…), and it was a tenth of the policy
        library's CPU (issue 17). Fixed choices are built once per field; the labels stay
        lazy, so the active language still decides the text. Callable choices (read when
        used) keep Django's way."""
        choices = field.choices
        if not isinstance(choices, list | tuple):
            return super()._get_FIELD_display(field)  # type: ignore[misc]  # Django's own
        labels = field.__dict__.get("_gk_display_labels")
        if labels is None:
            labels = dict(make_hashable(field.flatchoices))
            field.__dict__["_gk_display_labels"] = labels
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a JSON list or dict)
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)


class ProcessEvent(models.Model):
    """One step in the life of a handled request (an 依申请公开 case, a 留言): the date the step
    counts from (not the moment it was typed — deadlines run from it), who took it, what it
    carried. Subclasses add the owner's foreign key and their ``type`` choices."""

    date = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name at the time: the account may be renamed or deleted, the record may not change.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @classmethod
    def record(
        cls,
        *,
        type_: str,
        on: datetime.date,
        acting_user: Any = None,
        note: str = "",
        data: dict | None = None,
        **owner: Any,
    ) -> Self:
        """Write the event; an anonymous applicant's own step has no actor."""
        actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
        return cls.objects.create(  # type: ignore[attr-defined]  # concrete subclasses have a manager
            type=type_,
            date=on,
            actor=actor,
            actor_name=(actor.get_full_name() if actor else ""),
            note=note,
            data=data or {},
            **owner,
        )


class AuditEntry(models.Model):
    """One row per state change or sensitive read; written in the same transaction as the change.

    Rows are never updated or deleted by the application (the model refuses it), so the trail
    can serve as the 审查台账 that inspections ask for.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        EDIT = "edit", _("编辑")
        SUBMIT = "submit", _("提交审核")
        APPROVE = "approve", _("审核通过")
        RETURN = "return", _("退回")
        PUBLISH = "publish", _("发布")
        WITHDRAW = "withdraw", _("撤回")
        DELETE = "delete", _("删除")
        OVERRIDE = "override", _("强制通过")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        PERMISSION = "permission", _("权限变更")
        VIEW_PERSONAL = "view_personal", _("查看个人信息")
        IMPORT = "import", _("导入")
        VALIDITY = "validity", _("有效性变更")
        TRANSITION = "transition", _("状态变更")

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_label = models.CharField(_("对象名称"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("审计记录只能追加，不能删除")
