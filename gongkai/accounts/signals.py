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
