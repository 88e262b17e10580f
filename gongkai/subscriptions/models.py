"""Subscriptions (订阅) and the personal-centre inbox (站内推送), issue 14."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """One subscription of an account: a 主题, 服务对象, 发布机构, 文件类型, a keyword, or a single
    policy (its interpretations). Exactly the field of its ``kind`` is set."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("政策主题")
        AUDIENCE = "audience", _("服务对象")
        ORGANISATION = "organisation", _("发布机构")
        POLICY_KIND = "policy_kind", _("文件类型")
        KEYWORD = "keyword", _("关键词")
        POLICY = "policy", _("单项政策")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(_("订阅类型"), max_length=20, choices=Kind.choices)
    topic = models.ForeignKey(
        "catalogue.TopicCategory", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.ForeignKey(
        "catalogue.Audience", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    policy_kind = models.CharField(_("文件类型"), max_length=20, blank=True)
    keyword = models.CharField(_("关键词"), max_length=50, blank=True)
    policy = models.ForeignKey(
        "catalogue.InformationItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)
    # The private Atom feed's secret address (/subscriptions/feed/<token>/).
    feed_token = models.CharField(
        max_length=43, unique=True, default=new_feed_token, editable=False
    )

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "topic"], name="sub_topic_idx"),
            models.Index(fields=["kind", "audience"], name="sub_audience_idx"),
            models.Index(fields=["kind", "organisation"], name="sub_org_idx"),
            models.Index(fields=["kind", "policy_kind"], name="sub_policy_kind_idx"),
            models.Index(fields=["kind", "policy"], name="sub_policy_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target_label}"

    @property
    def target_label(self) -> str:
        target = {
            self.Kind.TOPIC: self.topic,
            self.Kind.AUDIENCE: self.audience,
            self.Kind.ORGANISATION: self.organisation,
            self.Kind.POLICY: self.policy,
        }.get(self.Kind(self.kind))
        if target is not None:
            return str(target)
        return self.keyword or self.policy_kind


class InboxEntry(models.Model):
    """A publication pushed to an account's 个人中心 inbox, once per account, item and event."""

    class Event(models.TextChoices):
        PUBLISHED = "published", _("新发布")
        VALIDITY = "validity", _("失效、废止或修改")
        NOTICE = "notice", _("工作人员通知")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_entries"
    )
    item = models.ForeignKey(
        "catalogue.InformationItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    interpretation = models.ForeignKey(
        "policies.Interpretation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(
        _("事件"), max_length=20, choices=Event.choices, default=Event.PUBLISHED
    )
    reason = models.CharField(_("推送原因"), max_length=300)
    created_at = models.DateTimeField(_("推送时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内推送")
        verbose_name_plural = _("站内推送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "event"],
                condition=models.Q(item__isnull=False),
                name="inbox_one_per_item",
            ),
            models.UniqueConstraint(
                fields=["user", "interpretation"],
                condition=models.Q(interpretation__isnull=False),
                name="inbox_one_per_interpretation",
            ),
        ]

    def __str__(self) -> str:
        return self.reason
