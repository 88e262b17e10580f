from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "政民互动"

    def ready(self) -> None:
        from .content import register_content

        register_content()
