from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world and synthetic corpora: the top layer, free to use every app below."""

    name = "gongkai.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"
