"""Who is asking: the client address and user name as written to the security log."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest


def client_ip(request: HttpRequest | Any) -> str:
    """REMOTE_ADDR: gunicorn sits behind one reverse proxy that rewrites it, and a client-sent
    X-Forwarded-For is not trusted (it would let an attacker choose their lockout bucket)."""
    meta = getattr(request, "META", None) or {}
    return str(meta.get("REMOTE_ADDR") or "-")


def username_of(request: HttpRequest | Any) -> str:
    try:
        user = getattr(request, "user", None)  # lazy: may read the session from the database
        if user is not None and getattr(user, "is_authenticated", False):
            return str(user.get_username())
    except DatabaseError:  # a log line must not turn a refusal into a server error
        return "?"
    return "-"
