"""The entry form's per-cell save (`POST /api/v1/submissions/{id}/cells/{element}/`).

Used by the form page on blur and by its offline queue; open to integrators too. Answers:
200 the stored cell, the report's new version and status, the whole draft's warnings and counts;
400 `invalid` (unknown element, oversized text), `transition_not_allowed`, `locked`;
403/404 as everywhere; 409 `cell_conflict` with the server's cell and yours side by side, or
409 `status_changed` when the value was typed for a draft whose status changed since.
A value failing its own checks is not an error here: it is stored with `error` set.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.reporting import cells, services
from tracker.reporting.api import E400, E403, E404, TAG, ReportingApiView
from tracker.reporting.errors import ReportingError
from tracker.reporting.models import Submission


class CellSaveSerializer(serializers.Serializer):
    value = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="Như đã gõ (1.234,5 · 12,5 · có/không), đọc theo `locale`; bỏ khóa để chỉ sửa ghi chú.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_COMMENT)
    version = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="Phiên bản của ô đã đọc; ô đã đổi → 409."
    )
    locale = serializers.ChoiceField(choices=["vi", "en"], required=False, help_text="Ngôn ngữ của trang đã gõ.")
    status = serializers.ChoiceField(
        choices=[s.value for s in Submission.Status],
        required=False,
        help_text="Trạng thái báo cáo lúc gõ (hàng đợi ngoại tuyến); đã đổi → 409.",
    )


class CellSerializer(serializers.Serializer):
    element = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    error = serializers.CharField()
    comment = serializers.CharField()
    version = serializers.IntegerField()
    updated_by = serializers.CharField()
    updated_at = serializers.CharField()


class CellSavedSerializer(serializers.Serializer):
    cell = CellSerializer()
    submission = serializers.DictField()
    warnings = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    outliers = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    counts = serializers.DictField(child=serializers.IntegerField())


class CellConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    server = CellSerializer()
    yours = serializers.DictField()


def cell_error_response(exc: ReportingError) -> Response | None:
    if isinstance(exc, cells.CellConflict):
        body: dict[str, Any] = {
            "detail": exc.message,
            "code": exc.code,
            "server": exc.server.as_dict(),
            "yours": exc.yours,
        }
        return Response(body, status=exc.http_status)
    return None


def saved_body(saved: cells.CellSaved) -> dict[str, Any]:
    return {
        "cell": saved.cell.as_dict(),
        "submission": {"version": saved.submission_version, "status": saved.status},
        "warnings": saved.warnings,
        "outliers": saved.outliers,
        "counts": saved.counts,
    }


class SubmissionCellApi(ReportingApiView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ReportingError) and (response := cell_error_response(exc)) is not None:
            return response
        return super().handle_exception(exc)

    @extend_schema(
        tags=TAG,
        summary="Lưu một ô của biểu mẫu (giữ cả giá trị chưa hợp lệ trong bản nháp)",
        request=CellSaveSerializer,
        responses={
            200: CellSavedSerializer,
            400: E400,
            403: E403,
            404: E404,
            409: OpenApiResponse(CellConflictSerializer, description="Ô đã bị người khác đổi; hai giá trị cạnh nhau"),
        },
    )
    def post(self, request: Request, pk: int, element: str) -> Response:
        data = CellSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        validated = data.validated_data
        saved = cells.cell_save(
            submission=pk,
            user=request.user,
            element=element,
            raw=validated["value"] if "value" in request.data else services.UNSET,
            comment=validated.get("comment"),
            base_version=validated.get("version"),
            locale=validated.get("locale") or (get_language() or "vi")[:2],
            expected_status=validated.get("status"),
        )
        return Response(saved_body(saved))
