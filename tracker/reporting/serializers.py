from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.reporting.formatting import canonical
from tracker.reporting.models import AuditEntry, Evidence, Submission
from tracker.reporting.selectors import Status, ValueRow, submission_status
from tracker.reporting.services import MAX_COMMENT

MAX_VALUES = 1000


class SubmissionCreateSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=2, help_text="Mã tỉnh (GSO, 2 chữ số), ví dụ 91.")
    former = serializers.BooleanField(
        default=False, help_text="true: đơn vị hành chính cũ (trước 01/07/2025) mang mã này, ví dụ 91 Kiên Giang."
    )
    form = serializers.CharField(max_length=40, help_text="Mã biểu mẫu báo cáo.")
    period = serializers.CharField(max_length=7, help_text="YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).")


def _status(submission: Submission) -> Status:
    cached = getattr(submission, "_deadline_status", None)
    if cached is None:
        cached = submission_status(submission)
        submission._deadline_status = cached  # type: ignore[attr-defined]
    return cached


class SubmissionSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    province_name = serializers.CharField(source="province.name", read_only=True)
    # A commune's report (issue 17): the commune's code and name; null for a province's report.
    commune = serializers.CharField(source="commune.code", allow_null=True, default=None, read_only=True)
    commune_name = serializers.CharField(source="commune.name", allow_null=True, default=None, read_only=True)
    former = serializers.SerializerMethodField()
    form = serializers.CharField(source="form.code", read_only=True)
    due_date = serializers.SerializerMethodField()
    lock_date = serializers.SerializerMethodField()
    locked = serializers.SerializerMethodField()
    days_late = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "province",
            "province_name",
            "commune",
            "commune_name",
            "former",
            "form",
            "period",
            "period_start",
            "period_end",
            "status",
            "version",
            "has_official_values",
            "due_date",
            "lock_date",
            "locked",
            "days_late",
            "created_at",
            "updated_at",
            "submitted_at",
            "first_submitted_at",
            "approved_at",
        ]
        read_only_fields = fields

    def get_former(self, obj: Submission) -> bool:
        return not obj.province.is_current

    def get_due_date(self, obj: Submission) -> str:
        return _status(obj).due.isoformat()

    def get_lock_date(self, obj: Submission) -> str:
        return _status(obj).lock.isoformat()

    def get_locked(self, obj: Submission) -> bool:
        return _status(obj).locked

    def get_days_late(self, obj: Submission) -> int:
        return _status(obj).days_late


class SubmissionValueRowSerializer(serializers.Serializer):
    element = serializers.CharField(source="code")
    name = serializers.CharField(source="label")
    unit = serializers.CharField(source="element.unit")
    value_type = serializers.CharField(source="element.value_type")
    section = serializers.CharField(source="form_element.section")
    required = serializers.BooleanField(source="form_element.required")  # type: ignore[assignment]
    # method_name: a method called get_value would shadow Field.get_value.
    value = serializers.SerializerMethodField(
        method_name="working_value", help_text="Số liệu đang làm việc, dạng 1234.5; null nếu chưa nhập."
    )
    approved_value = serializers.SerializerMethodField(help_text="Số liệu chính thức (đã phê duyệt gần nhất).")
    comment = serializers.SerializerMethodField()
    rolled_up = serializers.BooleanField(
        read_only=True, help_text="Ô của tỉnh tổng hợp từ số liệu đã duyệt của các xã: chỉ đọc."
    )

    def working_value(self, row: ValueRow) -> str | None:
        return canonical(row.value.value) if row.value and row.value.value is not None else None

    def get_approved_value(self, row: ValueRow) -> str | None:
        return canonical(row.value.approved_value) if row.value and row.value.approved_value is not None else None

    def get_comment(self, row: ValueRow) -> str:
        return row.value.comment if row.value else ""


class SubmissionEvidenceSerializer(serializers.ModelSerializer):
    element = serializers.CharField(source="element.code", allow_null=True, default=None, read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "element",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Evidence) -> str:
        return f"/api/v1/evidence/{obj.pk}/"


class SubmissionDetailSerializer(SubmissionSerializer):
    values = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(help_text="Cảnh báo bất thường theo mã chỉ tiêu dữ liệu.")

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "values", "evidence", "warnings"]
        read_only_fields = fields

    def get_values(self, obj: Submission) -> list[dict[str, Any]]:
        return SubmissionValueRowSerializer(self.context.get("rows", []), many=True).data  # type: ignore[return-value]

    def get_evidence(self, obj: Submission) -> list[dict[str, Any]]:
        return SubmissionEvidenceSerializer(self.context.get("evidence", []), many=True).data  # type: ignore[return-value]

    def get_warnings(self, obj: Submission) -> dict[str, list[str]]:
        return self.context.get("warnings", {})


class SubmissionValueInputSerializer(serializers.Serializer):
    element = serializers.CharField(max_length=60)
    value = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text='Chuỗi (1.234,5 · 12,5 · có/không), số JSON hoặc true/false; null hoặc "" để xóa; bỏ trống khóa'
        " để chỉ sửa ghi chú.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT, trim_whitespace=False)


@extend_schema_field(SubmissionValueInputSerializer(many=True))
class ValueInputsField(serializers.Field):
    """The list of {element, value?, comment?}: checked by hand, since a nested serializer costs
    about 0.3 ms per row and a full form has sixty. Values are parsed by the validation service."""

    def to_internal_value(self, data: Any) -> list[dict[str, Any]]:
        if not isinstance(data, list) or not data:
            raise serializers.ValidationError(_("Cần một danh sách số liệu không rỗng."))
        if len(data) > MAX_VALUES:
            raise serializers.ValidationError(_("Tối đa %(max)d số liệu mỗi lần lưu.") % {"max": MAX_VALUES})
        out = []
        for index, item in enumerate(data, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("element"), str) or not item["element"]:
                raise serializers.ValidationError(
                    _("Dòng %(row)d: cần “element” là mã chỉ tiêu dữ liệu.") % {"row": index}
                )
            comment = item.get("comment")
            if comment is not None and not isinstance(comment, str):
                raise serializers.ValidationError(_("Dòng %(row)d: “comment” phải là chuỗi.") % {"row": index})
            entry: dict[str, Any] = {"element": item["element"]}
            if "value" in item:
                entry["value"] = item["value"]
            if comment is not None:
                entry["comment"] = comment
            out.append(entry)
        return out

    def to_representation(self, value: Any) -> Any:
        return value


class SubmissionValuesUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="Phiên bản đã đọc; sai phiên bản → 409.")
    values = ValueInputsField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=MAX_COMMENT)


class SavedValueSerializer(serializers.Serializer):
    element = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    approved_value = serializers.CharField(allow_null=True)
    comment = serializers.CharField()


class SubmissionSavedSerializer(SubmissionSerializer):
    """What a save returns: the submission with its new version, stored figures and warnings."""

    values = SavedValueSerializer(many=True, read_only=True)
    warnings = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "values", "warnings"]
        read_only_fields = fields


class SubmissionVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="Tùy chọn: phiên bản đã đọc; sai phiên bản → 409."
    )


class SubmissionApproveSerializer(SubmissionVersionSerializer):
    acknowledge_flags = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Xác nhận đã xem các cảnh báo số liệu cần kiểm tra; thiếu khi có cảnh báo → 409 kèm danh sách.",
    )


class SubmissionReturnSerializer(SubmissionVersionSerializer):
    comment = serializers.CharField(max_length=MAX_COMMENT, allow_blank=True, help_text="Bắt buộc.")


class SubmissionCorrectionSerializer(SubmissionVersionSerializer):
    reason = serializers.CharField(max_length=MAX_COMMENT, allow_blank=True, help_text="Bắt buộc.")


class SubmissionCommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_COMMENT, allow_blank=True)


class SubmissionLockExceptionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_COMMENT, allow_blank=True)
    days = serializers.IntegerField(default=7, help_text="1–30 ngày.")


class SubmissionEvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    element = serializers.CharField(required=False, allow_blank=True, max_length=60)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReportingPeriodOpenSerializer(serializers.Serializer):
    form = serializers.CharField(max_length=40)
    period = serializers.CharField(max_length=7)


class SubmissionStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField()


class SubmissionAuditEntrySerializer(serializers.ModelSerializer):
    element = serializers.CharField(source="element.code", allow_null=True, default=None, read_only=True)
    user = serializers.CharField(source="user.username", allow_null=True, default=None, read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "kind", "element", "old_value", "new_value", "reason", "user", "version"]
        read_only_fields = fields


class ReportingErrorSerializer(serializers.Serializer):
    """An error answer (tracker.api_errors). A malformed request (code `invalid`) also carries one
    key per wrong field with its messages, e.g. {"period": ["Trường này là bắt buộc."]}."""

    detail = serializers.CharField(help_text="Lý do, để hiển thị cho người dùng.")
    # Required: requests refused before any view (an address that does not exist, a NUL character,
    # a body over the size limit) carry a code too (tracker.ops.middleware, tracker.security.middleware).
    code = serializers.CharField(
        help_text="Mã lý do cho chương trình: not_found, permission_denied, invalid, invalid_values,"
        " transition_not_allowed, locked, conflict, parse_error, invalid_characters, too_large, …."
        " Có trong mọi lỗi, kể cả khi yêu cầu bị từ chối trước khi tới API.",
    )


class ValuesInvalidSerializer(ReportingErrorSerializer):
    """Per-element problems (code `invalid_values`); other 400 answers have the general shape."""

    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Với code = invalid_values: lỗi theo mã chỉ tiêu dữ liệu.",
    )
    form_errors = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Với code = invalid_values: lỗi chung của biểu."
    )


class SubmissionCurrentValueSerializer(serializers.Serializer):
    element = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    comment = serializers.CharField()


class FlagsNotAcknowledgedSerializer(ReportingErrorSerializer):
    flags = serializers.ListField(child=serializers.CharField(), help_text="Các cảnh báo, theo ngôn ngữ người dùng.")


class VersionConflictSerializer(ReportingErrorSerializer):
    version = serializers.IntegerField()
    status = serializers.CharField()
    values = SubmissionCurrentValueSerializer(many=True)
