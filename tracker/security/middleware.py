"""Request-level guards: body size, login rate, admin access, and a log line for every refusal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tracker import inputs
from tracker.accounts.models import Role
from tracker.security.clientinfo import client_ip, username_of
from tracker.security.throttling import login_allowed

logger = logging.getLogger("tracker.security")

REFUSED = {400, 401, 403, 405, 413, 429}


def _refusal(request: HttpRequest, status: int, message: str, *, code: str) -> HttpResponse:
    """The API's error shape {"detail", "code"} (tracker.api_errors) under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    return render(request, "registration/refused.html", {"message": message}, status=status)


class RequestSizeLimitMiddleware:
    """Refuses a body larger than REQUEST_MAX_BYTES from its Content-Length, before Django reads it.

    DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, which Django streams to a temporary
    file: without this, a gigabyte upload would fill the disk before the evidence check refused it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return _refusal(
                request,
                413,
                _("Dữ liệu gửi lên quá lớn (tối đa %(mb)d MB).") % {"mb": settings.REQUEST_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return self.get_response(request)


class InvalidCharacterMiddleware:
    """Refuses NUL and other control characters (and lone surrogates) in the path, the query and
    a form body with 400, naming the field.

    No text the product stores or filters on can contain one: PostgreSQL refuses NUL inside any
    string, UTF-8 cannot encode a lone surrogate and the Excel writer refuses the other controls,
    so they would otherwise surface as a server error in whichever view passed them on, or later
    in a download. JSON bodies under /api/ are checked by the API's parser (tracker.api_parsers),
    other JSON here; the files of a multipart body are checked by their own importers.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is not None:
            return _refusal(request, 400, problem, code="invalid_characters")
        return self.get_response(request)

    def _problem(self, request: HttpRequest) -> str | None:
        if inputs.text_problem(request.path_info):
            return _("Địa chỉ chứa ký tự không hợp lệ.")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            return _("Dữ liệu gửi lên chứa ký tự không hợp lệ.")
        found = self._bad_field(request.GET)
        if found is None and request.method in {"POST", "PUT", "PATCH"} and request.content_type in self.FORM_TYPES:
            found = self._bad_field(request.POST)
        elif (
            found is None
            and request.content_type == "application/json"
            and not request.path.startswith("/api/")
            and request.META.get("CONTENT_LENGTH")
        ):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body:
                return _("Dữ liệu gửi lên chứa ký tự không hợp lệ.")
        if found is not None:
            field, problem = found
            return _("Trường “%(field)s” %(problem)s") % {"field": field, "problem": problem}
        return None

    @staticmethod
    def _bad_field(data: QueryDict) -> tuple[str, str] | None:
        for key, values in data.lists():
            for text in (key, *values):
                problem = inputs.text_problem(text)
                if problem:
                    return inputs.printable(key), problem
        return None


class LoginRateLimitMiddleware:
    """The web and admin login forms share the API token login's per-address rate limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def login_paths(self) -> frozenset[str]:
        return frozenset({reverse(settings.LOGIN_URL), reverse("admin:login")})

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path in self.login_paths and not login_allowed(request):
            response = _refusal(
                request, 429, _("Quá nhiều lần đăng nhập. Vui lòng thử lại sau ít phút."), code="throttled"
            )
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)


def may_use_admin(user: object) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and (getattr(user, "role", None) == Role.ADMIN or getattr(user, "is_superuser", False))
    )


class AdminAccessMiddleware:
    """Only system administrators reach the Django admin, even if someone ticked `is_staff` on a
    reviewer: the admin edits the catalogue and users, which is the admin role's job alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("admin:index")

    @cached_property
    def open_paths(self) -> frozenset[str]:
        # Signing in and out must stay reachable, or a refused user could not switch accounts.
        return frozenset({reverse("admin:login"), reverse("admin:logout")})

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.path.startswith(self.admin_prefix)
            and request.path not in self.open_paths
            and getattr(user, "is_authenticated", False)
            and not may_use_admin(user)
        ):
            return _refusal(request, 403, _("Chỉ quản trị hệ thống được vào trang quản trị."), code="permission_denied")
        return self.get_response(request)


class RefusedRequestLogMiddleware:
    """One warning line for every refused request (401, 403, 429, …): who, from where, what."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in REFUSED:
            logger.warning(
                "refused status=%s method=%s path=%s user=%s ip=%s",
                response.status_code,
                request.method,
                request.path,
                username_of(request),
                client_ip(request),
                extra={
                    "event": "refused",
                    "status": response.status_code,
                    "method": request.method,
                    "path": request.path,
                    "user": username_of(request),
                    "ip": client_ip(request),
                },
            )
        return response
