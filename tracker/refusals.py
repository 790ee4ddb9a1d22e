"""Answering a refused input the same way on every path: 400 with the message in the user's
language, as the API's {"detail", "code", "field"} under /api/ and the refusal page elsewhere."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tracker.inputs import InputRefused


def failure_reference() -> str:
    """A short reference written to the log beside a failure's details and shown to the user instead."""
    return uuid.uuid4().hex[:10]


def refused_response(request: HttpRequest, message: str, *, status: int = 400, code: str = "invalid") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    return render(request, "registration/refused.html", {"message": message}, status=status)


def refuses_bad_input(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose query (filters, periods) is parsed by tracker.inputs: a refused value is a 400."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except InputRefused as exc:
            return refused_response(request, exc.message)

    return wrapper
