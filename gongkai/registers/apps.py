from django.apps import AppConfig


class RegistersConfig(AppConfig):
    """Structured disclosure: 清单 (lists of powers and services), 重大建设项目, 整改台账."""

    name = "gongkai.registers"
    label = "registers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .content import register_content

        register_content()
