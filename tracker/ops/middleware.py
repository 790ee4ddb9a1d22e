"""A database outage answers 503 with a short message instead of a 500 and a traceback.

Connections are checked before reuse (CONN_HEALTH_CHECKS), so once PostgreSQL is back the next
request reconnects: no restart of the web processes is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _

from tracker.refusals import failure_reference

logger = logging.getLogger("tracker.ops")

RETRY_AFTER_SECONDS = 5


def database_is_down(exc: BaseException) -> bool:
    """Connection failures, not query errors: a broken query must stay a loud 500."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    for name in connections:
        connection = connections[name]
        if connection.connection is None or not connection.is_usable():
            return True
    return False


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError) or not database_is_down(exception):
            return None
        logger.error("database unavailable path=%s error=%s", request.path, exception.__class__.__name__)
        for name in connections:
            # Drop the broken connection now; the next request opens a fresh one.
            connections[name].close_if_unusable_or_obsolete()
        message = _("Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.")
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "code": "service_unavailable"}, status=503)
        else:
            response = SimpleTemplateResponse("ops/unavailable.html", {"message": message}, status=503)
            response.render()
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class ApiJsonErrorsMiddleware:
    """Under /api/ a 404 for an unknown address, or a 500, answers JSON like the rest of the API,
    not Django's HTML page: API clients parse every answer as JSON, in the API's error shape
    {"detail", "code"} (tracker.api_errors).

    An unexpected error is logged with a short reference, and only the reference reaches the user
    (in the JSON here, on the 500 page elsewhere): never the exception's text.
    """

    CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 500: "server_error"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self.CODES
            and response.get("Content-Type", "").startswith("text/html")
        ):
            message = {
                400: _("Yêu cầu không hợp lệ."),
                403: _("Bạn không có quyền thực hiện thao tác này."),
                404: _("Không tìm thấy."),
                500: _("Lỗi máy chủ."),
            }[response.status_code]
            body = {"detail": message, "code": self.CODES[response.status_code]}
            reference = getattr(request, "error_reference", "")
            if response.status_code == 500 and reference:
                body["detail"] = _("Lỗi máy chủ (mã tham chiếu %(ref)s); lỗi đã được ghi lại.") % {"ref": reference}
                body["reference"] = reference
            return JsonResponse(body, status=response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, DatabaseError) and database_is_down(exception):
            return  # an outage, answered 503 by DatabaseUnavailableMiddleware: no bug to trace
        reference = failure_reference()
        request.error_reference = reference  # type: ignore[attr-defined]
        logger.error("unhandled error ref=%s path=%s", reference, request.path, exc_info=exception)
