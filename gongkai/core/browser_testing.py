"""Browser-test fixtures for every app's tests (registered in the root conftest.py): one
Debian chromium per test session, fresh pages, axe-core checks.

Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls from a
thread with a running loop unless told otherwise; tests here only read and write through
ordinary sync code, so allowing it is safe.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (make system-deps)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def page_without_js(chromium: Any) -> Iterator[Any]:
    """The portal must work without JavaScript (DESIGN.md): forms and links only."""
    context = chromium.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(axe: Any):
    """Run axe-core on the current page; fail with a readable list of violations."""

    def check(page: Any) -> None:
        results = axe.run(page)
        assert results.response["passes"], "axe-core did not run"
        violations = results.response["violations"]
        if violations:
            report = describe_violations(violations)
            print(f"axe-core violations on {page.url}:\n{report}")
            pytest.fail(f"axe-core violations on {page.url}:\n{report}")

    return check
