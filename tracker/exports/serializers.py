from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from tracker.exports.models import ExportJob


class ExportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # National jobs have no province: null, as the schema says.
    province = serializers.CharField(source="province.code", default=None, allow_null=True, read_only=True)
    format = serializers.CharField(source="file_format", read_only=True)

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "format",
            "period",
            "province",
            "status",
            "status_label",
            "progress",
            "error",
            "filename",
            "size",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        path = reverse("api-export-job-download", kwargs={"pk": job.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ReportQuerySerializer(serializers.Serializer):
    period = serializers.CharField(help_text=_("YYYY-MM, YYYY-Qn hoặc YYYY"))
    format = serializers.ChoiceField(choices=["pdf", "docx", "xlsx", "csv"], default="pdf")
    number = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text=_("Số văn bản"))


class ProvinceReportQuerySerializer(ReportQuerySerializer):
    province = serializers.CharField(help_text=_("Mã tỉnh (GSO), ví dụ 91"))


class CellErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    message = serializers.CharField()
    text = serializers.CharField()


# Built inline: a serializer class cannot declare a field named "errors" (it is a Serializer property).
# A refusal before the file is read (no file, a malformed form) has no cell errors.
FileErrorSerializer = inline_serializer(
    name="FileError",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": CellErrorSerializer(many=True, required=False),
    },
)


class UploadSerializer(serializers.Serializer):
    # Empty files reach the upload checks, which refuse them with the project's own message.
    file = serializers.FileField(allow_empty_file=True)


class BulkUploadSerializer(UploadSerializer):
    dry_run = serializers.BooleanField(default=True)
    approve = serializers.BooleanField(default=False)


class DataValueSerializer(serializers.Serializer):
    dataElement = serializers.CharField()
    period = serializers.CharField(required=False)
    orgUnit = serializers.CharField(required=False)
    value = serializers.CharField(allow_null=True, required=False)
    comment = serializers.CharField(required=False, allow_blank=True)


class DataValueSetSerializer(serializers.Serializer):
    dataSet = serializers.CharField(required=False)
    period = serializers.CharField(required=False)
    orgUnit = serializers.CharField(required=False)
    dataValues = DataValueSerializer(many=True)


class ImportCountSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField()
    deleted = serializers.IntegerField()


class ConflictSerializer(serializers.Serializer):
    object = serializers.CharField()
    value = serializers.CharField()


class ImportSummarySerializer(serializers.Serializer):
    responseType = serializers.CharField()
    status = serializers.CharField()
    description = serializers.CharField()
    importCount = ImportCountSerializer()
    conflicts = ConflictSerializer(many=True)
    dryRun = serializers.BooleanField()


def job_payload(job: ExportJob, request: Any) -> dict[str, Any]:
    return dict(ExportJobSerializer(job, context={"request": request}).data)
