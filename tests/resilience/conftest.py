import os

import pytest

from tests.resilience.harness import tools_missing


def pytest_collection_modifyitems(config, items):
    resilience = [item for item in items if "resilience" in str(item.fspath)]
    missing = tools_missing() if resilience else None
    if missing is None:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(f"the resilience tests need PostgreSQL's initdb/pg_ctl and redis-server: {missing}")
    for item in resilience:
        item.add_marker(pytest.mark.skip(reason=missing))
