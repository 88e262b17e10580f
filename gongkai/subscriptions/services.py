"""Writes of subscriptions and the inbox (issue 14).

Delivery is driven by the content hook ``content_published`` (ADR 0006), sent after the
publishing transaction commits — so imports (``import_documents``, which publishes nothing
through the chain) are announced to nobody, and a 修订稿 applied to a published item (a
correction) is not announced either. Finding the subscribers of an item is one query
(``selectors.subscriptions_for_item``), not a loop over subscribers."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.models import InformationItem, PolicyKind
from gongkai.core.models import AuditEntry
from gongkai.core.services import audit_record

from .models import InboxEntry, Subscription
from .selectors import subscriptions_for_item

KIND_FIELD = {
    Subscription.Kind.TOPIC: "topic",
    Subscription.Kind.AUDIENCE: "audience",
    Subscription.Kind.ORGANISATION: "organisation",
    Subscription.Kind.POLICY_KIND: "policy_kind",
    Subscription.Kind.KEYWORD: "keyword",
    Subscription.Kind.POLICY: "policy",
}


@transaction.atomic
def subscription_create(*, user: Any, kind: str, target: Any, acting_user: Any) -> Subscription:
    """Subscribe ``user`` to ``target`` (a TopicCategory, Audience, Organisation, 文件类型 value,
    keyword or policy InformationItem, as ``kind`` says); an identical one is returned as is."""
    if acting_user.pk != user.pk:
        raise PermissionDenied(_("只能管理自己的订阅。"))
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
    subscription = Subscription.objects.create(user=user, kind=kind, **{name: target})
    audit_record(
        action=AuditEntry.Action.CREATE,
        acting_user=acting_user,
        target=subscription,
        detail={"kind": kind},
    )
    return subscription


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
    reasons: dict[int, str] = {}
    for subscription in subscriptions_for_item(item):
        reasons.setdefault(
            subscription.user_id, _("您订阅的%(what)s") % {"what": str(subscription)}
        )
    for user_id in qualified_profile_user_ids(item, timezone.localdate()):
        reasons.setdefault(user_id, _("政策找人：符合您的企业档案"))
    entries = [InboxEntry(user_id=u, item=item, reason=r[:300]) for u, r in reasons.items()]
    InboxEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    return len(entries)


def inbox_deliver_interpretation(interpretation: Any) -> int:
    """A new 政策解读 reaches the subscribers of each policy it explains."""
    policy_ids = list(interpretation.policies.values_list("id", flat=True))
    users = (
        Subscription.objects.filter(kind=Subscription.Kind.POLICY, policy_id__in=policy_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )
    entries = [
        InboxEntry(
            user_id=u,
            interpretation=interpretation,
            reason=_("您订阅的政策有新的解读"),
        )
        for u in users
    ]
    InboxEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    return len(entries)


def on_content_published(sender: Any, instance: Any, kind: str, **kwargs: Any) -> None:
    """The ``content_published`` receiver (connected in ``SubscriptionsConfig.ready``)."""
    if kind == "item":
        inbox_deliver_item(instance)
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
