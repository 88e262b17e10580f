from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        # The adapters come from the content registry (each content app's ready()), pulled in
        # lazily by search.registry; connecting the receivers reads them.
        signals.connect()
