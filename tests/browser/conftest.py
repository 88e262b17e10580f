"""Fixtures of the cross-app browser walks; chromium, pages and axe-core come from
gongkai/core/browser_testing.py."""

import io

import pytest


@pytest.fixture
def demo_world(transactional_db: None) -> None:
    """The named demo world of `gongkai demo` (杭东市), built in the live server's database."""
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
