"""Fixtures of the apps whose staff pages are tested here (staff tests live with the staff app)."""

from gongkai.catalogue.tests.conftest import editor, office_editor  # noqa: F401
from gongkai.checks.tests.test_item_checks import policy_item  # noqa: F401  (moved view tests use them)
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
from gongkai.oversight.tests.test_disclosure import withheld  # noqa: F401  (moved view tests use them)
from gongkai.policies.tests.conftest import world  # noqa: F401  (the hand-counted policy world)
from gongkai.registers.tests.conftest import chain  # noqa: F401  (moved page tests use them)
from gongkai.registers.tests.test_rectifications import item  # noqa: F401  (moved page tests use them)
from gongkai.reports.tests.test_annual_outputs import city, city_admin  # noqa: F401  (moved view tests use them)
from gongkai.review.tests.test_publish_approved import announced  # noqa: F401  (the content hooks heard)
from gongkai.search.tests.test_permissions_sync import docs  # noqa: F401  (moved page tests use them)
