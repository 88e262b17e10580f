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

        # Cached public pages (issue 17): every write of every connection bumps its table's
        # generation after the commit; a deployment's migrate forgets every cached page.
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import page_cache

        connection_created.connect(page_cache.install_write_tracking, dispatch_uid="page_cache")
        page_cache.install_on_open_connections()
        post_migrate.connect(
            lambda **kwargs: page_cache.clear_all(), dispatch_uid="page_cache_migrate", weak=False
        )
