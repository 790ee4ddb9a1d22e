"""Monthly submissions and their values.

Contract used by the roll-up engine (tracker.progress): a DataValue's `approved_value` is the
official figure (set when its submission is approved and kept while a correction is under way);
`value` is the working figure. `period_start`/`period_end` on Submission allow date-range SQL.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã phê duyệt")
        RETURNED = "returned", _("Bị trả lại")

    province = models.ForeignKey(
        "provinces.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="submissions"
    )
    # A commune's report (its province is the commune's province); empty for a province's report.
    commune = models.ForeignKey(
        "provinces.Commune",
        verbose_name=_("xã, phường, đặc khu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    form = models.ForeignKey(
        "kpis.ReportForm", verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="submissions"
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=7)
    period_start = models.DateField(_("đầu kỳ"))
    period_end = models.DateField(_("cuối kỳ"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    # True once a submission has ever been approved: it then has official figures in approved_value.
    has_official_values = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Lateness is measured on the first submission: a later resubmission after a return is not late.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A province report submitted while fewer of its communes' reports than the form's threshold
    # were approved: the approver's reason, who recorded it and when.
    coverage_note = models.TextField(_("lý do nộp khi chưa đủ xã"), blank=True)
    coverage_note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    coverage_note_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period_start", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "form", "period"],
                condition=models.Q(commune__isnull=True),
                name="submission_unique_period",
            ),
            models.UniqueConstraint(
                fields=["commune", "form", "period"],
                condition=models.Q(commune__isnull=False),
                name="submission_commune_unique_period",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period_start"]),
            models.Index(fields=["province", "period_start"]),
            models.Index(fields=["commune", "period_start"]),
        ]

    def __str__(self) -> str:
        unit = self.commune.code if self.commune is not None else self.province.code
        return f"{unit} {self.form.code} {self.period}"


class DataValue(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    element = models.ForeignKey("kpis.DataElement", on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    approved_value = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    comment = models.TextField(blank=True)
    # A draft keeps what the officer typed even when it fails its own checks (type, range, format):
    # `raw` is the text as typed, `error` why it is refused; `value` is then empty. Such a cell
    # blocks only the submission, never the saving of the others.
    # Database defaults too: bulk loaders that insert rows with SQL of their own need not know these.
    raw = models.CharField(max_length=60, blank=True, default="", db_default="")
    error = models.TextField(blank=True, default="", db_default="")
    # Per-cell version: two people editing different cells of one report both succeed; the same
    # cell changed since it was read is a conflict shown side by side.
    version = models.PositiveIntegerField(default=0, db_default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [models.UniqueConstraint(fields=["submission", "element"], name="data_value_unique")]
        indexes = [models.Index(fields=["element", "submission"])]

    def __str__(self) -> str:
        return f"{self.submission} {self.element.code}={self.value}"


class AuditEntry(models.Model):
    """Append-only history: value changes, status changes, comments, lock exceptions."""

    class Kind(models.TextChoices):
        VALUE = "value", _("Thay đổi số liệu")
        STATUS = "status", _("Thay đổi trạng thái")
        COMMENT = "comment", _("Ý kiến")
        LOCK_EXCEPTION = "lock_exception", _("Mở khóa ngoại lệ")
        EVIDENCE = "evidence", _("Tài liệu minh chứng")
        # A save refused because its version was stale: the attempted values are kept here.
        CONFLICT = "conflict", _("Lưu bị từ chối do xung đột phiên bản")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="audit_entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    element = models.ForeignKey("kpis.DataElement", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["submission", "at"])]

    def __str__(self) -> str:
        return f"{self.submission} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The stored name is random: the user's file name is kept in original_name, never trusted as a path.
    return f"evidence/{instance.submission_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Evidence(models.Model):
    """A file proving a submission's figures; served only through a permission-checked view."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence")
    element = models.ForeignKey("kpis.DataElement", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class LockException(models.Model):
    """A reviewer's permission to change a submission after its lock date, until `expires_at`."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="lock_exceptions")
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mở khóa ngoại lệ")
        verbose_name_plural = _("mở khóa ngoại lệ")
        ordering = ["-expires_at"]
        indexes = [models.Index(fields=["submission", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.submission} → {self.expires_at:%Y-%m-%d}"
