from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import chain_signals

        chain_signals.connect()
