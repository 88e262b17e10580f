from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models import fields

        from . import system_checks  # noqa: F401  (registers the deploy checks)

        # Django 6.1 reads the empty choice of every select (model-field choices,
        # ModelChoiceField, admin) from this constant, and its "- Select an option -" has no
        # Chinese translation yet: one label here keeps every form Chinese and consistent.
        fields.BLANK_CHOICE_LABEL = _("请选择")
