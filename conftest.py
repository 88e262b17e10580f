"""Shared pytest fixtures live in gongkai/core/testing.py so every app's tests can use them."""

import pytest

pytest_plugins = ["gongkai.core.testing", "gongkai.core.browser_testing"]


def pytest_collection_modifyitems(config, items):
    # Browser tests run one after another on the same xdist worker: two Chromium instances
    # and two live servers at once on a 2-core machine make timeouts, not findings.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
