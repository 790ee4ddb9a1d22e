"""Lockout after repeated failed logins (django-axes), on the web login, the admin login and the
API token login alike: all three call `authenticate()` with the request, which is what axes needs."""

from __future__ import annotations

import logging
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tracker.security.clientinfo import client_ip

logger = logging.getLogger("tracker.security")


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out (user name, address) pair before the password is even checked.

    Without a request there is no client to lock out: that is a shell, a management command or
    the test client's `login()`, none of them reachable from the network, so the check is skipped
    instead of failing (axes' own backend raises there).
    """

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    return _("Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {
        "minutes": lockout_minutes()
    }


def lockout_minutes() -> int:
    cool_off = get_cool_off()
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """429 with a Vietnamese message: JSON for the API, a page for the web and admin logins."""
    username = str((credentials or {}).get("username", "-"))[:150]
    logger.warning(
        "login locked out user=%s ip=%s path=%s",
        username,
        client_ip(request),
        request.path,
        extra={"event": "lockout", "user": username, "ip": client_ip(request)},
    )
    retry_after = str(lockout_minutes() * 60)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = retry_after
    return response
