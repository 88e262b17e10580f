"""Session and account controls of 等保 三级 / ASVS L2 (issue 19 item 4), per request.

- Idle timeout for staff (``GONGKAI_STAFF_IDLE_MINUTES``) and an absolute session limit for
  everyone (``GONGKAI_SESSION_ABSOLUTE_HOURS``); staff sessions also end at browser close
  (``signals.staff_session_policy`` sets that at login).
- Second factor: a staff account with a confirmed TOTP device (or every staff account when
  ``GONGKAI_STAFF_REQUIRE_TOTP``) reaches nothing but the verification/enrolment pages until
  it proved the code in this session.
- 定期更换: a staff account whose password is older than ``GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS``
  is sent to the password change page.
- Temporary password: a staff account whose password a 政务公开管理员 reset
  (``User.password_must_change``) is sent to the password change page until it picks its own.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors import is_staff_user

SESSION_LOGIN_AT = "gk_login_at"
SESSION_SEEN_AT = "gk_seen_at"
TOUCH_EVERY = 60  # seconds: do not write the session on every request


def password_expired(user: Any, now: datetime.datetime | None = None) -> bool:
    days = int(getattr(settings, "GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS", 0) or 0)
    if days <= 0 or not is_staff_user(user) or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > datetime.timedelta(days=days)


def totp_needed(user: Any) -> bool:
    """Whether this staff account must prove a TOTP code (enrolled, or required site-wide)."""
    if not is_staff_user(user):
        return False
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return enrolled or bool(getattr(settings, "GONGKAI_STAFF_REQUIRE_TOTP", False))


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _open_paths(self) -> tuple[str, ...]:
        return (
            reverse("accounts:logout"),
            reverse("accounts:otp_verify"),
            reverse("accounts:otp_enrol"),
            reverse("accounts:password_change"),
            reverse("accounts:password_change_done"),
            settings.STATIC_URL,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        ended = self._session_ended(request, user)
        if ended is not None:
            return ended
        if request.path.startswith(self._open_paths()):
            return self.get_response(request)
        if totp_needed(user) and not user.is_verified():
            return redirect(
                f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        if is_staff_user(user) and user.password_must_change:
            messages.warning(request, _("您正在使用管理员设置的临时密码，请先修改密码。"))
            return redirect("accounts:password_change")
        if password_expired(user):
            messages.warning(request, _("您的密码已超过规定的使用期限，请先修改密码。"))
            return redirect("accounts:password_change")
        return self.get_response(request)

    def _session_ended(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        session = request.session
        now = int(time.time())
        login_at = session.get(SESSION_LOGIN_AT)
        seen_at = session.get(SESSION_SEEN_AT)
        if login_at is None:  # a session from before these controls: start counting now
            session[SESSION_LOGIN_AT] = session[SESSION_SEEN_AT] = now
            return None
        absolute = int(getattr(settings, "GONGKAI_SESSION_ABSOLUTE_HOURS", 12)) * 3600
        idle = int(getattr(settings, "GONGKAI_STAFF_IDLE_MINUTES", 30)) * 60
        reason = None
        if absolute > 0 and now - int(login_at) > absolute:
            reason = _("登录时间已超过上限，请重新登录。")
        elif idle > 0 and is_staff_user(user) and now - int(seen_at or login_at) > idle:
            reason = _("长时间未操作，已自动退出，请重新登录。")
        if reason is not None:
            logout(request)
            messages.info(request, reason)
            return redirect(
                f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"
            )
        if now - int(seen_at or 0) >= TOUCH_EVERY:
            session[SESSION_SEEN_AT] = now
        return None
