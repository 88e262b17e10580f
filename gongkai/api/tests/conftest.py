"""Fixtures of the apps whose API routes are tested here (the API tests live with the API)."""

from gongkai.foi.tests.conftest import (  # noqa: F401
    approve_reply,
    handler,
    head,
    online_case,
    other_handler,
    record_case,
    reviewers,
)
from gongkai.policies.tests.conftest import world  # noqa: F401  (the hand-counted policy world)
from gongkai.policies.tests.test_match_contract import policies  # noqa: F401  (moved page tests use them)
from gongkai.reports.tests.test_annual_report import report_world  # noqa: F401  (moved page tests use them)
from gongkai.search.tests.test_permissions_sync import docs  # noqa: F401  (moved page tests use them)
