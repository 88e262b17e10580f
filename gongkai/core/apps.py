from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401  (registers the object-permission rules)
            system_checks,  # noqa: F401  (registers the deploy checks)
        )
