"""Faults on the test's own servers: PostgreSQL restarted under load, Redis down, a worker killed
in the middle of a task. Each test starts its own PostgreSQL cluster (and Redis, gunicorn, Celery
workers) on spare loopback ports and stops them afterwards."""

import json
import threading
import time
from typing import Any

import pytest

from tests.resilience.harness import Stack, http, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.services]

OUTAGE = "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút."


def seed(stack: Stack, call: str) -> dict:
    return stack.python(f"from tests.resilience import seed\nprint(json.dumps(seed.{call}))")  # type: ignore[return-value]


class Poller(threading.Thread):
    """Requests in a loop until stopped; records (status, body) of each."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.url, self.token = url, token
        self.results: list[tuple[int, object]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            self.results.append(http(self.url, token=self.token, timeout=15))
            time.sleep(0.05)


def test_a_postgresql_restart_gives_clean_503s_and_the_app_recovers_by_itself():
    with Stack(with_redis=False) as stack:
        # given: gunicorn with persistent database connections, serving an API reader
        tokens = seed(stack, "submitted_report()")
        base = stack.gunicorn(workers=2)
        gunicorn = stack.processes[-1]
        poller = Poller(f"{base}/api/v1/notifications/unread/", tokens["officer"])
        poller.start()
        wait_for(lambda: len(poller.results) > 10, timeout=30, what="first answers")

        # when: the database goes away for a few seconds and comes back
        stack.postgres.stop("fast")
        during_api = http(f"{base}/api/v1/submissions/{tokens['submission']}/", token=tokens["officer"])
        during_page = http(f"{base}/")
        during_health = http(f"{base}/health/")
        time.sleep(2)
        stack.postgres.start()
        wait_for(
            lambda: http(f"{base}/api/v1/notifications/unread/", token=tokens["officer"])[0] == 200,
            timeout=30,
            what="recovery",
        )
        time.sleep(1)
        poller.running = False
        poller.join(timeout=30)

        # then: every answer was a success or a clean 503, never a 500 or a dropped connection
        statuses = [status for status, _body in poller.results]
        assert set(statuses) <= {200, 503}, statuses
        assert 503 in statuses
        assert statuses[-1] == 200
        assert during_api == (503, {"detail": OUTAGE, "code": "service_unavailable"})
        assert during_page[0] == 503
        assert "Tạm thời gián đoạn" in str(during_page[1])
        assert during_health[0] == 503
        assert during_health[1]["checks"]["database"].startswith("error: ")  # type: ignore[index]
        # and the same gunicorn serves again: nothing was restarted
        assert gunicorn.poll() is None
        assert http(f"{base}/api/v1/submissions/{tokens['submission']}/", token=tokens["officer"])[0] == 200
        assert "Traceback" not in stack.log("gunicorn.log")


def test_with_redis_down_the_web_keeps_working_and_figures_catch_up():
    with Stack(with_redis=True) as stack:
        # given: a submitted report and the broker gone
        report = seed(stack, "submitted_report()")
        base = stack.gunicorn(workers=2)
        stack.redis.stop()  # type: ignore[union-attr]

        # when: the approver approves it, and people keep reading
        started = time.monotonic()
        approved = http(
            f"{base}/api/v1/submissions/{report['submission']}/approve/",
            method="POST",
            token=report["approver"],
            data={"version": report["version"]},
        )
        approve_seconds = time.monotonic() - started
        listed = http(f"{base}/api/v1/submissions/", token=report["approver"])
        home = http(f"{base}/")
        health = http(f"{base}/health/")

        # then: the approval stands, quickly; the figure change waits as a dirty row
        assert approved[0] == 200, approved
        assert approve_seconds < 5
        assert listed[0] == 200
        assert home[0] == 200
        assert health[0] == 200
        assert health[1]["status"] == "degraded"  # type: ignore[index]
        assert health[1]["checks"]["redis"].startswith("error: ")  # type: ignore[index]
        assert health[1]["checks"]["pending_rollups"].startswith("ok (1 pending")  # type: ignore[index]

        # when: Redis is back, a worker runs and the periodic sweep fires
        stack.redis.start()  # type: ignore[union-attr]
        stack.worker(name="worker")
        stack.python("from tracker.progress.tasks import sweep_dirty\nsweep_dirty.delay()\nprint(1)")

        # then: nothing is pending and the approved figure is rolled up
        wait_for(
            lambda: http(f"{base}/health/")[1]["checks"]["pending_rollups"].startswith("ok (0 pending"),  # type: ignore[index]
            timeout=90,
            what="the sweep",
        )
        figures = stack.python(
            "from tracker.progress.models import IndicatorValue\n"
            "print(json.dumps(sorted({float(v) for v in IndicatorValue.objects.filter("
            "indicator__code='DVC_COUNT', province__code='91').values_list('value', flat=True)})))"
        )
        assert figures == [1250.0]


def test_a_worker_killed_mid_task_is_replaced_and_nothing_is_sent_twice():
    extra = {"DJANGO_SETTINGS_MODULE": "tests.resilience.worker_settings"}
    with Stack(with_redis=True, extra_env=extra) as stack:
        # given: eight provinces owe October; e-mail takes 0.7 s per message
        officers = seed(stack, "provinces_owing_october(8)")
        mail = stack.base / "mail"
        mail_env = {
            "EMAIL_BACKEND": "tests.resilience.slowmail.SlowFileBackend",
            "SLOWMAIL_DIR": str(mail),
            "SLOWMAIL_SECONDS": "0.7",
        }
        first = stack.worker(name="first", env=mail_env)
        stack.python(
            "from tracker.notifications.tasks import send_reminders\nsend_reminders.delay(today='2026-11-05')\nprint(1)"
        )

        # when: the worker dies (SIGKILL, no clean-up) after a few e-mails
        wait_for(lambda: mail.exists() and len(list(mail.iterdir())) >= 3, timeout=90, what="first e-mails")
        stack.kill(first)
        sent_before_kill = len(list(mail.iterdir()))
        stack.worker(name="second", env=mail_env)

        # then: the task runs again on the new worker and every e-mail goes out
        def all_sent() -> list[list[str]] | None:
            rows: Any = stack.python(
                "from tracker.notifications.models import Notification\n"
                "rows = Notification.objects.values_list('recipient__username', 'email_state')\n"
                "print(json.dumps(sorted(rows)))"
            )
            return rows if rows and all(state == "sent" for _user, state in rows) else None

        state = wait_for(all_sent, timeout=120, interval=1, what="all e-mails sent")
        # one notification per officer, no duplicate
        assert [username for username, _state in state] == sorted(officers)
        assert sent_before_kill < len(officers)
        received = [p.read_text().splitlines()[0] for p in mail.iterdir()]
        assert sorted(set(received)) == sorted(f"{o}@example.gov.vn" for o in officers)
        # at most the one message in flight when the worker died can repeat (e-mail is at-least-once)
        assert len(received) <= len(officers) + 1, json.dumps(received)
