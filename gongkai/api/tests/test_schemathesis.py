"""Property-based run of the whole published API over the demo world (issue 19, security gates).

Every operation of ``/api/v1/openapi.json`` gets generated requests — schema-valid (positive)
and schema-violating (negative) — sent through the Django WSGI application; each answer must not
be a 5xx, must carry a status the schema documents, must match that status's schema, and a
schema-violating request must be refused. Bounded so it stays a gate, not a soak:
``MAX_EXAMPLES`` fuzzed examples per operation (plus the deterministic coverage cases), and a
time budget for each.

Our own ``pytest.mark.parametrize`` over the operations, each running the test schemathesis
builds for it, rather than ``schema.parametrize()``: under pytest 9 the latter gives every
operation the same node id, and pytest-xdist (``make test`` runs ``-n 2``) then runs only one
of them. The builder is schemathesis-internal, hence the exact pin in pyproject.
"""

from __future__ import annotations

import io
import time

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.python._constants.orchestrator import make_constants_value_source
from schemathesis.specs.openapi.checks import positive_data_acceptance

MAX_EXAMPLES = 20
# Per operation, on the shared 2-core CI machine; the slowest took about 5 s (the whole file
# 20–45 s on SQLite, 7–23 s of it building the demo world, as the machine is loaded).
TIME_BUDGET_SECONDS = 60

# Operations that refuse some schema-valid requests by statutory rule, with the documented 422:
# the deadline calculator (a pause never ended, more than 20 extension days in total under
# 条例第三十三条, a year whose holiday calendar is not published yet); 政策找人 (a region code
# that names no organisation, a qualification outside the list, an industry code of the wrong
# section).
RULE_REFUSALS = {"POST /api/v1/foi/deadline", "POST /api/v1/policies/match"}

# Loaded at collection: the schema view reads no table, only the routers.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
OPERATIONS = sorted(
    (result.ok().path, result.ok().method.upper()) for result in schema.get_all_operations()
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("api-schemathesis")]


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The named demo world, built once for every operation and rolled back at the end.

    schemathesis calls the real WSGI handler, whose request signals close a connection that is
    inside a transaction (on PostgreSQL: the one holding this world); Django's own test client
    unhooks ``close_old_connections`` for the same reason, and so does this fixture."""
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
                yield
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_run_covers_every_published_operation():
    assert len(OPERATIONS) == 18
    assert ("/api/v1/foi/deadline", "POST") in OPERATIONS


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_api_answers_generated_requests_as_documented(demo_world, path, method):
    operation = schema[path][method]
    excluded = [positive_data_acceptance] if operation.label in RULE_REFUSALS else []

    def check(case):
        case.call_and_validate(excluded_checks=excluded)

    # schemathesis's own per-operation test: its deterministic coverage phase (nulls, wrong
    # types, boundaries of every parameter) and then fuzzing, positive and negative.
    run = build_operation_test(
        config=schema.config,
        operation=operation,
        test_func=check,
        given_kwargs={},
        feedback=FeedbackSources(constants_value_source=make_constants_value_source(schema)),
        explicit_settings=settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
    started = time.monotonic()
    run()
    elapsed = time.monotonic() - started
    assert elapsed < TIME_BUDGET_SECONDS, f"{operation.label}: {elapsed:.1f} s"
