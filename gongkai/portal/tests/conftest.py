"""Fixtures of the apps whose public pages are tested here (portal tests live with the portal)."""

from gongkai.foi.tests.conftest import (  # noqa: F401
    approve_reply,
    handler,
    head,
    online_case,
    other_handler,
    record_case,
    reviewers,
)
from gongkai.foi.tests.test_identity_document import dirs  # noqa: F401  (moved page tests use them)
from gongkai.foi.tests.test_private_letters import delivered  # noqa: F401  (moved page tests use them)
from gongkai.participation.tests.test_directory import decision  # noqa: F401  (moved page tests use them)
from gongkai.participation.tests.test_open_day import event  # noqa: F401  (moved page tests use them)
from gongkai.policies.tests.conftest import world  # noqa: F401  (the hand-counted policy world)
from gongkai.registers.tests.conftest import adjust, chain  # noqa: F401  (moved page tests use them)
from gongkai.reports.tests.test_annual_outputs import city, city_admin  # noqa: F401  (moved view tests use them)
