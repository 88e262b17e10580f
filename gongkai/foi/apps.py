from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.foi"
    label = "foi"
    default_auto_field = "django.db.models.BigAutoField"
