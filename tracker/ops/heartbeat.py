"""Worker heartbeat: a beat-scheduled task stamps Redis, the health endpoint reads the stamp.

The stamp proves the whole chain that roll-ups depend on (beat -> broker -> worker) is alive, not
just that a worker process exists.
"""

from __future__ import annotations

import time

from django.conf import settings

KEY = "tracker:worker:heartbeat"
# Beat stamps every HEARTBEAT_SECONDS; three missed beats make the worker "stale".
STALE_AFTER_BEATS = 3


def redis_client(timeout: float = 2, *, retry: bool = True):  # type: ignore[no-untyped-def]
    """A client with socket timeouts; without `retry` a timeout is final (redis-py retries three
    times with backoff by default, which turned a 0.3 s timeout into 5 s)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    options = {} if retry else {"retry": Retry(NoBackoff(), 0)}
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout, **options)


def _redis(timeout: float = 2, *, retry: bool = True):  # type: ignore[no-untyped-def]
    return redis_client(timeout, retry=retry)


def heartbeat_record(*, now: float | None = None) -> None:
    moment = time.time() if now is None else now
    _redis().set(KEY, f"{moment:.3f}", ex=int(settings.HEARTBEAT_SECONDS * STALE_AFTER_BEATS * 10))


def heartbeat_age(*, now: float | None = None, timeout: float = 2, retry: bool = True) -> float | None:
    """Seconds since the last stamp, or None if there is none."""
    raw = _redis(timeout, retry=retry).get(KEY)
    if raw is None:
        return None
    return (time.time() if now is None else now) - float(raw)


def is_stale(age: float | None) -> bool:
    return age is None or age > settings.HEARTBEAT_SECONDS * STALE_AFTER_BEATS
