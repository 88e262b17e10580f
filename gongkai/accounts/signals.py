"""Every login and every failed login goes into the audit trail (DESIGN.md "Audit")."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .services import login_failed_record, login_succeeded_record


@receiver(user_logged_in, dispatch_uid="gongkai_audit_login")
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    login_succeeded_record(user=user, request=request)


@receiver(user_login_failed, dispatch_uid="gongkai_audit_login_failed")
def audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    login_failed_record(username=str(credentials.get("username", "")), request=request)


@receiver(user_logged_in, dispatch_uid="gongkai_session_policy")
def staff_session_policy(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Staff sessions end at browser close; every session's clocks start at login."""
    import time

    from .middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
    from .selectors import is_staff_user

    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SESSION_LOGIN_AT] = request.session[SESSION_SEEN_AT] = now
    if is_staff_user(user):
        request.session.set_expiry(0)
