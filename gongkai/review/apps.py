from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Versions are recorded by the content services themselves
        # (``chain_services.content_saved``), so no model signal is connected here.
        from gongkai.core.signals import roles_revoked

        from . import chain_services

        roles_revoked.connect(
            chain_services.revoked_role_warnings, dispatch_uid="review-revoked-role-warnings"
        )
