"""A dependency that hangs (accepts connections, never answers) must not hang a request: the
fake broker here is a socket that accepts and then says nothing, as a paused Redis does."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone

from tracker.celery import app
from tracker.exports.models import ExportJob
from tracker.notifications import delivery
from tracker.ops.tasks import UNPUBLISHED_AFTER, republish_queued_exports
from tracker.progress import services as progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_server() -> Iterator[str]:
    """redis://… of a server that accepts every connection and never sends a byte."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                continue
            held.append(connection)  # kept open, never read from nor written to

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.fixture
def hung_broker(hung_server, settings) -> Iterator[str]:
    """Celery publishing to the hung server, with the transport options of the settings."""
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.update(
        task_always_eager=False,
        broker_url=hung_server,
        broker_transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
    )
    app._pool = None  # a fresh connection pool for the new broker
    yield hung_server
    app.conf.update(saved)
    app._pool = None


def test_health_answers_within_a_second_when_redis_hangs(client, admin_user, settings, hung_server):
    # given Redis (heartbeat and cache) on a server that never answers, and a warm process
    client.force_login(admin_user)
    settings.REDIS_URL = ""
    client.get("/health/")  # the first request of a process imports every view: not what is measured
    settings.REDIS_URL = hung_server

    # when
    started = time.monotonic()
    response = client.get("/health/")
    elapsed = time.monotonic() - started

    # then the page answers, in service, saying what hangs
    assert elapsed < 1.0
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["redis"] == "error: TimeoutError"
    assert response.json()["checks"]["worker"] == "error: TimeoutError"


def test_health_shows_only_the_status_to_others(client, settings, hung_server):
    settings.REDIS_URL = hung_server

    response = client.get("/health/")

    assert (response.status_code, response.json()) == (200, {"status": "degraded"})


def test_health_shows_the_details_to_monitoring_with_the_token(client, settings):
    settings.REDIS_URL = ""
    settings.HEALTH_DETAILS_TOKEN = "monitoring-secret"

    with_token = client.get("/health/", HTTP_X_HEALTH_TOKEN="monitoring-secret")
    wrong_token = client.get("/health/", HTTP_X_HEALTH_TOKEN="guess")

    assert with_token.json()["checks"]["database"] == "ok"
    assert wrong_token.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "publish",
    [progress.enqueue_recompute, delivery._publish],
    ids=["roll-up recompute", "e-mail delivery"],
)
def test_publishing_to_a_hung_broker_gives_up_in_seconds_without_raising(hung_broker, publish):
    started = time.monotonic()

    publish()  # logs and returns: the periodic sweep follows up

    assert time.monotonic() - started < 10


def test_a_report_job_that_could_not_be_published_is_published_again(hung_broker, admin_user, monkeypatch):
    # given a national report queued 10 minutes ago whose publication was lost
    job = ExportJob.objects.create(kind="national", file_format="csv", period="2025-Q4", owner=admin_user)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - UNPUBLISHED_AFTER * 2)
    published: list[str] = []
    monkeypatch.setattr("tracker.exports.tasks.build_export.delay", published.append)

    # when the sweep runs
    count = republish_queued_exports()

    # then the job is published again
    assert (count, published) == (1, [str(job.pk)])
