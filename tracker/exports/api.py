"""REST API of reports and data exchange (stable paths in the issue's API contract).

- GET  reports/province/?province=91&period=2025-Q4&format=pdf|docx|xlsx|csv  -> the file (200)
- GET  reports/national/?period=2025-Q4&format=pdf|docx|xlsx|csv          -> 202 + job
- GET  jobs/, jobs/{id}/, jobs/{id}/download/
- GET  templates/?province=91&form=BC_THANG&period=2025-10               -> the .xlsx template
- POST templates/upload/  (multipart `file`)                             -> saved as a draft, or 400 with every error
- POST imports/bulk/      (multipart `file`, dry_run, approve; admins)   -> what would change / what changed
- GET/POST dataValueSets  (DHIS2 JSON; POST ?dryRun=true)                -> dataValueSet / import summary
- GET  opensdg/{indicator code}.csv                                      -> Open SDG data file

Refusals: 404 when the user may not read the province (never revealed), 403 for a role that may
not do the action, 400 for bad input with the reason in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status as http
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from kpis.models import Indicator, ReportForm
from provinces.selectors import province_for
from tracker import inputs
from tracker.accounts import permissions
from tracker.api_parsers import BoundedJSONParser
from tracker.exports import bulk_import, dhis2, reports, selectors, services
from tracker.exports.cells import FileInvalid
from tracker.exports.models import ExportJob
from tracker.exports.serializers import (
    BulkUploadSerializer,
    DataValueSetSerializer,
    ExportJobSerializer,
    FileErrorSerializer,
    ImportSummarySerializer,
    ProvinceReportQuerySerializer,
    ReportQuerySerializer,
    UploadSerializer,
    job_payload,
)
from tracker.exports.services import ExportRefused

TAG = ["exports"]
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="PDF, DOCX, XLSX hoặc CSV")


class _KeepFormatParameter:
    """API settings without the `?format=` override: here `format` names the file, not the renderer."""

    URL_FORMAT_OVERRIDE = None

    def __getattr__(self, name: str) -> Any:
        return getattr(api_settings, name)


class FileNegotiation(DefaultContentNegotiation):
    settings = _KeepFormatParameter()  # type: ignore[assignment]


# Machine-readable reasons of this API's refusals, as tracker.api_errors gives DRF's own.
ERROR_CODES = {
    400: "invalid",
    403: "permission_denied",
    404: "not_found",
    409: "not_ready",
    410: "expired",
    413: "too_large",
}


def error_response(detail: str, status: int, **extra: Any) -> Response:
    return Response({"detail": detail, "code": ERROR_CODES.get(status, "error"), **extra}, status=status)


def refusal(exc: ExportRefused) -> Response:
    return error_response(exc.message, exc.status)


def file_invalid(exc: FileInvalid) -> Response:
    return error_response(
        _("Tệp không hợp lệ: không có gì được lưu."),
        exc.status,
        errors=[e.as_dict() for e in exc.errors],
    )


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _province(user: Any, code: str) -> Any:
    province = province_for(code or "")
    if province is None or not permissions.may_read_province(user, province):
        raise ExportRefused(_("Không tìm thấy tỉnh."), status=404)
    return province


class ProvinceReportApi(APIView):
    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=TAG,
        parameters=[ProvinceReportQuerySerializer],
        responses={200: FILE, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Any:
        query = ProvinceReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            province = _province(request.user, query.validated_data["province"])
            period = services.report_period(query.validated_data["period"])
        except ExportRefused as exc:
            return refusal(exc)
        document = reports.province_report(
            province=province, period=period, number=query.validated_data.get("number", "")
        )
        rendered = reports.render_document(document, query.validated_data["format"])
        return attachment(rendered.content, rendered.filename, rendered.content_type)


class NationalReportApi(APIView):
    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=TAG, parameters=[ReportQuerySerializer], responses={202: ExportJobSerializer, 403: OpenApiTypes.OBJECT}
    )
    def get(self, request: Request) -> Response:
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            period = services.report_period(query.validated_data["period"])
            job = services.export_job_create(
                user=request.user,
                kind=ExportJob.Kind.NATIONAL,
                file_format=query.validated_data["format"],
                period=period,
                language=get_language(),  # LanguageMiddleware's: ?lang= or the language cookie
            )
        except ExportRefused as exc:
            return refusal(exc)
        job.refresh_from_db()
        payload = job_payload(job, request)
        location = request.build_absolute_uri(reverse("api-export-job", kwargs={"pk": job.pk}))
        return Response(payload, status=http.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        tags=TAG,
        parameters=[ReportQuerySerializer],
        request=None,
        responses={202: ExportJobSerializer, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        return self.get(request)


class JobListApi(APIView):
    @extend_schema(tags=TAG, responses=ExportJobSerializer(many=True))
    def get(self, request: Request) -> Response:
        jobs = selectors.job_list(user=request.user)
        return Response(ExportJobSerializer(jobs, many=True, context={"request": request}).data)


class JobDetailApi(APIView):
    @extend_schema(tags=TAG, responses={200: ExportJobSerializer, 404: OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: Any) -> Response:
        job = selectors.job_get(user=request.user, job_id=pk)
        if job is None:
            return error_response(_("Không tìm thấy tệp báo cáo."), http.HTTP_404_NOT_FOUND)
        return Response(job_payload(job, request))


class JobDownloadApi(APIView):
    @extend_schema(
        tags=TAG, responses={200: FILE, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT, 410: OpenApiTypes.OBJECT}
    )
    def get(self, request: Request, pk: Any) -> Any:
        job = selectors.job_get(user=request.user, job_id=pk)
        if job is None:
            return error_response(_("Không tìm thấy tệp báo cáo."), http.HTTP_404_NOT_FOUND)
        return job_file_response(job)


def job_file_response(job: ExportJob) -> Any:
    from django.utils import timezone

    if job.status == ExportJob.Status.EXPIRED or (job.expires_at is not None and job.expires_at <= timezone.now()):
        return error_response(_("Tệp báo cáo đã hết hạn lưu giữ: hãy lập lại báo cáo."), http.HTTP_410_GONE)
    if job.status != ExportJob.Status.DONE or not job.file:
        return error_response(
            _("Báo cáo chưa lập xong (%(progress)d%%).") % {"progress": job.progress}, http.HTTP_409_CONFLICT
        )
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


class TemplateApi(APIView):
    @extend_schema(
        tags=TAG,
        parameters=[
            OpenApiParameter("province", str, required=True),
            OpenApiParameter("form", str, required=True),
            OpenApiParameter("period", str, required=True),
        ],
        responses={200: FILE, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Any:
        try:
            province = _province(request.user, request.query_params.get("province", ""))
            form = ReportForm.objects.filter(code=request.query_params.get("form", "")).first()
            if form is None:
                raise ExportRefused(
                    _("Không có biểu mẫu mã “%(code)s”.") % {"code": request.query_params.get("form", "")}
                )
            period = services.parse_period(request.query_params.get("period", ""))
            template = services.entry_template_export(user=request.user, province=province, form=form, period=period)
        except ExportRefused as exc:
            return refusal(exc)
        return attachment(template.content, template.filename, reports.CONTENT_TYPES["xlsx"])


class TemplateUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAG,
        request={"multipart/form-data": UploadSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: FileErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            return error_response(_("Chưa chọn tệp."), http.HTTP_400_BAD_REQUEST, errors=[])
        try:
            result = services.entry_template_import(user=request.user, name=upload.name or "", data=_read(upload))
        except FileInvalid as exc:
            return file_invalid(exc)
        return Response(
            {
                "submission": result.submission.pk,
                "version": result.submission.version,
                "status": result.submission.status,
                "created": result.created,
                "changed": result.changed,
                "warnings": [w.as_dict() for w in result.warnings],
            }
        )


def _read(upload: Any) -> bytes:
    """At most one byte over the limit: enough to refuse an oversized file without holding it."""
    from tracker.exports.uploads import max_upload_bytes

    return upload.read(max_upload_bytes() + 1)


class BulkImportApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAG,
        request={"multipart/form-data": BulkUploadSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        form = BulkUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            result = bulk_import.bulk_import(
                user=request.user,
                name=upload.name or "",
                data=_read(upload),
                dry_run=form.validated_data["dry_run"],
                approve=form.validated_data["approve"],
            )
        except ExportRefused as exc:
            return refusal(exc)
        except FileInvalid as exc:
            return file_invalid(exc)
        body = result.as_dict()
        return Response(body, status=http.HTTP_200_OK if body["ok"] else http.HTTP_400_BAD_REQUEST)


def _list_param(request: Request, name: str) -> list[str]:
    values: list[str] = []
    for raw in request.query_params.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


def _true(value: Any, field: str) -> bool:
    return inputs.boolean(value, field=field)


class DataValueSetsApi(APIView):
    parser_classes = [BoundedJSONParser]
    content_negotiation_class = FileNegotiation

    @extend_schema(
        tags=["dhis2"],
        parameters=[
            OpenApiParameter("orgUnit", str, many=True),
            OpenApiParameter("period", str, many=True, description="YYYYMM, YYYYQn, YYYY"),
            OpenApiParameter("dataSet", str, many=True),
            OpenApiParameter("approvedOnly", bool, description="mặc định true: chỉ số liệu đã phê duyệt"),
            OpenApiParameter("children", bool, description="true: cả các xã của tỉnh (orgUnit là mã xã)"),
        ],
        responses={200: DataValueSetSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        try:
            periods = [dhis2.from_dhis2_period(p) for p in _list_param(request, "period")]
        except dhis2.PeriodNotUnderstood as exc:
            return error_response(str(exc), http.HTTP_400_BAD_REQUEST)
        if not periods:
            return error_response(_("Cần ít nhất một kỳ (period)."), http.HTTP_400_BAD_REQUEST)
        body = dhis2.data_value_set(
            user=request.user,
            org_units=_list_param(request, "orgUnit"),
            periods=periods,
            data_sets=_list_param(request, "dataSet"),
            approved_only=_true(request.query_params.get("approvedOnly", "true"), "approvedOnly"),
            children=_true(request.query_params.get("children", "false"), "children"),
        )
        return Response(body)

    @extend_schema(
        tags=["dhis2"],
        parameters=[OpenApiParameter("dryRun", bool)],
        request=DataValueSetSerializer,
        responses={200: ImportSummarySerializer, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        dry_run = _true(request.query_params.get("dryRun", "false"), "dryRun")
        try:
            summary = dhis2.data_value_set_import(user=request.user, payload=request.data, dry_run=dry_run)
        except dhis2.PayloadInvalid as exc:
            return error_response(str(exc), http.HTTP_400_BAD_REQUEST)
        return Response(summary.as_dict())


class OpenSdgApi(APIView):
    @extend_schema(tags=TAG, responses={200: FILE, 404: OpenApiTypes.OBJECT})
    def get(self, request: Request, code: str) -> Any:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            return error_response(_("Không có chỉ tiêu mã “%(code)s”.") % {"code": code}, http.HTTP_404_NOT_FOUND)
        rendered = reports.open_sdg_csv(indicator=indicator)
        return attachment(rendered.content, rendered.filename, rendered.content_type)
