"""``gongkai check --deploy``: keys that must never protect a production deployment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from .keys import pii_key_problem, secret_key_problem


@register(Tags.security, deploy=True)
def check_published_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem:
        errors.append(Error(problem, id="gongkai.E001"))
    problem = pii_key_problem(getattr(settings, "GONGKAI_PII_KEY", "") or "")
    if problem:
        errors.append(Error(problem, id="gongkai.E002"))
    return errors
