from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals
        from .adapters import register_default_adapters

        register_default_adapters()
        signals.connect()
