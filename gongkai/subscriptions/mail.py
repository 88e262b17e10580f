"""Subscription mail (issue 14): signed links and the messages themselves.

Every subscription mail carries a one-click unsubscribe link (a signed token, no login) and the
RFC 8058 headers ``List-Unsubscribe`` / ``List-Unsubscribe-Post``, so a mail client's
"unsubscribe" button POSTs to the same address. Confirmation links of a mail address (double
opt-in) are signed with a timestamp and expire after ``CONFIRM_MAX_AGE`` seconds."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

CONFIRM_SALT = "gongkai.subscriptions.confirm"
UNSUBSCRIBE_SALT = "gongkai.subscriptions.unsubscribe"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # a confirmation link works for three days


def absolute(path: str) -> str:
    return f"{settings.GONGKAI_SITE_URL}{path}"


def confirm_token(*, user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email}, salt=CONFIRM_SALT, compress=True)


def confirm_token_load(token: str) -> dict[str, Any]:
    """The payload of a confirmation link; ``signing.SignatureExpired`` / ``BadSignature``."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    if not isinstance(data, dict) or not {"u", "e"} <= data.keys():
        raise signing.BadSignature("payload")
    return data


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps({"s": subscription_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_load(token: str) -> int:
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise signing.BadSignature("payload")
    return int(data["s"])


def unsubscribe_url(subscription_id: int) -> str:
    return absolute(
        reverse("portal:subscription_unsubscribe", args=[unsubscribe_token(subscription_id)])
    )


def confirm_message(*, user_id: int, email: str) -> EmailMessage:
    site = settings.GONGKAI_SITE_NAME
    link = absolute(
        reverse("portal:mail_address_confirm", args=[confirm_token(user_id=user_id, email=email)])
    )
    body = "\n".join(
        [
            _("您好："),
            "",
            _("您在%(site)s申请用本邮箱接收订阅信息。请在3天内打开以下链接确认：") % {"site": site},
            link,
            "",
            _("如果不是您本人操作，请忽略本邮件，我们不会向本邮箱发送订阅信息。"),
        ]
    )
    return EmailMessage(
        _("【%(site)s】请确认订阅邮箱") % {"site": site},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


def _entry_line(entry: Any) -> list[str]:
    if entry.item_id:
        title = entry.item.title
        path = reverse("portal:item_detail", args=[entry.item_id])
    else:
        title = entry.interpretation.title
        path = reverse("portal:interpretation_detail", args=[entry.interpretation_id])
    when = timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M")
    return [f"· {title}（{entry.reason}，{when}）", f"  {absolute(path)}"]


def subscription_message(
    *, subscription: Any, email: str, entries: Sequence[Any], mode: str
) -> EmailMessage:
    """One mail of ``subscription``: a single entry (immediate) or a digest of ``entries``."""
    site = settings.GONGKAI_SITE_NAME
    label = str(subscription)
    if mode == "immediate":
        subject = _("【%(site)s】%(title)s") % {"site": site, "title": entries[0].title}
    elif mode == "daily":
        subject = _("【%(site)s】每日订阅摘要：%(label)s（%(n)d条）") % {
            "site": site,
            "label": label,
            "n": len(entries),
        }
    else:
        subject = _("【%(site)s】每周订阅摘要：%(label)s（%(n)d条）") % {
            "site": site,
            "label": label,
            "n": len(entries),
        }
    lines = [_("您好："), "", _("您订阅的“%(label)s”有以下新信息：") % {"label": label}, ""]
    for entry in entries:
        lines.extend(_entry_line(entry))
    unsubscribe = unsubscribe_url(subscription.pk)
    lines.extend(
        [
            "",
            _("管理订阅：%(url)s") % {"url": absolute(reverse("portal:subscription_list"))},
            _("退订本订阅的邮件（无需登录）：%(url)s") % {"url": unsubscribe},
        ]
    )
    return EmailMessage(
        subject.replace("\n", " ")[:200],
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
