from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .content import register_content

        register_content()
