from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "gongkai.subscriptions"
    label = "subscriptions"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "订阅与推送"

    def ready(self) -> None:
        from gongkai.core import content
        from gongkai.core.signals import content_published

        from .selectors import inbox_for
        from .services import on_content_published

        content_published.connect(on_content_published, dispatch_uid="subscriptions_inbox")
        content.register_personal_section(
            content.PersonalSection(
                key="subscriptions",
                selector=inbox_for,
                template="subscriptions/personal_center_inbox.html",
            )
        )
