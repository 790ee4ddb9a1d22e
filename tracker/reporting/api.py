"""REST API of the reporting workflow. Thin: each view parses input, calls one service or
selector and maps the service's refusals to HTTP:

- 404: the submission does not exist *or the user may not read it* (another province's report):
  existence is never revealed, for reads and writes alike.
- 403: the user may read the submission but their role may not do this (an officer approving).
- 400: the action does not fit the status (submitting an approved report), the submission is
  locked, a required comment or reason is missing, or per-element value errors.
- 409: a stale `version`; the body carries the stored values.

Every error body has `detail` and `code` (the ReportingError's, or DRF's through
tracker.api_errors for malformed requests: `invalid`, with the wrong fields' messages).
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kpis.models import ReportForm
from provinces.models import Province
from provinces.selectors import province_for
from tracker import inputs
from tracker.reporting import evidence as evidence_services
from tracker.reporting import prefill, selectors, services
from tracker.reporting.errors import FlagsNotAcknowledged, InvalidInput, ReportingError, ValuesInvalid, VersionConflict
from tracker.reporting.formatting import canonical
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.serializers import (
    FlagsNotAcknowledgedSerializer,
    ReportingErrorSerializer,
    ReportingPeriodOpenSerializer,
    SubmissionApproveSerializer,
    SubmissionAuditEntrySerializer,
    SubmissionCommentSerializer,
    SubmissionCorrectionSerializer,
    SubmissionCreateSerializer,
    SubmissionDetailSerializer,
    SubmissionEvidenceSerializer,
    SubmissionEvidenceUploadSerializer,
    SubmissionLockExceptionSerializer,
    SubmissionReturnSerializer,
    SubmissionSavedSerializer,
    SubmissionSerializer,
    SubmissionStatusSerializer,
    SubmissionValuesUpdateSerializer,
    SubmissionVersionSerializer,
    ValuesInvalidSerializer,
    VersionConflictSerializer,
)

TAG = ["reporting"]
E400 = OpenApiResponse(
    ReportingErrorSerializer,
    description=gettext_lazy("Không áp dụng được cho trạng thái hiện tại, đã khóa, hoặc dữ liệu sai."),
)
E403 = OpenApiResponse(ReportingErrorSerializer, description=gettext_lazy("Vai trò của bạn không được làm việc này."))
E404 = OpenApiResponse(
    ReportingErrorSerializer, description=gettext_lazy("Không có, hoặc bạn không được xem báo cáo này.")
)


def form_by_code(code: str) -> ReportForm:
    form = ReportForm.objects.filter(code=code).first()
    if form is None:
        raise InvalidInput(_("Không có biểu mẫu mã “%(code)s”.") % {"code": code})
    return form


def province_by_code(code: str, *, former: bool) -> Province:
    province = province_for(code, former=former)
    if province is None:
        message = (
            _("Không có đơn vị hành chính cũ mã “%(code)s”.")
            if former
            else _("Không có tỉnh, thành phố mã “%(code)s”.")
        )
        raise InvalidInput(message % {"code": code})
    return province


# The filters every list of reports takes, whatever their level.
LIST_PARAMETERS = [
    OpenApiParameter("form", str, description="Mã biểu mẫu"),
    OpenApiParameter("period", str, description="YYYY-MM, YYYY-Qn hoặc YYYY"),
    OpenApiParameter("status", str, enum=[s.value for s in Submission.Status]),
]


class ListFilters(TypedDict):
    form: str | None
    period: str | None
    status: str | None


def list_filters(params: Any) -> ListFilters:
    """LIST_PARAMETERS' values; a malformed period or an unknown status is refused (400), not
    answered with an empty list."""
    return ListFilters(
        form=params.get("form") or None,
        period=str(inputs.period(params["period"])) if params.get("period") else None,
        status=inputs.choice(params["status"], Submission.Status.values, field="status")
        if params.get("status")
        else None,
    )


def error_response(exc: ReportingError) -> Response:
    body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
    if isinstance(exc, ValuesInvalid):
        body["errors"] = exc.errors
        body["form_errors"] = exc.form_errors
    if isinstance(exc, FlagsNotAcknowledged):
        body["flags"] = exc.flags
    if isinstance(exc, VersionConflict):
        body.update(exc.as_dict())
        body["values"] = [
            {"element": v.element, "value": None if v.value is None else canonical(v.value), "comment": v.comment}
            for v in exc.values
        ]
    return Response(body, status=exc.http_status)


class ReportingApiView(APIView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ReportingError):
            return error_response(exc)
        return super().handle_exception(exc)

    def submission(self, pk: int) -> Submission:
        return selectors.submission_get(user=self.request.user, pk=pk)


def detail_response(submission: Submission, *, status: int = http.HTTP_200_OK, warnings: Any = None) -> Response:
    context = {
        "rows": selectors.submission_values(submission),
        "evidence": list(selectors.submission_evidence(submission)),
        "warnings": warnings or {},
    }
    return Response(SubmissionDetailSerializer(submission, context=context).data, status=status)


class SubmissionListCreateApi(ReportingApiView, ListAPIView):
    serializer_class = SubmissionSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        former = params.get("former")
        return selectors.submission_list(
            user=self.request.user,
            province=params.get("province") or None,
            former=None if former is None else inputs.boolean(former, field="former"),
            **list_filters(params),
        )

    @extend_schema(
        tags=TAG,
        summary="Danh sách báo cáo bạn được xem",
        parameters=[
            OpenApiParameter("province", str, description="Mã tỉnh"),
            OpenApiParameter("former", bool, description="true: chỉ đơn vị cũ; false: chỉ đơn vị hiện tại"),
            *LIST_PARAMETERS,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="Tạo (hoặc lấy lại) báo cáo của một tỉnh cho một kỳ",
        request=SubmissionCreateSerializer,
        responses={201: SubmissionDetailSerializer, 200: SubmissionDetailSerializer, 400: E400, 403: E403},
    )
    def post(self, request: Request) -> Response:
        data = SubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        province = province_by_code(data.validated_data["province"], former=data.validated_data["former"])
        submission, created = services.submission_create(
            user=request.user,
            province=province,
            form=form_by_code(data.validated_data["form"]),
            period=data.validated_data["period"],
        )
        # Whoever may create a province's submission may read it, so returning it leaks nothing.
        return detail_response(submission, status=http.HTTP_201_CREATED if created else http.HTTP_200_OK)


class SubmissionDetailApi(ReportingApiView):
    @extend_schema(tags=TAG, summary="Một báo cáo với số liệu", responses={200: SubmissionDetailSerializer, 404: E404})
    def get(self, request: Request, pk: int) -> Response:
        return detail_response(self.submission(pk))


class SubmissionValuesApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Lưu số liệu (khóa lạc quan theo phiên bản)",
        request=SubmissionValuesUpdateSerializer,
        responses={
            200: SubmissionSavedSerializer,
            400: OpenApiResponse(ValuesInvalidSerializer, description="Lỗi theo từng chỉ tiêu dữ liệu"),
            403: E403,
            404: E404,
            409: OpenApiResponse(VersionConflictSerializer, description="Phiên bản đã cũ; kèm số liệu hiện tại"),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        data = SubmissionValuesUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.submission_values_update(
            submission=pk,
            user=request.user,
            version=data.validated_data["version"],
            values=data.validated_data["values"],
            reason=data.validated_data.get("reason", ""),
        )
        return saved_response(result.submission, warnings=result.warnings)


def saved_response(submission: Submission, *, warnings: dict[str, list[str]]) -> Response:
    """The new version and the stored figures, read as plain rows: a full form saves often."""
    body = dict(SubmissionSerializer(submission).data)
    body["values"] = [
        {
            "element": code,
            "value": None if value is None else canonical(value),
            "approved_value": None if approved is None else canonical(approved),
            "comment": comment,
        }
        for code, value, approved, comment in DataValue.objects.filter(submission=submission)
        .order_by("element__code")
        .values_list("element__code", "value", "approved_value", "comment")
    ]
    body["warnings"] = warnings
    return Response(body)


def status_response(submission: Submission, *, status: int = http.HTTP_200_OK) -> Response:
    return Response({"id": submission.pk, "status": submission.status, "version": submission.version}, status=status)


TRANSITION_RESPONSES = {
    200: SubmissionStatusSerializer,
    400: E400,
    403: E403,
    404: E404,
    409: VersionConflictSerializer,
}


class SubmissionSubmitApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Gửi báo cáo cho lãnh đạo phê duyệt",
        request=SubmissionVersionSerializer,
        responses={**TRANSITION_RESPONSES, 400: OpenApiResponse(ValuesInvalidSerializer)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_submit(
            submission=pk, user=request.user, version=data.validated_data.get("version")
        )
        return status_response(submission)


class SubmissionApproveApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Phê duyệt báo cáo",
        description=(
            "Báo cáo sẽ tạo số liệu cần kiểm tra (giá trị vượt giới hạn tự nhiên, tổng số âm) chỉ được "
            "phê duyệt với acknowledge_flags=true; thiếu xác nhận → 409, code flags_not_acknowledged, "
            "kèm danh sách cảnh báo (flags), không ghi gì."
        ),
        request=SubmissionApproveSerializer,
        responses={
            **TRANSITION_RESPONSES,
            409: OpenApiResponse(
                FlagsNotAcknowledgedSerializer, description="Cảnh báo số liệu chưa được xác nhận, hoặc phiên bản đã cũ"
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_approve(
            submission=pk,
            user=request.user,
            version=data.validated_data.get("version"),
            acknowledge_flags=data.validated_data["acknowledge_flags"],
        )
        return status_response(submission)


class SubmissionReturnApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Trả lại báo cáo (bắt buộc ý kiến)",
        request=SubmissionReturnSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_return(
            submission=pk,
            user=request.user,
            comment=data.validated_data["comment"],
            version=data.validated_data.get("version"),
        )
        return status_response(submission)


class SubmissionCorrectApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Mở điều chỉnh báo cáo đã phê duyệt (bắt buộc lý do)",
        request=SubmissionCorrectionSerializer,
        responses=TRANSITION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_correction_open(
            submission=pk,
            user=request.user,
            reason=data.validated_data["reason"],
            version=data.validated_data.get("version"),
        )
        return status_response(submission)


class SubmissionPrefillApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Điền sẵn số liệu tồn (giá trị cuối kỳ) từ kỳ trước",
        request=SubmissionVersionSerializer,
        responses={200: SubmissionSavedSerializer, 400: E400, 403: E403, 404: E404, 409: VersionConflictSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = prefill.submission_prefill(
            submission=pk, user=request.user, version=data.validated_data.get("version")
        )
        response = saved_response(report.submission, warnings={})
        response.data["prefill"] = {
            "filled": report.filled,
            "kept": report.kept,
            "skipped": report.skipped,
            "messages": report.messages(),
        }
        return response


class SubmissionCommentApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Ghi ý kiến vào lịch sử báo cáo",
        request=SubmissionCommentSerializer,
        responses={201: SubmissionAuditEntrySerializer, 400: E400, 404: E404},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.submission_comment_add(submission=pk, user=request.user, text=data.validated_data["text"])
        return Response(SubmissionAuditEntrySerializer(entry).data, status=http.HTTP_201_CREATED)


class SubmissionLockExceptionApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Mở khóa ngoại lệ cho báo cáo đã quá hạn khóa (chuyên viên Bộ)",
        request=SubmissionLockExceptionSerializer,
        responses={201: SubmissionStatusSerializer, 400: E400, 403: E403, 404: E404},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionLockExceptionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exception = services.lock_exception_grant(
            submission=pk,
            user=request.user,
            reason=data.validated_data["reason"],
            days=data.validated_data["days"],
        )
        return status_response(exception.submission, status=http.HTTP_201_CREATED)


class SubmissionHistoryApi(ReportingApiView, ListAPIView):
    serializer_class = SubmissionAuditEntrySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.submission_history(self.submission(self.kwargs["pk"]))

    @extend_schema(tags=TAG, summary="Lịch sử thay đổi (nhật ký) của báo cáo")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SubmissionEvidenceApi(ReportingApiView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAG, summary="Danh sách minh chứng", responses={200: SubmissionEvidenceSerializer(many=True), 404: E404}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            SubmissionEvidenceSerializer(selectors.submission_evidence(self.submission(pk)), many=True).data
        )

    @extend_schema(
        tags=TAG,
        summary="Đính kèm minh chứng (PDF, PNG, JPG, DOCX, XLSX)",
        request={"multipart/form-data": SubmissionEvidenceUploadSerializer},
        responses={201: SubmissionEvidenceSerializer, 400: E400, 403: E403, 404: E404},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = SubmissionEvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = evidence_services.evidence_upload(
            submission=pk,
            user=request.user,
            upload=data.validated_data["file"],
            element_code=data.validated_data.get("element", ""),
            description=data.validated_data.get("description", ""),
        )
        return Response(SubmissionEvidenceSerializer(evidence).data, status=http.HTTP_201_CREATED)


class EvidenceDownloadApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Tải minh chứng (chỉ người được xem báo cáo)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: E404},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = evidence_services.evidence_for_download(user=request.user, evidence_id=pk)
        return evidence_file_response(evidence)


def evidence_file_response(evidence: Any) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class PeriodOpenApi(ReportingApiView):
    @extend_schema(
        tags=TAG,
        summary="Mở kỳ báo cáo cho mọi tỉnh (quản trị)",
        request=ReportingPeriodOpenSerializer,
        responses={
            200: inline_serializer("PeriodOpened", {"created": serializers.IntegerField()}),
            400: E400,
            403: E403,
        },
    )
    def post(self, request: Request) -> Response:
        data = ReportingPeriodOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.period_open(
            user=request.user, form=form_by_code(data.validated_data["form"]), period=data.validated_data["period"]
        )
        return Response({"created": len(created)})
