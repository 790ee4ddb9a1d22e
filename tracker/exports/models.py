"""Report jobs: a long report built by a Celery worker, kept as a file for a limited time."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def export_upload_to(instance: ExportJob, filename: str) -> str:
    # A random folder per job: file names are predictable, locations are not.
    return f"exports/{instance.pk}/{filename}"


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Báo cáo của tỉnh")
        NATIONAL = "national", _("Báo cáo tổng hợp toàn quốc")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")
        EXPIRED = "expired", _("Đã hết hạn")

    FORMATS: dict[str, tuple[str, ...]] = {
        "province": ("pdf", "docx", "xlsx", "csv"),
        "national": ("pdf", "docx", "xlsx", "csv"),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    file_format = models.CharField(_("định dạng"), max_length=5)
    period = models.CharField(_("kỳ"), max_length=7)
    # The content's scope: who may read the file is who may read this province (or, without one, the nation).
    province = models.ForeignKey(
        "provinces.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    # The requester's language (settings.LANGUAGES): the worker builds the file in it.
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=export_upload_to, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"]), models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} ({self.file_format})"
