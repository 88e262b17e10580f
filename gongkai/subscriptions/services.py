"""Writes of subscriptions and the inbox (issue 14).

Delivery is driven by the content hook ``content_published`` (ADR 0006), sent after the
publishing transaction commits — so imports (``import_documents``, which publishes nothing
through the chain) are announced to nobody, and a 修订稿 applied to a published item (a
correction) is not announced either. Finding the subscribers of an item is one query
(``selectors.subscriptions_for_item``), not a loop over subscribers."""

import datetime
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.models import InformationItem, PolicyKind
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from . import mail
from .models import (
    Delivery,
    InboxEntry,
    MailAddress,
    SavedSearchValue,
    Subscription,
    SubstantiveCorrection,
)
from .selectors import MAX_SEARCH_VALUES, subscriptions_for_item

SEARCH_FIELDS = ("topic", "audience", "organisation", "policy_kind", "keyword")

TARGET_FIELDS = (
    "kind", "topic_id", "audience_id", "organisation_id", "policy_kind", "keyword", "label",
)  # fmt: skip

KIND_FIELD = {
    Subscription.Kind.TOPIC: "topic",
    Subscription.Kind.AUDIENCE: "audience",
    Subscription.Kind.ORGANISATION: "organisation",
    Subscription.Kind.POLICY_KIND: "policy_kind",
    Subscription.Kind.KEYWORD: "keyword",
    Subscription.Kind.POLICY: "policy",
}


@transaction.atomic
def subscription_create(
    *, user: Any, kind: str, target: Any, acting_user: Any, delivery: str = "inbox"
) -> Subscription:
    """Subscribe ``user`` to ``target`` (a TopicCategory, Audience, Organisation, 文件类型 value,
    keyword or policy InformationItem, as ``kind`` says; for a saved search a dict of those
    fields — each a list of every chosen value, or one value — plus ``query``); an identical
    one is returned as is."""
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("只能管理自己的订阅。"))
    if delivery not in Subscription.Delivery.values:
        raise ValidationError(_("推送方式不正确。"))
    if kind == Subscription.Kind.SEARCH:
        return _saved_search_create(user=user, facets=target, delivery=delivery)
    if kind not in KIND_FIELD:
        raise ValidationError(_("订阅类型不正确。"))
    name = KIND_FIELD[Subscription.Kind(kind)]
    if name == "keyword":
        target = (target or "").strip()
        if not 1 <= len(target) <= 50:
            raise ValidationError(_("关键词应为1至50个字。"))
    if name == "policy_kind" and target not in [v for v in PolicyKind.values if v]:
        raise ValidationError(_("文件类型不正确。"))
    if target is None or target == "":
        raise ValidationError(_("请选择要订阅的内容。"))
    existing = Subscription.objects.filter(user=user, kind=kind, **{name: target}).first()
    if existing is not None:
        return existing
    subscription = Subscription.objects.create(
        user=user, kind=kind, delivery=delivery, mail_since=timezone.now(), **{name: target}
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=subscription,
        detail={"kind": kind},
    )
    return subscription


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None and v != ""]
    return [value]


def saved_search_label(values: dict[str, list[Any]]) -> str:
    """The conditions in words, facet by facet: “政策主题：A、B；关键词：补贴”."""
    parts = []
    for facet in SavedSearchValue.Facet:
        shown = [
            str(dict(PolicyKind.choices).get(v, v)) if facet == "policy_kind" else str(v)
            for v in values.get(facet.value, [])
        ]
        if shown:
            parts.append(f"{facet.label}：{'、'.join(shown)}")
    return "；".join(parts)[:300]


def _saved_search_create(*, user: Any, facets: dict[str, Any], delivery: str) -> Subscription:
    """A saved search of the policy library, search page or personal centre: every value of
    each facet is kept (OR within a facet), and every facet it names must hold (AND)."""
    values = {name: _as_list(facets.get(name)) for name in SEARCH_FIELDS}
    values["keyword"] = [w for w in [str(facets.get("keyword") or "").strip()[:50]] if w]
    bad_kinds = [k for k in values["policy_kind"] if k not in PolicyKind.values]
    if bad_kinds:
        raise ValidationError(_("文件类型不正确：%(v)s。") % {"v": "、".join(map(str, bad_kinds))})
    for facet in SavedSearchValue.Facet:
        if len(values[facet.value]) > MAX_SEARCH_VALUES:
            raise ValidationError(
                _("“%(facet)s”最多选择%(n)d项。") % {"facet": facet.label, "n": MAX_SEARCH_VALUES}
            )
    if not any(values.values()):
        raise ValidationError(
            _("请先选择检索条件（主题、服务对象、发布机构、文件类型或关键词）再订阅。")
        )
    rows = {(facet, str(getattr(v, "pk", v))) for facet, chosen in values.items() for v in chosen}
    kind = Subscription.Kind.SEARCH
    saved: dict[int, set[tuple[str, str]]] = {}
    for sub_id, name, value in SavedSearchValue.objects.filter(
        subscription__user=user, subscription__kind=kind
    ).values_list("subscription_id", "facet", "value"):
        saved.setdefault(sub_id, set()).add((name, value))
    for sub_id, pairs in saved.items():
        if pairs == rows:
            return Subscription.objects.get(pk=sub_id)
    subscription = Subscription.objects.create(
        user=user,
        kind=kind,
        delivery=delivery,
        mail_since=timezone.now(),
        query=str(facets.get("query") or "")[:500],
        facet_count=sum(1 for chosen in values.values() if chosen),
        label=saved_search_label(values),
    )
    SavedSearchValue.objects.bulk_create(
        [
            SavedSearchValue(subscription=subscription, facet=facet, value=str(getattr(v, "pk", v)))
            for facet, chosen in values.items()
            for v in chosen
        ]
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=user,
        target=subscription,
        detail={"kind": kind, "query": subscription.query, "values": sorted(map(list, rows))},
    )
    return subscription


@transaction.atomic
def subscription_set_delivery(
    *, subscription: Subscription, delivery: str, acting_user: Any
) -> None:
    """Choose how a subscription is delivered: inbox only, e-mail at once, daily or weekly."""
    if subscription.user_id != acting_user.pk:
        raise PermissionDenied(_("只能管理自己的订阅。"))
    if delivery not in Subscription.Delivery.values:
        raise ValidationError(_("推送方式不正确。"))
    if delivery == subscription.delivery:
        return
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=subscription,
        detail={"delivery": [subscription.delivery, delivery]},
    )
    subscription.delivery = delivery
    subscription.mail_since = timezone.now()
    subscription.save(update_fields=["delivery", "mail_since"])


@transaction.atomic
def subscription_delete(*, subscription: Subscription, acting_user: Any) -> None:
    if subscription.user_id != acting_user.pk:
        raise PermissionDenied(_("只能管理自己的订阅。"))
    audit_record(
        action=AuditEntry.Action.DELETE,
        acting_user=acting_user,
        target=subscription,
        detail={"unsubscribed": subscription.kind},
    )
    subscription.delete()


def inbox_deliver_item(item: InformationItem) -> int:
    """Push a newly published public item to its subscribers and to the 政策找人 profiles it
    matches today; once per account (later reasons do not add a second entry)."""
    from gongkai.policies.selectors import qualified_profile_user_ids

    if not item.is_public or item.revision_of_id:
        return 0
    reasons: dict[int, tuple[str, int | None]] = {}
    # Plain rows, not model objects, and one wording per distinct target: a publication may
    # answer tens of thousands of subscriptions but only a handful of different targets (its
    # 主题, 服务对象, 发布机构, …), so the reasons cost a few lookups, not one per subscriber.
    worded: dict[tuple[Any, ...], str] = {}
    for user_id, sub_id, *target in subscriptions_for_item(item).values_list(
        "user_id", "id", *TARGET_FIELDS
    ):
        if user_id in reasons:
            continue
        key = tuple(target)
        if key not in worded:
            subscription = Subscription(**dict(zip(TARGET_FIELDS, target, strict=True)))
            worded[key] = _("您订阅的%(what)s") % {"what": str(subscription)}
        reasons[user_id] = (worded[key], sub_id)
    for user_id in qualified_profile_user_ids(item, timezone.localdate()):
        reasons.setdefault(user_id, (_("政策找人：符合您的企业档案"), None))
    entries = [
        InboxEntry(user_id=u, item=item, reason=r[:300], subscription_id=sub)
        for u, (r, sub) in reasons.items()
    ]
    InboxEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    _mail_immediate_schedule()
    return len(entries)


def _mail_immediate_schedule() -> None:
    """Hand the immediate e-mails to the job consumer (inline in the tests' immediate Huey)."""
    from .tasks import mail_immediate

    mail_immediate()


def inbox_deliver_interpretation(interpretation: Any) -> int:
    """A new 政策解读 reaches the subscribers of each policy it explains."""
    policy_ids = list(interpretation.policies.values_list("id", flat=True))
    first: dict[int, int] = {}
    for user_id, sub_id in (
        Subscription.objects.filter(kind=Subscription.Kind.POLICY, policy_id__in=policy_ids)
        .values_list("user_id", "id")
        .order_by("user_id", "id")
    ):
        first.setdefault(user_id, sub_id)
    entries = [
        InboxEntry(
            user_id=u,
            interpretation=interpretation,
            reason=_("您订阅的政策有新的解读"),
            subscription_id=sub,
        )
        for u, sub in first.items()
    ]
    InboxEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    _mail_immediate_schedule()
    return len(entries)


def on_content_published(sender: Any, instance: Any, kind: str, **kwargs: Any) -> None:
    """The ``content_published`` receiver (connected in ``SubscriptionsConfig.ready``)."""
    if kind == "item":
        from .tasks import inbox_deliver

        inbox_deliver(instance.pk)
    elif kind == "interpretation":
        inbox_deliver_interpretation(instance)


@transaction.atomic
def inbox_mark_read(*, user: Any, acting_user: Any) -> int:
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("只能管理自己的站内推送。"))
    return InboxEntry.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def validity_change_notify(*, item: InformationItem, validity: str) -> None:
    """Repeal propagation (issue 14 item 5): a public policy that stops being 有效 tells its
    single-policy subscribers and the 政策找人 profiles it matched. Called by
    ``catalogue.item_set_validity`` inside its transaction *before* the change (the profiles
    are found while the policy still matches); the entries are written after commit."""
    from gongkai.policies.selectors import qualified_profile_user_ids

    if (
        validity == InformationItem.Validity.VALID
        or item.validity != InformationItem.Validity.VALID
        or not item.is_public
    ):
        return
    users = set(
        Subscription.objects.filter(kind=Subscription.Kind.POLICY, policy=item).values_list(
            "user_id", flat=True
        )
    )
    users.update(qualified_profile_user_ids(item, timezone.localdate()))
    if not users:
        return
    reason = _("您关注的政策已%(state)s") % {"state": InformationItem.Validity(validity).label}

    def write() -> None:
        InboxEntry.objects.bulk_create(
            [
                InboxEntry(user_id=u, item=item, event=InboxEntry.Event.VALIDITY, reason=reason)
                for u in sorted(users)
            ],
            ignore_conflicts=True,
        )

    transaction.on_commit(write)


@transaction.atomic
def profiles_notice_push(*, item: InformationItem, message: str, acting_user: Any) -> int:
    """Staff push a notice about a policy to the 政策找人 profiles it matches today (issue 14
    item 3); they never see who those are — the audit row keeps only the count. One notice per
    policy and account (a second push reaches only profiles that qualified since)."""
    from gongkai.accounts.models import Role
    from gongkai.accounts.selectors import user_has_role
    from gongkai.policies.selectors import qualified_profile_user_ids

    if not user_has_role(acting_user, item.organisation, Role.EDITOR, Role.ADMIN):
        raise PermissionDenied(
            _("您没有在“%(org)s”办理此项操作的权限。") % {"org": item.organisation}
        )
    message = (message or "").strip()
    if not 1 <= len(message) <= 200:
        raise ValidationError(_("通知内容应为1至200个字。"))
    users = qualified_profile_user_ids(item, timezone.localdate())
    created = InboxEntry.objects.bulk_create(
        [
            InboxEntry(user_id=u, item=item, event=InboxEntry.Event.NOTICE, reason=message)
            for u in users
        ],
        ignore_conflicts=True,
    )
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=item,
        detail={"profiles_notice": message, "profiles": len(users)},
    )
    return len(created)


# ---------------------------------------------------------------------------------------------
# E-mail: double opt-in, one-click unsubscribe, bounces, immediate mail and digests
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def mail_address_request(*, user: Any, email: str, acting_user: Any) -> MailAddress:
    """Ask to receive subscription mail at ``email``: the address is stored unconfirmed (a
    bounced one too — re-confirming is how it is used again) and a signed link is mailed to it
    (after commit). Nothing is mailed to it otherwise until the link is opened."""
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("只能管理自己的订阅邮箱。"))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("电子邮箱格式不正确。")) from None
    address, _created = MailAddress.objects.select_for_update().get_or_create(
        user=user, defaults={"email": email}
    )
    address.email = email
    address.confirmed_at = None
    address.save()
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=address,
        detail={"mail_address": "requested"},
    )
    message = mail.confirm_message(user_id=user.pk, email=email)
    transaction.on_commit(message.send)
    return address


@transaction.atomic
def mail_address_confirm(*, token: str) -> MailAddress:
    """The confirmation link (no login needed: the signature is the proof). Refused when it is
    expired, altered, or names an address the account no longer asks for."""
    try:
        data = mail.confirm_token_load(token)
    except signing.SignatureExpired:
        raise ValidationError(_("确认链接已过期，请在个人中心重新发送确认邮件。")) from None
    except signing.BadSignature:
        raise ValidationError(_("确认链接无效。")) from None
    address = (
        MailAddress.objects.select_for_update().filter(user_id=data["u"], email=data["e"]).first()
    )
    if address is None:
        raise ValidationError(_("确认链接已失效：该邮箱不是您当前申请的订阅邮箱。"))
    if address.confirmed_at is None or address.bounced_at is not None:
        address.confirmed_at = timezone.now()
        address.bounced_at = None
        address.bounce_reason = ""
        address.save(update_fields=["confirmed_at", "bounced_at", "bounce_reason"])
        audit_record(
            action=AuditEntry.Action.EDIT,
            acting_user=address.user,
            target=address,
            detail={"mail_address": "confirmed"},
        )
    return address


def unsubscribe_subscription(token: str) -> Subscription:
    """The subscription a one-click unsubscribe link names (``ValidationError`` if none)."""
    try:
        pk = mail.unsubscribe_token_load(token)
    except signing.BadSignature:
        raise ValidationError(_("退订链接无效。")) from None
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise ValidationError(_("该订阅已取消。"))
    return subscription


@transaction.atomic
def subscription_unsubscribe_mail(*, token: str) -> Subscription:
    """One-click unsubscribe (RFC 8058): the signed link in every mail stops that
    subscription's e-mail; the subscription stays in the personal centre's inbox."""
    subscription = unsubscribe_subscription(token)
    if subscription.delivery != Subscription.Delivery.INBOX:
        audit_record(
            action=AuditEntry.Action.EDIT,
            target=subscription,
            detail={"delivery": [subscription.delivery, "inbox"], "one_click": True},
        )
        subscription.delivery = Subscription.Delivery.INBOX
        subscription.save(update_fields=["delivery"])
    return subscription


@transaction.atomic
def mail_bounces_record(*, rows: list[tuple[str, str]], acting_user: Any) -> dict[str, Any]:
    """Mark the addresses that bounced (from the mail server's report): no subscription mail
    reaches them until their owner confirms an address again. Unknown addresses are listed."""
    now = timezone.now()
    marked, unknown = 0, []
    for email, reason in rows:
        email = email.strip().lower()
        count = MailAddress.objects.filter(email=email).update(
            bounced_at=now, bounce_reason=(reason or _("退信"))[:200]
        )
        if count:
            marked += count
        else:
            unknown.append(email)
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target_label=_("订阅邮箱退信"),
        detail={"bounced": marked, "unknown": len(unknown)},
    )
    return {"marked": marked, "unknown": unknown}


def digest_cutoff(mode: str, now: datetime.datetime) -> datetime.datetime:
    """Where a run's period ends, in China time: a daily digest covers entries before today's
    00:00, a weekly one those before this week's Monday 00:00 (later ones wait for the next)."""
    if mode == Subscription.Delivery.IMMEDIATE:
        return now
    today = timezone.localdate(now)
    if mode == Subscription.Delivery.WEEKLY:
        today -= datetime.timedelta(days=today.weekday())
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(0, 0)))


def mail_send_due(*, mode: str, now: datetime.datetime | None = None) -> int:
    """Mail what is due for every ``mode`` subscription with a confirmed, unbounced address:
    one mail per entry (immediate) or one digest per subscription. Each mail is sent inside
    the transaction that records its ``Delivery`` rows, so a failed send records nothing and a
    re-run (or a run after an interruption) sends exactly the entries not yet sent. Returns the
    number of mails sent."""
    now = now or timezone.now()
    cutoff = digest_cutoff(mode, now)
    sent = Delivery.objects.filter(entry=OuterRef("pk"), subscription=OuterRef("subscription"))
    pending = (
        InboxEntry.objects.filter(
            subscription__delivery=mode,
            user__mail_address__confirmed_at__isnull=False,
            user__mail_address__bounced_at__isnull=True,
        )
        .filter(
            Q(subscription__mail_since__isnull=True)
            | Q(created_at__gte=F("subscription__mail_since"))
        )
        .filter(~Exists(sent))
        .select_related("item", "interpretation", "subscription", "user__mail_address")
        .order_by("subscription_id", "created_at", "id")
    )
    if mode != Subscription.Delivery.IMMEDIATE:
        pending = pending.filter(created_at__lt=cutoff)
    batches: dict[int, list[InboxEntry]] = {}
    for entry in pending:
        batches.setdefault(entry.subscription_id or 0, []).append(entry)
    mails = 0
    for entries in batches.values():
        groups = [[e] for e in entries] if mode == Subscription.Delivery.IMMEDIATE else [entries]
        for group in groups:
            mails += _mail_batch(group, mode)
    return mails


def _mail_batch(entries: list[InboxEntry], mode: str) -> int:
    subscription = entries[0].subscription
    assert subscription is not None  # the query selects entries of a subscription
    email = entries[0].user.mail_address.email
    try:
        with transaction.atomic():
            Delivery.objects.bulk_create(
                [Delivery(subscription=subscription, entry=e, mode=mode, email=email)
                 for e in entries]
            )  # fmt: skip
            mail.subscription_message(
                subscription=subscription, email=email, entries=entries, mode=mode
            ).send()
    except IntegrityError:
        return 0  # a concurrent run recorded (and sent) these entries first
    return 1


def item_correction_announce(*, item: InformationItem) -> int:
    """A substantive correction (实质性修改, marked by staff when the 修订稿 is applied): the
    live item's subscribers and single-policy subscribers hear of it. Only ever called for a
    marked correction — an unmarked correction is announced to nobody."""
    if not item.is_public:
        return 0
    first: dict[int, int] = {}
    for subscription in subscriptions_for_item(item):
        first.setdefault(subscription.user_id, subscription.pk)
    for user_id, sub_id in Subscription.objects.filter(
        kind=Subscription.Kind.POLICY, policy=item
    ).values_list("user_id", "id"):
        first.setdefault(user_id, sub_id)
    reason = _("您订阅的信息有实质性修改")
    InboxEntry.objects.bulk_create(
        [
            InboxEntry(
                user_id=u,
                item=item,
                event=InboxEntry.Event.CORRECTED,
                reason=reason,
                subscription_id=sub,
            )
            for u, sub in sorted(first.items())
        ]
    )
    _mail_immediate_schedule()
    return len(first)


@transaction.atomic
def correction_mark(*, revision: InformationItem, substantive: bool, acting_user: Any) -> bool:
    """Staff tick (or untick) "实质性修改，通知订阅者" on an open 修订稿 (issue 14): only a marked
    revision, once applied, is announced to the item's subscribers."""
    from gongkai.accounts.models import Role
    from gongkai.accounts.selectors import user_has_role

    if not user_has_role(acting_user, revision.organisation, Role.EDITOR, Role.ADMIN):
        raise PermissionDenied(
            _("您没有在“%(org)s”办理此项操作的权限。") % {"org": revision.organisation}
        )
    if not revision.revision_of_id or revision.revision_closed_at is not None:
        raise ValidationError(_("只有未关闭的修订稿可以标记为实质性修改。"))
    existing = SubstantiveCorrection.objects.filter(revision=revision).first()
    if substantive == (existing is not None):
        return substantive
    if substantive:
        SubstantiveCorrection.objects.create(revision=revision, marked_by=acting_user)
    elif existing is not None:
        existing.delete()
    audit_record(
        action=AuditEntry.Action.EDIT,
        acting_user=acting_user,
        target=revision,
        detail={"substantive_correction": substantive},
    )
    return substantive


def correction_marked(revision: InformationItem) -> bool:
    return SubstantiveCorrection.objects.filter(revision=revision).exists()


def revision_applied(*, revision: InformationItem, live: InformationItem) -> bool:
    """Called by ``catalogue.item_revision_apply`` inside its transaction: a revision marked as
    substantive announces the corrected item after commit; an unmarked one, nobody."""
    updated = SubstantiveCorrection.objects.filter(
        revision=revision, announced_at__isnull=True
    ).update(announced_at=timezone.now())
    if updated:
        transaction.on_commit(lambda: item_correction_announce(item=live))
    return bool(updated)
