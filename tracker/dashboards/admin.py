from django.contrib import admin

from tracker.dashboards.models import BoundarySet


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    """Boundaries are added through the upload page (checked there); here they are only listed
    and deleted, which puts the previous set back in use."""

    list_display = ("original_name", "level", "features", "size", "source", "uploaded_by", "uploaded_at")
    readonly_fields = ("level", "original_name", "source", "features", "missing", "size", "uploaded_by", "uploaded_at")
    exclude = ("geojson",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
