from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .content import register_content

        register_content()
