"""The one publishable base (issue 11, ADR 0006): what every drafted, reviewed and published
kind of content shares, so a new kind inherits it instead of copying it.

``Publishable`` carries the one status (``core.status.ContentStatus``), the 发布日期 and who
drafted it; ``Revisable`` adds the 修订稿 link of ADR 0005 (a working copy of published content
whose approval replaces the live content). The kinds keep their own verbose names, indexes and
the fields only some of them have (定时发布时间 and 公开属性 on information items) by
overriding or adding fields; the stored columns and values are those the kinds always had.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import TimeStampedModel
from .status import ContentStatus


class Publishable(TimeStampedModel):
    """Content that goes 草稿 → 审核中 → 已通过 → 已发布 (→ 已撤回) through the review chain."""

    # The one status enum, reachable as ``<Model>.Status`` for every publishable kind.
    Status = ContentStatus

    status = models.CharField(
        _("状态"), max_length=20, choices=ContentStatus.choices, default=ContentStatus.DRAFT
    )
    published_date = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == ContentStatus.PUBLISHED


class Revisable(Publishable):
    """Publishable content corrected through a 修订稿 (ADR 0005): a row of the same model with
    ``revision_of`` set, reviewed like any draft, closed when applied or discarded."""

    revision_of = models.ForeignKey(
        "self",
        verbose_name=_("修订的内容"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    revision_closed_at = models.DateTimeField(
        _("修订稿关闭时间"), null=True, blank=True, editable=False
    )
    # The FK's column, set by Django (the type checker does not see it on an abstract model).
    revision_of_id: int | None

    class Meta:
        abstract = True

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    @property
    def is_open_revision(self) -> bool:
        return self.revision_of_id is not None and self.revision_closed_at is None
