"""Reference data that migrations seed (主题分类, columns, pages, the working-day calendar,
reply-letter templates, the 第二十条 column mapping), callable again after a test flush.

Transactional tests end with a flush that also empties these tables; re-running the migrations'
own seed functions (all idempotent, or guarded here) is simpler and more robust than Django's
serialized_rollback, which conflicts with content types re-created by the flush.
"""

from importlib import import_module

from django.apps import apps

SEED_FUNCTIONS: tuple[tuple[str, str, str], ...] = (
    ("catalogue", "0002_seed_classifications_and_columns", "seed"),
    ("foi", "0002_seed_reply_templates", "seed"),
    ("reports", "0002_annual_report_column", "add_column"),
    ("oversight", "0001_initial", "seed_article20"),
    ("search", "0002_databaseidentity", "create_identity"),
    ("policies", "0003_policy_conditions_and_match_profiles", "seed_qualifications"),
)


def reseed_reference_data() -> None:
    for app_label, migration, function in SEED_FUNCTIONS:
        module = import_module(f"gongkai.{app_label}.migrations.{migration}")
        getattr(module, function)(apps, None)
    # The calendar seed bulk-inserts, so it only runs on an empty calendar.
    if not apps.get_model("workdays", "CalendarYear").objects.exists():
        module = import_module("gongkai.workdays.migrations.0002_seed_calendar")
        module.seed(apps, None)
