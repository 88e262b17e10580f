from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.core.signals import roles_revoked

        from . import chain_services, chain_signals

        chain_signals.connect()
        roles_revoked.connect(
            chain_services.revoked_role_warnings, dispatch_uid="review-revoked-role-warnings"
        )
