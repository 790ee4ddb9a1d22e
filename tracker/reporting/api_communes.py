"""REST API of commune reporting (issue 17), in the style of tracker.reporting.api.

A commune report is a submission like a province's: its figures, submission, approval, return,
correction, comments, history and evidence go through /api/submissions/<id>/… (the permissions
and validation know the level). Here: listing and opening commune reports, the approver's batch
approval, the communes' coverage of a province report and the approver's reason for sending a
province report below the coverage threshold.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from provinces.selectors import province_for
from tracker import inputs
from tracker.accounts import permissions
from tracker.reporting import commune_selectors, communes
from tracker.reporting.api import (
    E400,
    E403,
    E404,
    LIST_PARAMETERS,
    TAG,
    ReportingApiView,
    detail_response,
    form_by_code,
    list_filters,
    province_by_code,
    status_response,
)
from tracker.reporting.commune_rollup import commune_coverage
from tracker.reporting.communes import BatchRefused
from tracker.reporting.errors import InvalidInput, SubmissionNotFound
from tracker.reporting.serializers import (
    ReportingErrorSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    SubmissionStatusSerializer,
)

COMMUNE_TAG = [*TAG, "communes"]


class CommuneSubmissionCreateSerializer(serializers.Serializer):
    commune = serializers.CharField(max_length=5, help_text="Mã xã, phường, đặc khu (5 chữ số, QĐ 19/2025/QĐ-TTg).")
    province = serializers.CharField(
        max_length=2, required=False, help_text="Mã tỉnh (không bắt buộc): nếu có, xã phải thuộc tỉnh này."
    )
    form = serializers.CharField(max_length=40, help_text="Mã biểu mẫu có báo cáo cấp xã.")
    period = serializers.CharField(max_length=7, help_text="YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).")


class BatchApproveSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=communes.MAX_BATCH,
        help_text="Mã (id) các báo cáo cấp xã đã gửi cần phê duyệt.",
    )


class BatchRefusalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField()
    reason = serializers.CharField()


class BatchRefusedSerializer(ReportingErrorSerializer):
    refused = BatchRefusalSerializer(many=True, required=False)


class CoverageNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="Lý do nộp báo cáo tỉnh khi chưa đủ xã được duyệt.")


CoverageSerializer = inline_serializer(
    "CommuneCoverage",
    {
        "province": serializers.CharField(),
        "form": serializers.CharField(),
        "period": serializers.CharField(),
        "approved": serializers.IntegerField(),
        "submitted": serializers.IntegerField(),
        "expected": serializers.IntegerField(),
        "threshold": serializers.IntegerField(),
        "below_threshold": serializers.BooleanField(),
        "text": serializers.CharField(),
    },
)


class CommuneReportingApiView(ReportingApiView):
    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, BatchRefused):
            return Response(
                {"detail": exc.message, "code": exc.code, "refused": [r.as_dict() for r in exc.refusals]},
                status=exc.http_status,
            )
        return super().handle_exception(exc)


class CommuneSubmissionListCreateApi(CommuneReportingApiView, ListAPIView):
    serializer_class = SubmissionSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        return commune_selectors.commune_report_list(
            user=self.request.user,
            province=params.get("province") or None,
            commune=params.get("commune") or None,
            **list_filters(params),
        )

    @extend_schema(
        tags=COMMUNE_TAG,
        summary="Danh sách báo cáo cấp xã bạn được xem",
        parameters=[
            OpenApiParameter("province", str, description="Mã tỉnh"),
            OpenApiParameter("commune", str, description="Mã xã, phường, đặc khu"),
            *LIST_PARAMETERS,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=COMMUNE_TAG,
        summary="Tạo (hoặc lấy lại) báo cáo của một xã cho một kỳ (cán bộ cấp xã)",
        request=CommuneSubmissionCreateSerializer,
        responses={201: SubmissionDetailSerializer, 200: SubmissionDetailSerializer, 400: E400, 403: E403},
    )
    def post(self, request: Request) -> Response:
        data = CommuneSubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = inputs.period(data.validated_data["period"])
        user: Any = request.user
        province = None
        if data.validated_data.get("province"):
            province = province_by_code(data.validated_data["province"], former=False)
        commune = communes.commune_by_code(data.validated_data["commune"], period=period, province=province)
        submission, created = communes.commune_submission_create(
            user=user, commune=commune, form=form_by_code(data.validated_data["form"]), period=period
        )
        return detail_response(submission, status=http.HTTP_201_CREATED if created else http.HTTP_200_OK)


class CommuneBatchApproveApi(CommuneReportingApiView):
    @extend_schema(
        tags=COMMUNE_TAG,
        summary="Phê duyệt nhiều báo cáo cấp xã cùng lúc (tất cả hoặc không báo cáo nào)",
        request=BatchApproveSerializer,
        responses={
            200: inline_serializer("BatchApproved", {"approved": SubmissionStatusSerializer(many=True)}),
            400: OpenApiResponse(BatchRefusedSerializer, description="Không phê duyệt báo cáo nào; lý do từng báo cáo"),
        },
    )
    def post(self, request: Request) -> Response:
        data = BatchApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approved = communes.commune_batch_approve(user=request.user, submission_ids=data.validated_data["ids"])
        return Response({"approved": [status_response(s).data for s in approved]})


class CommuneCoverageApi(CommuneReportingApiView):
    @extend_schema(
        tags=COMMUNE_TAG,
        summary="Số xã đã được duyệt / đã gửi / phải báo cáo của một tỉnh cho một biểu mẫu và kỳ",
        parameters=[
            OpenApiParameter("province", str, required=True, description="Mã tỉnh"),
            OpenApiParameter("form", str, required=True, description="Mã biểu mẫu"),
            OpenApiParameter("period", str, required=True, description="YYYY-MM, YYYY-Qn hoặc YYYY"),
        ],
        responses={200: CoverageSerializer, 400: E400, 404: E404},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        for name in ("province", "form", "period"):
            if not params.get(name):
                raise InvalidInput(_("Thiếu tham số “%(name)s”.") % {"name": name})
        province = province_for(params["province"], former=False)
        if province is None or not permissions.may_read_province(request.user, province):
            raise SubmissionNotFound(_("Không tìm thấy tỉnh."))
        form = form_by_code(params["form"])
        period = inputs.period(params["period"])
        coverage = commune_coverage(province, form, period)
        return Response(
            {
                "province": province.code,
                "form": form.code,
                "period": str(period),
                "approved": coverage.approved,
                "submitted": coverage.submitted,
                "expected": coverage.expected,
                "threshold": coverage.threshold,
                "below_threshold": coverage.below_threshold,
                "text": coverage.words(),
            }
        )


class SubmissionCoverageNoteApi(CommuneReportingApiView):
    @extend_schema(
        tags=COMMUNE_TAG,
        summary="Ghi lý do nộp báo cáo tỉnh khi chưa đủ xã được duyệt (lãnh đạo phê duyệt)",
        request=CoverageNoteSerializer,
        responses={200: SubmissionStatusSerializer, 400: E400, 403: E403, 404: E404},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = CoverageNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = communes.coverage_note_record(submission=pk, user=request.user, note=data.validated_data["note"])
        return status_response(submission)
