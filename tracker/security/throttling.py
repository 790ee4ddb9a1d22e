"""API rate limits: anonymous callers per address, signed-in users per account, logins per address.

The rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] and are read on every request (DRF's
own classes read them once at import, so tests could not change them). A cache outage must not
take the API down with it, so a throttle whose cache fails lets the request through and logs it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework import throttling

logger = logging.getLogger("tracker.security")


def _enabled() -> bool:
    return bool(getattr(settings, "API_THROTTLE_ENABLED", True))


class _ConfiguredRate:
    scope: str | None

    def get_rate(self) -> str | None:
        rates: Any = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {}
        return rates.get(self.scope or "")

    def allow_request(self, request: Any, view: Any) -> bool:
        if not _enabled():
            return True
        try:
            return bool(super().allow_request(request, view))  # type: ignore[misc]
        except Exception:  # the limiter's cache is down: serving beats refusing everyone
            logger.exception("throttle cache unavailable; request let through")
            return True


class AnonRateThrottle(_ConfiguredRate, throttling.AnonRateThrottle):
    scope = "anon"


class UserRateThrottle(_ConfiguredRate, throttling.UserRateThrottle):
    scope = "user"


class LoginRateThrottle(_ConfiguredRate, throttling.SimpleRateThrottle):
    """Login attempts per client address, whoever they claim to be."""

    scope = "login"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def login_allowed(request: HttpRequest) -> bool:
    """The same login limit for the web and admin login forms, which are not DRF views."""
    return LoginRateThrottle().allow_request(request, None)
