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


def _redis():  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def heartbeat_record(*, now: float | None = None) -> None:
    moment = time.time() if now is None else now
    _redis().set(KEY, f"{moment:.3f}", ex=int(settings.HEARTBEAT_SECONDS * STALE_AFTER_BEATS * 10))


def heartbeat_age(*, now: float | None = None) -> float | None:
    """Seconds since the last stamp, or None if there is none."""
    raw = _redis().get(KEY)
    if raw is None:
        return None
    return (time.time() if now is None else now) - float(raw)


def is_stale(age: float | None) -> bool:
    return age is None or age > settings.HEARTBEAT_SECONDS * STALE_AFTER_BEATS
