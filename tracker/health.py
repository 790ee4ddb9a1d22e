"""Health endpoint for load balancers, compose health checks and monitoring.

Checks: the database, Redis, the worker heartbeat (beat -> broker -> worker round trip) and the
number of roll-ups waiting to be recomputed. Only the database decides the HTTP status: without
Redis or a worker the web and the API still serve (figures catch up later through the dirty-row
sweep), so a load balancer must keep sending traffic. Monitoring that wants to hear about any
failure asks for `?strict=1`, which answers 503 unless every check is ok.
"""

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
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    return "ok"


def _check_worker() -> str:
    if not settings.REDIS_URL:
        return IN_PROCESS
    from tracker.ops.heartbeat import heartbeat_age, is_stale

    age = heartbeat_age()
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
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
