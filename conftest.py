"""Shared pytest fixtures live in gongkai/core/testing.py so every app's tests can use them."""

pytest_plugins = ["gongkai.core.testing"]
