"""Logins, logouts and failed logins go to the `tracker.security` log (never the password)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tracker.security.clientinfo import client_ip

logger = logging.getLogger("tracker.security")


def _path(request: Any) -> str:
    return str(getattr(request, "path", "-")) if request is not None else "-"


@receiver(user_logged_in, dispatch_uid="tracker.security.audit.logged_in")
def log_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info(
        "login ok user=%s ip=%s path=%s",
        user.get_username(),
        client_ip(request),
        _path(request),
        extra={"event": "login", "user": user.get_username(), "ip": client_ip(request)},
    )


@receiver(user_logged_out, dispatch_uid="tracker.security.audit.logged_out")
def log_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    name = user.get_username() if user is not None else "-"
    logger.info("logout user=%s ip=%s", name, client_ip(request), extra={"event": "logout", "user": name})


@receiver(user_login_failed, dispatch_uid="tracker.security.audit.login_failed")
def log_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django already replaces the password in `credentials` with stars; only the name is logged.
    name = str(credentials.get("username", "-"))[:150]
    logger.warning(
        "login failed user=%s ip=%s path=%s",
        name,
        client_ip(request),
        _path(request),
        extra={"event": "login_failed", "user": name, "ip": client_ip(request)},
    )
