"""One shape for every error the API's views answer: an object with `detail`, a sentence for
people, and `code`, a machine-readable reason (`not_found`, `permission_denied`, `invalid`, …).

DRF's own refusals are reshaped here (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]):

- {"detail": …} (not found, permission denied, not authenticated, malformed JSON, method not
  allowed, unsupported media type, throttled) gains the exception's `code`;
- a serializer's {field: [messages]} keeps its fields and gains `detail` and `code: "invalid"`;
  a bare list of messages becomes {"detail": the messages, "code": "invalid"}.

Apps that refuse with their own errors (tracker.reporting.errors) build the same shape themselves.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.inputs import InputRefused

INVALID = "invalid"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, InputRefused):  # tracker.inputs refused a query parameter or a field
        return Response({"detail": exc.message, "code": exc.code, "field": exc.field}, status=400)
    exc = _without_raw_text(exc)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response


def _without_raw_text(exc: Exception) -> Exception:
    """DRF words some refusals with the text of the error behind them ("JSON parse error - Expecting
    value: line 1 column 2", "Multipart form parse error - …", "CSRF Failed: …"): English, and
    internals a user should not read. They are replaced with the product's own sentences."""
    if isinstance(exc, exceptions.ParseError) and not getattr(exc, "checked", False):
        return exceptions.ParseError(_("Dữ liệu gửi lên không đọc được (sai định dạng)."), code="parse_error")
    if isinstance(exc, exceptions.Throttled):
        # DRF formats the wait into its English sentence before translating it: never found in a catalogue.
        wait = getattr(exc, "wait", None)  # set by DRF's constructor; absent from its stubs
        seconds = max(1, math.ceil(wait or 1))
        throttled = exceptions.Throttled(wait=wait)
        throttled.detail = exceptions.ErrorDetail(
            _("Quá nhiều yêu cầu. Hãy thử lại sau %(seconds)d giây.") % {"seconds": seconds}, code="throttled"
        )
        return throttled
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return exceptions.PermissionDenied(
            _("Phiên làm việc không còn hợp lệ (CSRF): hãy tải lại trang rồi thử lại."), code="csrf_failed"
        )
    return exc


def error_body(data: Any) -> dict[str, Any]:
    """DRF's error data as {"detail", "code", …}; fields of a validation error are kept."""
    if isinstance(data, dict) and "detail" in data and not isinstance(data["detail"], list | dict):
        return {**data, "code": data.get("code") or getattr(data["detail"], "code", None) or "error"}
    if isinstance(data, dict):
        return {**data, "detail": _("Dữ liệu gửi lên không hợp lệ."), "code": INVALID}
    return {"detail": " ".join(_messages(data)), "code": INVALID}


def _messages(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [message for value in data.values() for message in _messages(value)]
    if isinstance(data, list):
        return [message for value in data for message in _messages(value)]
    return [str(data)]
