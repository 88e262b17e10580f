"""Fixtures of the apps whose staff pages are tested here (staff tests live with the staff app)."""

from gongkai.catalogue.tests.conftest import editor, office_editor  # noqa: F401
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
