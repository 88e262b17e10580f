"""Production refuses the keys printed in this repository and keys typed by hand (issue 19
item 9): with the development PII key, anyone holding the source reads applicants' data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from gongkai.core.keys import pii_key_problem, secret_key_problem

ROOT = Path(__file__).resolve().parents[3]
GOOD_PII = "7f3a9c01d2e84b56a0c9e1f27d3b8a64"
GOOD_SECRET = "m1Zq8v-3kT0p_Yx7Lr2Wn9Bc4Hd6Jf5Gs8Ku1Oa3Ie7Pt0Vy2Mx4Nz6Qw9Re5Ty8"


def test_pii_key_rules():
    assert pii_key_problem(GOOD_PII) == ""
    assert "公开的开发或测试密钥" in pii_key_problem("0123456789abcdef0123456789abcdef")
    assert "公开的开发或测试密钥" in pii_key_problem("FEDCBA9876543210FEDCBA9876543210")
    assert "过于简单" in pii_key_problem("abababababababababababababababab")
    assert "十六进制" in pii_key_problem("g" * 32)
    assert "32 位" in pii_key_problem(GOOD_PII[:30])
    assert secret_key_problem("dev-only-insecure-key-change-me").startswith(
        "GONGKAI_SECRET_KEY 使用了公开的"
    )
    assert secret_key_problem(GOOD_SECRET) == ""


def _prod_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_") and k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.config.settings.prod",
        GONGKAI_SECRET_KEY=GOOD_SECRET,
        GONGKAI_PII_KEY=GOOD_PII,
        GONGKAI_ALLOWED_HOSTS="gongkai.example.gov.cn",
        GONGKAI_VAR_DIR=str(var_dir),
    )
    env.update(overrides)
    return env


def _load_prod(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"GONGKAI_PII_KEY": "0123456789abcdef0123456789abcdef"}, "公开的开发或测试密钥"),
        ({"GONGKAI_PII_KEY": "11111111111111111111111111111111"}, "过于简单"),
        ({"GONGKAI_SECRET_KEY": "dev-only-insecure-key-change-me"}, "GONGKAI_SECRET_KEY"),
    ],
)
def test_production_settings_refuse_published_and_weak_keys(tmp_path, overrides, message):
    result = _load_prod(_prod_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "ok" not in result.stdout


def test_production_settings_accept_a_generated_key(tmp_path):
    result = _load_prod(_prod_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.django_db
def test_check_deploy_reports_the_development_pii_key():
    with (
        override_settings(GONGKAI_PII_KEY="0123456789abcdef0123456789abcdef"),
        pytest.raises(SystemCheckError, match=r"gongkai\.E002.*公开的开发或测试密钥"),
    ):
        call_command("check", "--deploy", "--tag", "security")
