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
        SEARCH = "search", _("保存的检索条件")

    class Delivery(models.TextChoices):
        INBOX = "inbox", _("仅站内推送")
        IMMEDIATE = "immediate", _("即时邮件")
        DAILY = "daily", _("每日邮件摘要")
        WEEKLY = "weekly", _("每周邮件摘要")

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
    # A saved search (kind SEARCH) keeps its conditions in ``SavedSearchValue`` rows, every
    # value of every facet (OR within a facet, AND across facets, like the library); the
    # single-value columns above stay empty for it. ``facet_count`` is how many facets it
    # names (the matching query compares it with the facets an item satisfies), ``label`` the
    # conditions in words as saved, ``query`` the library's querystring to link back to it.
    query = models.CharField(_("检索条件"), max_length=500, blank=True)
    facet_count = models.PositiveSmallIntegerField(_("检索条件个数"), default=0)
    label = models.CharField(_("检索条件说明"), max_length=300, blank=True)
    delivery = models.CharField(
        _("推送方式"), max_length=10, choices=Delivery.choices, default=Delivery.INBOX
    )
    # Mail covers the entries written from this moment on (set when the delivery changes), so
    # choosing e-mail never mails the inbox's past.
    mail_since = models.DateTimeField(null=True, blank=True)
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
            models.Index(fields=["delivery"], name="sub_delivery_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target_label}"

    @property
    def target_label(self) -> str:
        if self.kind == self.Kind.SEARCH:
            return self.label or str(_("全部政策"))
        target = {
            self.Kind.TOPIC: self.topic,
            self.Kind.AUDIENCE: self.audience,
            self.Kind.ORGANISATION: self.organisation,
            self.Kind.POLICY: self.policy,
        }.get(self.Kind(self.kind))
        if target is not None:
            return str(target)
        return self.keyword or self.policy_kind_label

    @property
    def query_path(self) -> str:
        """The saved search's page on this site (never another site's address)."""
        query = self.query or ""
        return query if query.startswith("/") and not query.startswith("//") else ""

    @property
    def policy_kind_label(self) -> str:
        from gongkai.catalogue.models import PolicyKind

        if not self.policy_kind:
            return ""
        return str(dict(PolicyKind.choices).get(self.policy_kind, self.policy_kind))


class SavedSearchValue(models.Model):
    """One value of one facet of a saved search (kind SEARCH): 主题 and 服务对象 and 发布机构 by
    id, 文件类型 by its value, the keyword as text. A value whose topic or organisation was later
    deleted stays and matches nothing, so deleting a topic never widens anyone's search."""

    class Facet(models.TextChoices):
        TOPIC = "topic", _("政策主题")
        AUDIENCE = "audience", _("服务对象")
        ORGANISATION = "organisation", _("发布机构")
        POLICY_KIND = "policy_kind", _("文件类型")
        KEYWORD = "keyword", _("关键词")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="search_values"
    )
    facet = models.CharField(_("检索维度"), max_length=20, choices=Facet.choices)
    value = models.CharField(_("取值"), max_length=50)

    class Meta:
        verbose_name = _("检索条件取值")
        verbose_name_plural = _("检索条件取值")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "facet", "value"], name="saved_search_value_once"
            )
        ]
        # The matching query looks values up by (facet, value); the keyword rows by facet.
        indexes = [models.Index(fields=["facet", "value"], name="saved_search_value_idx")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class InboxEntry(models.Model):
    """A publication pushed to an account's 个人中心 inbox, once per account, item and event."""

    class Event(models.TextChoices):
        PUBLISHED = "published", _("新发布")
        VALIDITY = "validity", _("失效、废止或修改")
        NOTICE = "notice", _("工作人员通知")
        CORRECTED = "corrected", _("实质性修改")

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
    # The subscription that caused the entry (its delivery choice decides the e-mail); empty
    # for 政策找人 and staff notices, which stay in the inbox.
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    created_at = models.DateTimeField(_("推送时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内推送")
        verbose_name_plural = _("站内推送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "item", "event"],
                # Each substantive correction is news of its own (one per revision applied).
                condition=models.Q(item__isnull=False) & ~models.Q(event="corrected"),
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

    @property
    def title(self) -> str:
        if self.item_id and self.item is not None:
            return self.item.title
        return self.interpretation.title if self.interpretation is not None else ""


class MailAddress(models.Model):
    """The e-mail address an account receives subscription mail at (double opt-in): used only
    once ``confirmed_at`` is set by the signed link mailed to it, and not while bounced."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_address"
    )
    email = models.EmailField(_("电子邮箱"), db_index=True)
    requested_at = models.DateTimeField(_("申请时间"), auto_now=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("退信时间"), null=True, blank=True)
    bounce_reason = models.CharField(_("退信原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("订阅邮箱")
        verbose_name_plural = _("订阅邮箱")

    def __str__(self) -> str:
        return self.email

    @property
    def usable(self) -> bool:
        return self.confirmed_at is not None and self.bounced_at is None


class Delivery(models.Model):
    """One inbox entry mailed for one subscription (immediately or in a digest). The unique
    pair is what makes a re-run or a resumed digest run send each entry exactly once."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    entry = models.ForeignKey(InboxEntry, on_delete=models.CASCADE, related_name="deliveries")
    mode = models.CharField(_("推送方式"), max_length=10, choices=Subscription.Delivery.choices)
    email = models.EmailField(_("电子邮箱"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("邮件发送记录")
        verbose_name_plural = _("邮件发送记录")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "entry"], name="delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}:{self.entry_id}"


class SubstantiveCorrection(models.Model):
    """Staff marked an open 修订稿 as a 实质性修改: when it is applied its subscribers are told.
    A correction without this mark is announced to nobody."""

    revision = models.OneToOneField(
        "catalogue.InformationItem", on_delete=models.CASCADE, related_name="+"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    announced_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("实质性修改标记")
        verbose_name_plural = _("实质性修改标记")

    def __str__(self) -> str:
        return str(self.revision_id)
