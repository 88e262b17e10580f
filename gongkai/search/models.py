"""The search change log: one row per content change, written in the change's own transaction.

Every app server keeps its own embedded index and replays this log from the last id it applied
(see docs/adr/0002-search-engine.md), so a change committed through one process is found by
every other process without a search server.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchChange(models.Model):
    class Op(models.TextChoices):
        UPSERT = "upsert", _("更新")
        DELETE = "delete", _("删除")

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(_("文档键"), max_length=64)
    op = models.CharField(_("操作"), max_length=10, choices=Op.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("搜索变更记录")
        verbose_name_plural = _("搜索变更记录")

    def __str__(self) -> str:
        return f"{self.id} {self.op} {self.key}"


class DatabaseIdentity(models.Model):
    """One row (pk 1): a random identity of this database, stamped into every search index
    built from it. An index directory whose stamp differs was built from another database
    and is rebuilt before it answers (docs/adr/0002-search-engine.md, addendum 3)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    uuid = models.UUIDField(_("数据库标识"), default=uuid.uuid4)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据库标识")
        verbose_name_plural = _("数据库标识")

    def __str__(self) -> str:
        return str(self.uuid)
