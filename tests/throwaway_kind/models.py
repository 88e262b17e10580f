"""A 公告 (notice): the smallest publishable content — organisation, title, body. Status, 发布日期,
author and timestamps come from the one publishable base (``core.publishable``)."""

from django.db import models

from gongkai.core.publishable import Publishable


class Notice(Publishable):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)

    def __str__(self) -> str:
        return self.title
