"""deploy/ agrees with the settings it configures (the running stack is `make smoke`)."""

import re
from pathlib import Path

from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
SETTINGS_DIR = Path(__file__).resolve().parents[2] / "config" / "settings"


def _example_env() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "gongkai.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            pairs[key] = value.strip('"')
    return pairs


def _megabytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", size.lower()).groups()  # type: ignore[union-attr]  # no match fails the test here
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def test_nginx_accepts_bodies_above_the_attachment_limit():
    site = (DEPLOY / "nginx" / "gongkai.conf").read_text()
    (limit,) = re.findall(r"client_max_body_size (\w+);", site)
    example_limit = int(_example_env()["GONGKAI_MAX_ATTACHMENT_BYTES"])
    assert example_limit == settings.GONGKAI_MAX_ATTACHMENT_BYTES == 50 * 1024 * 1024
    # Room for the multipart form around the largest file.
    assert _megabytes(limit) - example_limit >= 5 * 1024 * 1024


def test_every_variable_of_the_example_environment_is_read_by_the_settings():
    source = "\n".join(p.read_text() for p in SETTINGS_DIR.glob("*.py"))
    example = _example_env()
    unread = [
        key
        for key in example
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL") and f'"{key}"' not in source
    ]
    assert unread == []
    assert example["DJANGO_SETTINGS_MODULE"] == "gongkai.config.settings.prod"


def test_nginx_upstream_and_web_units_name_the_same_app_servers():
    site = (DEPLOY / "nginx" / "gongkai.conf").read_text()
    assert re.findall(r"server (127\.0\.0\.1:\d+) ", site) == ["127.0.0.1:8001", "127.0.0.1:8002"]
    web = (DEPLOY / "systemd" / "gongkai-web@.service").read_text()
    assert "--bind 127.0.0.1:%i" in web
    assert "GONGKAI_SEARCH_DIR=/srv/gongkai/var/search/%i" in web
    jobs = (DEPLOY / "systemd" / "gongkai-jobs.service").read_text()
    assert "/srv/gongkai/venv/bin/gongkai run_huey" in jobs
    for unit in (web, jobs):
        assert "EnvironmentFile=/etc/gongkai/gongkai.env" in unit
    # The static and media paths nginx serves are the example environment's directories.
    env = _example_env()
    assert f"alias {env['GONGKAI_VAR_DIR']}/static/;" in site
    assert f"alias {env['GONGKAI_MEDIA_ROOT']}/interpretations/;" in site
    # Private files: only through the app's X-Accel-Redirect, to an internal location aliased
    # to the private folder, which is not under the media root (issue 19).
    prefix = env["GONGKAI_PRIVATE_ACCEL_PREFIX"]
    private = re.search(r"location " + re.escape(prefix) + r" \{(.*?)\}", site, re.S)
    assert private is not None
    assert "internal;" in private.group(1)
    assert f"alias {env['GONGKAI_PRIVATE_DIR']}/;" in private.group(1)
    assert not env["GONGKAI_PRIVATE_DIR"].startswith(env["GONGKAI_MEDIA_ROOT"] + "/")
