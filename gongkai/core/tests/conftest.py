"""Fixtures of other apps the core tests render public pages with."""

from gongkai.policies.tests.conftest import world  # noqa: F401  (the hand-counted policy world)
