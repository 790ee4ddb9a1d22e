"""GET reports/communes/?province=91&period=2025-10&format=xlsx|csv|dhis2[&commune=30001]: the
commune-level export (commune_exports.py) through the API, with the refusals of api.py: 404 when
the user may not read the unit (never revealed), 403 for a role that may not do it, 400 for bad
input with the reason."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from tracker.exports import commune_exports
from tracker.exports.api import FILE, TAG, FileNegotiation, attachment, refusal
from tracker.exports.commune_access_rules import commune_export_request
from tracker.exports.services import ExportRefused


class CommuneReportApi(APIView):
    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=TAG,
        parameters=[
            OpenApiParameter("province", str, required=True),
            OpenApiParameter("period", str, required=True),
            OpenApiParameter("format", str, enum=list(commune_exports.FORMATS)),
            OpenApiParameter("commune", str, description="mã xã: chỉ một xã"),
        ],
        responses={200: FILE, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Any:
        try:
            asked = commune_export_request(
                user=request.user,
                province_code=str(request.query_params.get("province", "")),
                commune_code=str(request.query_params.get("commune", "")),
                period=str(request.query_params.get("period", "")),
                file_format=str(request.query_params.get("format", "xlsx")),
            )
        except ExportRefused as exc:
            return refusal(exc)
        rendered = commune_exports.commune_export(
            user=request.user,
            province=asked.province,
            period=asked.period,
            file_format=asked.file_format,
            commune=asked.commune,
        )
        return attachment(rendered.content, rendered.filename, rendered.content_type)
