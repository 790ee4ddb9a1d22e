"""No way to serve with DEBUG off on a key written in the repository, and compose keeps its
secrets in an uncommitted env file documented by a committed example."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REFUSED = "SECRET_KEY must be set to a long random value when DEBUG is off (a published key is refused)."


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "TRACKER_ALLOW_INSECURE_KEY"}}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "false"},
        {"DEBUG": "false", "TRACKER_ALLOW_INSECURE_KEY": "1"},
        {"DEBUG": "false", "SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY},
        {"DEBUG": "false", "SECRET_KEY": "build-only"},
        {"DEBUG": "false", "SECRET_KEY": "change-me-to-a-long-random-string"},
    ],
    ids=["no key", "the old loophole", "the development key", "the image build's key", "the example's key"],
)
def test_debug_off_refuses_a_missing_or_published_key(env):
    result = manage("check", **env)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {REFUSED}"


def test_the_image_build_commands_run_with_the_build_key():
    result = manage("compile_translations", DEBUG="false", SECRET_KEY="build-only")

    assert result.returncode == 0, result.stderr


def test_compose_reads_its_secrets_from_the_uncommitted_env_file():
    compose = (ROOT / "docker-compose.yml").read_text()
    services = yaml.safe_load(compose)["services"]

    assert services["db"]["environment"]["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    assert services["web"]["env_file"] == ".env"
    assert services["web"]["environment"]["DATABASE_URL"] == (
        "postgres://tracker:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@db:5432/tracker"
    )
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()


def test_the_env_example_documents_every_secret_with_a_refused_placeholder():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert example["SECRET_KEY"] in settings.PUBLISHED_SECRET_KEYS
    assert example["POSTGRES_PASSWORD"] == "change-me-to-a-long-random-string"
