import pytest

from tests.resilience.harness import tools_missing


def pytest_collection_modifyitems(config, items):
    missing = tools_missing()
    if missing is None:
        return
    for item in items:
        if "resilience" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=missing))
