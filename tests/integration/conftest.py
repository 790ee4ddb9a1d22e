import pytest

from tests.integration.processes import RedisServer, Stack


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own, on a spare port."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stack(transactional_db, redis_server, tmp_path):
    """Workers and scripts on the test database and our Redis; every process is stopped afterwards,
    before pytest-django empties the database."""
    running = Stack(redis_server, tmp_path)
    yield running
    running.close()
