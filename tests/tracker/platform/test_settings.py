import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from seeds.demo import demo_history_create, demo_users_create
from tracker.accounts.models import User

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "kpi.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/kpi-tracker-unused-production.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        # Test-only switches must not leak into the "production" subprocess.
        if k
        not in {
            "DEBUG",
            "TRACKER_DEMO",
            "SECRET_KEY",
            "SECURE_SSL_REDIRECT",
            "STATIC_FROM_APPS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=PRODUCTION_ENV)

    assert result.stdout.strip().splitlines()[-1] == "False"


def test_it_refuses_to_start_without_a_secret_key_in_production():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert (
        "SECRET_KEY must be set to a long random value when DEBUG is off (a published key is refused)." in result.stderr
    )


@override_settings(DEMO_MODE=False)
def test_no_demo_user_can_be_created_under_production_settings(db):
    with pytest.raises(ImproperlyConfigured):
        demo_users_create()
    with pytest.raises(ImproperlyConfigured):
        demo_history_create()

    assert User.objects.count() == 0


def test_the_load_demo_command_refuses_under_production_settings():
    result = _manage("load_demo", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "TRACKER_DEMO=1" in result.stderr
