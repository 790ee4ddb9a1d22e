import datetime
from unittest import mock

import pytest
from django.utils import timezone

from tracker import health
from tracker.ops.rollups import Pending
from tracker.progress.models import DirtyUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, admin_user):
    """Staff: the details of each check are theirs alone (see test_health_details_are_for_staff_only)."""
    client.force_login(admin_user)
    return client


def test_health_is_ok_in_the_embedded_setup(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "redis": "not configured (tasks run in-process)",
            "worker": "not configured (tasks run in-process)",
            "pending_rollups": "ok (0 pending)",
        },
    }


def test_a_database_failure_makes_the_web_unhealthy(client):
    with mock.patch.object(health, "_check_database", side_effect=RuntimeError("down")):
        response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"] == "error: RuntimeError"


def test_redis_down_degrades_but_keeps_the_web_in_service(client, settings):
    # given: Redis configured on a port where nothing listens
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    # when
    response = client.get("/health/")
    strict = client.get("/health/?strict=1")

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["redis"] == "error: ConnectionError"
    assert response.json()["checks"]["worker"] == "error: ConnectionError"
    assert strict.status_code == 503


def test_a_stale_worker_heartbeat_is_reported(client, settings):
    settings.REDIS_URL = "redis://example/0"
    settings.HEARTBEAT_SECONDS = 60
    with (
        mock.patch.object(health, "_check_redis", return_value="ok"),
        mock.patch("tracker.ops.heartbeat.heartbeat_age", return_value=600.0),
    ):
        response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "degraded: stale: last heartbeat 600s ago"


def test_a_fresh_worker_heartbeat_is_ok(client, settings):
    settings.REDIS_URL = "redis://example/0"
    with (
        mock.patch.object(health, "_check_redis", return_value="ok"),
        mock.patch("tracker.ops.heartbeat.heartbeat_age", return_value=12.0),
    ):
        response = client.get("/health/")

    assert response.json()["checks"]["worker"] == "ok (last heartbeat 12s ago)"


def test_pending_rollups_are_counted(client):
    # given: one approval not rolled up yet
    DirtyUnit.objects.create(reason="test")

    response = client.get("/health/")

    assert response.json()["checks"]["pending_rollups"] == "ok (1 pending, oldest 0s)"


def test_reporting_rate_refreshes_waiting_for_the_sweep_are_not_counted_as_lagging_figures(client):
    # given: a report submitted an hour ago (rates only), and no figure change pending
    old = DirtyUnit.objects.create(reason="reporting_changed")
    DirtyUnit.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))

    response = client.get("/health/")

    assert response.json()["checks"]["pending_rollups"] == "ok (0 pending)"


def test_too_many_pending_rollups_degrade(client, settings):
    settings.HEALTH_MAX_PENDING_ROLLUPS = 10
    with mock.patch("tracker.ops.rollups.pending_rollups", return_value=Pending(count=11, oldest_seconds=3.0)):
        response = client.get("/health/")

    assert response.json()["checks"]["pending_rollups"] == "degraded: 11 pending, oldest 3s"
    assert response.status_code == 200


def test_a_change_left_pending_too_long_degrades(client, settings):
    settings.HEALTH_MAX_ROLLUP_DELAY_SECONDS = 900
    with mock.patch("tracker.ops.rollups.pending_rollups", return_value=Pending(count=1, oldest_seconds=901.0)):
        response = client.get("/health/")

    assert response.json()["checks"]["pending_rollups"] == "degraded: 1 pending, oldest 901s"


@pytest.mark.services
def test_the_heartbeat_task_stamps_redis_for_the_health_check(client, settings):
    from tracker.ops import heartbeat, tasks

    # when: beat's task runs on a worker
    tasks.worker_heartbeat()

    # then
    age = heartbeat.heartbeat_age()
    assert age is not None
    assert 0 <= age < 5
    assert client.get("/health/").json()["checks"]["worker"].startswith("ok (last heartbeat ")
