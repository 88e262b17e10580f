"""Password rules of 等保 三级 / OWASP ASVS L2 (issue 19 item 4), as Django validators.

Django's own validators cover the length (``MinimumLengthValidator`` with ``min_length=12``),
the similarity to the username or name, and the common-password list; these add what they
lack. Every message is in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES_REQUIRED = 3


def character_classes(password: str) -> int:
    """How many of: lower-case letters, upper-case letters, digits, other characters."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() and not c.isspace() for c in password),
        )
    )


class CharacterClassesValidator:
    def __init__(self, classes: int = CLASSES_REQUIRED) -> None:
        self.classes = classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号四类中的至少%(n)s类。")
                % {"n": self.classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("包含大写字母、小写字母、数字、符号四类中的至少%(n)s类。") % {"n": self.classes}


class NotBlankValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if not password.strip():
            raise ValidationError(_("密码不能全是空格。"), code="password_blank")

    def get_help_text(self) -> str:
        return _("不能全是空格。")


class NotUsernameValidator:
    """The username itself, reversed, or inside the password (Django's similarity check is a
    ratio and lets ``Zhang.san-2026!`` pass for the user ``zhangsan``)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if len(username) < 3:
            return
        lowered = password.lower()
        plain = "".join(c for c in lowered if c.isalnum())
        if username in lowered or username in plain or username[::-1] in lowered:
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("不能包含用户名。")
