from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "gongkai.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"
