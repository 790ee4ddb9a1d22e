"""The commune-level export as a download from the province and commune pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tracker.exports import commune_exports
from tracker.exports.commune_access_rules import commune_export_request
from tracker.exports.services import ExportRefused
from tracker.refusals import refused_response


@login_required
@require_GET
def commune_export(request: HttpRequest, province: str) -> HttpResponse:
    """?period=2025-10&format=xlsx|csv|dhis2[&xa=<commune code>]"""
    try:
        asked = commune_export_request(
            user=request.user,
            province_code=province,
            commune_code=request.GET.get("xa", ""),
            period=request.GET.get("period", ""),
            file_format=request.GET.get("format", "xlsx"),
        )
    except ExportRefused as exc:
        if exc.status == 404:
            raise Http404 from exc
        return refused_response(request, exc.message, status=exc.status)
    rendered = commune_exports.commune_export(
        user=request.user,
        province=asked.province,
        period=asked.period,
        file_format=asked.file_format,
        commune=asked.commune,
    )
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
