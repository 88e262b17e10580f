"""The query-code hash is computed outside the write transaction (issue 19 item 2).

A deliberately slow password hash inside the transaction held SQLite's write lock for its
whole run, so a burst of online applications failed with ``database is locked`` (HTTP 500).
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection

from gongkai.foi import services
from gongkai.foi.models import Case

from .conftest import form_data

pytestmark = pytest.mark.django_db
SEEN: list[bool] = []


class RecordingHasher(MD5PasswordHasher):
    """Notes whether it runs inside a transaction opened by the code under test."""

    algorithm = "recording_md5"

    def encode(self, password, salt):
        # The test itself runs inside one atomic block (pytest-django); a second level means
        # the service opened its own transaction around the hash.
        SEEN.append(len(connection.atomic_blocks) > 1)
        return super().encode(password, salt)


def test_case_submit_hashes_the_query_code_before_its_transaction(org_tree, settings):
    settings.PASSWORD_HASHERS = ["gongkai.foi.tests.test_submit_hash.RecordingHasher"]
    SEEN.clear()
    data = {k: v for k, v in form_data(org_tree["finance"]).items() if k != "organisation"}
    case, code = services.case_submit(organisation=org_tree["finance"], data=data)
    assert SEEN == [False]
    stored = Case.objects.get(pk=case.pk)
    assert stored.query_code_hash.startswith("recording_md5$")
    assert services.query_code_matches(stored, code)
