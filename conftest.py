"""Root test configuration: service detection.

Tests marked `services` need PostgreSQL and Redis (DATABASE_URL / REDIS_URL). They skip on a
machine without them, but when REQUIRE_SERVICES=1 (CI) a missing service fails the run instead.
"""

import os
import socket
from urllib.parse import urlparse

import pytest


def _answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def services_available() -> tuple[bool, str]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres"):
        return False, "DATABASE_URL is not PostgreSQL"
    if not redis_url:
        return False, "REDIS_URL is not set"
    if not _answers(database_url, 5432):
        return False, f"PostgreSQL does not answer at {database_url}"
    if not _answers(redis_url, 6379):
        return False, f"Redis does not answer at {redis_url}"
    return True, ""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    available, reason = services_available()
    if available:
        return
    needing = [item for item in items if "services" in item.keywords or "integration" in item.keywords]
    if needing and os.environ.get("REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(f"{len(needing)} tests need PostgreSQL and Redis, which are required here: {reason}")
    for item in needing:
        item.add_marker(pytest.mark.skip(reason=reason))
