"""`make screenshots`: PNG screenshots of the key public and staff pages of the demo world, at
desktop (1366 px) and phone (390 px) width, for review (issue 15).

Runs on its own data directory (GONGKAI_VAR_DIR, default var/screenshots: SQLite, search index,
media), builds the demo world there once, serves the site from a thread of this process and
drives the machine's Debian chromium with Playwright. Staff pages are taken logged in through
the login form as the demo accounts. Prints the files written.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
CHROMIUM = "/usr/bin/chromium"


def _setup() -> None:
    os.environ.setdefault("GONGKAI_VAR_DIR", str(ROOT / "var" / "screenshots"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.dev")
    # The page cache and shared Redis belong to a running site, not to this throw-away one.
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    Path(os.environ["GONGKAI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    quiet = io.StringIO()
    call_command("migrate", interactive=False, stdout=quiet)
    call_command("demo", if_empty=True, stdout=quiet)


def _serve() -> str:
    """The site on a free loopback port, from a daemon thread (dies with the script)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def _pages() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(name, path) of public pages; (name, path, demo login) of staff pages."""
    from gongkai.accounts.models import Organisation
    from gongkai.catalogue.models import InformationItem
    from gongkai.foi.models import OPEN_STATUSES, Case

    city = Organisation.objects.get(name="杭东市人民政府")
    policy = (
        InformationItem.objects.filter(status="published", policy_kind__gt="")
        .order_by("-published_date", "id")
        .first()
    )
    case = Case.objects.filter(organisation=city, status__in=OPEN_STATUSES).order_by("id").first()
    public = [
        ("home", "/"),
        ("policy-library", "/policies/"),
        ("policy-search", "/search/?q=企业&scope=policy"),
        ("search-all", "/search/?q=企业"),
        ("catalogue-by-organisation", f"/zfxxgk/org/{city.code}/"),
        ("zfxxgk", "/zfxxgk/"),
        ("guide", f"/zfxxgk/guide/?org={city.code}"),
        ("foi-guidance", f"/zfxxgk/ysqgk/?org={city.code}"),
        ("foi-apply", f"/zfxxgk/ysqgk/apply/?as=natural&org={city.code}"),
        ("annual-reports", "/zfxxgk/annual-reports/"),
        ("interpretations", "/interpretations/"),
        ("messages", "/hudong/"),
        ("consultations", "/participation/consultations/"),
    ]
    if policy is not None:
        public.insert(2, ("policy-page", f"/items/{policy.pk}/"))
    staff = [
        ("staff-dashboard-editor", "/staff/", "city_editor"),
        ("staff-items", "/staff/items/", "city_editor"),
        ("staff-review-queue", "/staff/workflow/", "city_reviewer1"),
        ("staff-foi-cases", "/staff/foi/", "city_foi"),
        ("staff-manage", "/staff/manage/", "city_admin"),
        ("staff-manage-organisation", f"/staff/manage/org/{city.code}/", "city_admin"),
        ("staff-manage-calendar", "/staff/manage/calendar/2027/", "city_admin"),
        ("staff-manage-roles", "/staff/manage/roles/", "city_admin"),
        ("staff-annual-report", "/staff/reports/annual/", "city_admin"),
    ]
    if case is not None:
        staff.insert(4, ("staff-foi-case", f"/staff/foi/{case.pk}/", "city_foi"))
    return public, staff


def _login(context: Any, base: str, username: str) -> None:
    from gongkai.demo.orgs import DEMO_PASSWORD

    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"演示账号 {username} 登录失败：{page.url}")
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--only", nargs="*", default=None, help="page names to take")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("需要 Debian chromium（make system-deps）", file=sys.stderr)
        return 1
    _setup()
    base = _serve()
    public, staff = _pages()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for width_name, (width, height) in WIDTHS.items():
            contexts: dict[str, Any] = {}
            jobs = [(name, path, "") for name, path in public] + staff
            for name, path, login in jobs:
                if args.only and name not in args.only:
                    continue
                if login not in contexts:
                    contexts[login] = browser.new_context(
                        locale="zh-CN",
                        viewport={"width": width, "height": height},
                        is_mobile=width_name == "phone",
                    )
                    if login:
                        _login(contexts[login], base, login)
                page = contexts[login].new_page()
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width_name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                page.close()
                written.append(target)
            for context in contexts.values():
                context.close()
        browser.close()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
