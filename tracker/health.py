"""Health endpoint for load balancers, compose health checks and monitoring.

Checks: the database, Redis, the worker heartbeat (beat -> broker -> worker round trip) and the
number of roll-ups waiting to be recomputed. Only the database decides the HTTP status: without
Redis or a worker the web and the API still serve (figures catch up later through the dirty-row
sweep), so a load balancer must keep sending traffic. Monitoring that wants to hear about any
failure asks for `?strict=1`, which answers 503 unless every check is ok.

Only signed-in staff, or monitoring sending `X-Health-Token: $HEALTH_DETAILS_TOKEN`, see each
check's result; everyone else (load balancers included) reads the overall status. Every Redis
look-up gives up after HEALTH_DEPENDENCY_TIMEOUT_SECONDS without retrying, so the page answers
within a second even when a dependency accepts connections and never replies.
"""

import hmac
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

IN_PROCESS = "not configured (tasks run in-process)"


class Degraded(Exception):
    """A check that answered, with a state that needs attention (e.g. a stale heartbeat)."""


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return IN_PROCESS
    from tracker.ops.heartbeat import redis_client

    redis_client(settings.HEALTH_DEPENDENCY_TIMEOUT_SECONDS, retry=False).ping()
    return "ok"


def _check_worker() -> str:
    if not settings.REDIS_URL:
        return IN_PROCESS
    from tracker.ops.heartbeat import heartbeat_age, is_stale

    age = heartbeat_age(timeout=settings.HEALTH_DEPENDENCY_TIMEOUT_SECONDS, retry=False)
    if is_stale(age):
        raise Degraded("no heartbeat" if age is None else f"stale: last heartbeat {age:.0f}s ago")
    return f"ok (last heartbeat {age:.0f}s ago)"


def _check_pending_rollups() -> str:
    from tracker.ops.rollups import pending_rollups

    pending = pending_rollups()
    summary = f"{pending.count} pending" + (
        f", oldest {pending.oldest_seconds:.0f}s" if pending.oldest_seconds is not None else ""
    )
    if pending.count > settings.HEALTH_MAX_PENDING_ROLLUPS or (
        pending.oldest_seconds is not None and pending.oldest_seconds > settings.HEALTH_MAX_ROLLUP_DELAY_SECONDS
    ):
        raise Degraded(summary)
    return f"ok ({summary})"


def _checks() -> tuple[tuple[str, Callable[[], str], bool], ...]:
    # name, check, critical; looked up on each call so that tests can replace a check
    return (
        ("database", _check_database, True),
        ("redis", _check_redis, False),
        ("worker", _check_worker, False),
        ("pending_rollups", _check_pending_rollups, False),
    )


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    critical_ok = True
    all_ok = True
    for name, check, critical in _checks():
        try:
            checks[name] = check()
        except Degraded as exc:
            checks[name] = f"degraded: {exc}"
            all_ok = False
        except Exception as exc:  # any failure of a dependency is reported, not raised
            checks[name] = f"error: {exc.__class__.__name__}"
            all_ok = False
            critical_ok = critical_ok and not critical
    status = "ok" if all_ok else ("degraded" if critical_ok else "error")
    strict = request.GET.get("strict") in {"1", "true", "yes"}
    healthy = all_ok if strict else critical_ok
    # Which components exist and how they fail is for the operators: others read ok/degraded/error.
    body: dict[str, object] = {"status": status, "checks": checks} if _is_staff(request) else {"status": status}
    return JsonResponse(body, status=200 if healthy else 503)


def _is_staff(request: HttpRequest) -> bool:
    token = settings.HEALTH_DETAILS_TOKEN
    if token and hmac.compare_digest(request.headers.get("X-Health-Token", ""), token):
        return True  # monitoring that sends the configured token
    try:  # the user is read from the session, in the database that may be the failing check
        user = request.user
        return bool(user.is_authenticated and user.is_active and user.is_staff)
    except Exception:
        return False
