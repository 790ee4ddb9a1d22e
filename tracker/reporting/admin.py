"""Read-only admin views: the workflow's data changes only through the services (audited)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tracker.reporting.models import AuditEntry, Evidence, LockException, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("province", "form", "period", "status", "version", "has_official_values", "submitted_at")
    list_filter = ("status", "form", "period")
    search_fields = ("province__name", "province__code", "period")
    list_select_related = ("province", "form")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("submission", "kind", "element", "old_value", "new_value", "user", "at")
    list_filter = ("kind",)
    list_select_related = ("submission__province", "submission__form", "element", "user")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("submission", "original_name", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("submission__province", "submission__form", "uploaded_by")


@admin.register(LockException)
class LockExceptionAdmin(ReadOnlyAdmin):
    list_display = ("submission", "granted_by", "granted_at", "expires_at")
    list_select_related = ("submission__province", "submission__form", "granted_by")
