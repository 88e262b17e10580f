from django.apps import AppConfig


class ThrowawayKindConfig(AppConfig):
    """A content kind that exists only in the tests (ARCHITECTURE.md, "Add a new content kind
    end to end"): installed by the test settings, it registers itself like any content app."""

    name = "tests.throwaway_kind"
    label = "throwaway_kind"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .content import register_content

        register_content()
