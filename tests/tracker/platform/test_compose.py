"""No Docker engine runs here, so the compose file is checked statically: every command it runs
names a real module, setting or management command of this project."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _commands(service: dict) -> list[list[str]]:
    command = service.get("command")
    if command is None:
        return []
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def _assert_runs_project_code(argv: list[str]) -> None:
    program = argv[0]
    if program == "python" and argv[1] == "manage.py":
        assert argv[2] in get_commands(), f"unknown management command {argv[2]}"
    elif program == "python" and argv[1] == "-c":
        pass  # an inline health probe; its URL is checked separately
    elif program == "gunicorn":
        module, _, attribute = argv[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        app_module = argv[argv.index("-A") + 1]
        assert importlib.import_module(app_module).celery_app.main == "tracker"
        assert argv[argv.index("-A") + 2] in {"worker", "beat", "inspect"}
    elif program in {"redis-server", "redis-cli", "pg_isready"}:
        pass  # the service images' own programs
    else:
        pytest.fail(f"unexpected program in compose: {argv}")


def test_the_full_stack_has_every_service_with_health_checks(compose):
    services = compose["services"]

    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_every_compose_command_names_real_project_code(compose):
    for service in compose["services"].values():
        for argv in _commands(service):
            _assert_runs_project_code(argv)
        probe = service.get("healthcheck", {}).get("test", [])
        if probe[:1] == ["CMD"]:
            _assert_runs_project_code(probe[1:])


def test_the_web_health_check_url_is_a_real_route(compose):
    probe = compose["services"]["web"]["healthcheck"]["test"][-1]
    path = probe.split("http://127.0.0.1:8000")[1].split("'")[0]

    assert resolve(path).url_name == "health"


def test_the_settings_compose_sets_are_read_by_the_settings_module(compose):
    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    environment = compose["x-app"]["environment"]

    for variable in environment:
        assert f'"{variable}"' in settings_source, variable


def test_the_dockerfile_installs_the_pins_and_serves_the_wsgi_app():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "pip install -r requirements.txt" in dockerfile
    assert 'CMD ["gunicorn", "tracker.wsgi:application"' in dockerfile
    for command in ("compile_translations", "collectstatic"):
        assert command in get_commands()
        assert f"manage.py {command}" in dockerfile
