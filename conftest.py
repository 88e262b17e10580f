"""Shared pytest fixtures live in gongkai/core/testing.py so every app's tests can use them."""

import pytest

pytest_plugins = ["gongkai.core.testing", "gongkai.core.browser_testing"]


def pytest_collection_modifyitems(config, items):
    # Browser tests run one after another on the same xdist worker: two Chromium instances
    # and two live servers at once on a 2-core machine make timeouts, not findings.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
    _keep_xdist_groups(config, items)


def _keep_xdist_groups(config, items):
    """Make ``--dist loadgroup`` send each ``xdist_group`` to one worker under pytest 9.

    pytest-xdist 3.8 names a test's group by appending ``@group`` to ``item._nodeid``, which
    pytest 9 no longer reads (a node's id is ``item._id``): every group was silently spread
    over both workers, so tests sharing a Redis database or the live servers ran at once and
    emptied or bumped each other's state (the intermittent two-server page-cache failure).
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        names = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(names)}")
