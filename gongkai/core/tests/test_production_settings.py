"""The production settings as an operator sets them (README "Deployment"): they load with
REDIS_URL, Huey and the cache really talk to Redis, and `check --deploy` has nothing to say.

Each check runs in a fresh interpreter, because settings are read once per process and the
suite itself runs on the test settings. Issue 10: production with REDIS_URL crashed at start
(the `redis` package was missing) and no test ever loaded these settings.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# A Redis database of its own (the deployment smoke test uses 2); keys are unique and removed.
REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_up() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2).close()
    except OSError:
        return False
    return True


def _operator_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What deploy/gongkai.env.example has an operator set, with throwaway secrets."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.config.settings.prod",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=REDIS_URL,
        GONGKAI_SECRET_KEY=secrets.token_urlsafe(50),
        GONGKAI_PII_KEY=secrets.token_hex(16),
        GONGKAI_ALLOWED_HOSTS="gongkai.example.gov.cn",
        GONGKAI_CSRF_TRUSTED_ORIGINS="https://gongkai.example.gov.cn",
        GONGKAI_VAR_DIR=str(tmp_path / "var"),
    )
    env.update(extra)
    return env


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


SETUP = "import django, json; django.setup()\n"


def test_production_settings_load_with_redis_url(tmp_path):
    # No Redis server is needed to build the clients: this is what crashed at start.
    code = SETUP + (
        "from django.conf import settings\n"
        "from django.core.cache import caches\n"
        "from huey.contrib.djhuey import HUEY\n"
        "cache = caches['default']\n"
        "print(json.dumps([type(HUEY).__name__, type(HUEY.storage).__name__,\n"
        "    type(cache).__name__, type(cache._cache.get_client()).__name__,\n"
        "    settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.MIDDLEWARE[0],\n"
        "    settings.GONGKAI_TRUSTED_PROXIES]))\n"
    )
    done = _python(code, _operator_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        "RedisHuey",
        "RedisStorage",
        "RedisCache",
        "Redis",
        False,
        True,
        "gongkai.core.middleware.ProxiedClientAddressMiddleware",
        ["127.0.0.1", "::1"],
    ]


@pytest.mark.skipif(not _redis_up(), reason=f"no Redis at {REDIS_URL}")
def test_huey_and_cache_round_trip_through_redis(tmp_path):
    key = f"gongkai-test-{secrets.token_hex(6)}"
    code = SETUP + (
        "from django.core.cache import cache\n"
        "from huey.contrib.djhuey import HUEY\n"
        f"key = {key!r}\n"
        "cache.set(key, {'标题': '政务公开'}, 30)\n"
        "from_cache = cache.get(key)\n"
        "cache.delete(key)\n"
        "HUEY.put(key, [1, '二'])\n"
        "from_huey = HUEY.get(key)\n"
        "gone = HUEY.get(key)\n"
        "raw = HUEY.storage.conn.ping()\n"
        "print(json.dumps([from_cache, from_huey, gone, raw, cache.get(key)]))\n"
    )
    done = _python(code, _operator_env(tmp_path))
    assert done.returncode == 0, done.stderr
    # Huey's key-value store is read-once: the second get finds nothing.
    assert json.loads(done.stdout) == [{"标题": "政务公开"}, [1, "二"], None, True, None]


def test_check_deploy_has_no_warnings_with_the_operator_environment(tmp_path):
    env = _operator_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_fails_when_https_redirect_is_switched_off(tmp_path):
    # The negative: the same command does catch an unsafe production setting.
    env = _operator_env(tmp_path, GONGKAI_SSL_REDIRECT="0")
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "security.W008" in done.stderr


def test_production_settings_refuse_to_start_without_the_pii_key(tmp_path):
    env = _operator_env(tmp_path, GONGKAI_PII_KEY="")
    done = _python(SETUP, env)
    assert done.returncode == 1
    assert "GONGKAI_PII_KEY 必须是 32 位十六进制字符（16 字节 SM4 密钥）" in done.stderr


@pytest.mark.parametrize(
    ("name", "placeholder", "message"),
    [
        (
            "GONGKAI_SECRET_KEY",
            "CHANGE-ME-generate-a-long-random-string",
            "GONGKAI_SECRET_KEY 使用了公开的开发或测试密钥，请生成新密钥",
        ),
        (
            "GONGKAI_PII_KEY",
            "CHANGE-ME-32-hex-characters-000",
            "GONGKAI_PII_KEY 必须是 32 位十六进制字符（16 字节 SM4 密钥）",
        ),
    ],
)
def test_the_example_environment_placeholders_do_not_start(tmp_path, name, placeholder, message):
    example = (Path(__file__).resolve().parents[3] / "deploy" / "gongkai.env.example").read_text()
    assert f"{name}={placeholder}\n" in example
    done = _python(SETUP, _operator_env(tmp_path, **{name: placeholder}))
    assert done.returncode == 1
    assert f"ImproperlyConfigured: {message}" in done.stderr
