from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kpis.models import (
    CompositeIndex,
    CompositeIndexComponent,
    CompositeIndexVersion,
    DataElement,
    Directive,
    Indicator,
    Objective,
    ReportForm,
    ReportFormElement,
    Target,
    ValidationRule,
)
from kpis.services import indicator_elements_sync
from tracker.progress.services import rollups_catalogue_changed


class RollupsSourceAdmin(admin.ModelAdmin):
    """Admin of a catalogue model the figures are computed from (formulas, aggregation rules,
    targets, index versions and weights, forms, lineage).

    Saving an object (with its inlines) or deleting objects marks every roll-up stale in the
    admin's own transaction (tracker.progress.services.rollups_catalogue_changed); the recompute
    is enqueued once it commits. Every save path of the admin (change form, list_editable) calls
    save_related after save_model, so the mark is written there, once per save and only when the
    object is new or its form or an inline changed.
    """

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change or form.has_changed() or any(formset.has_changed() for formset in formsets):
            self._rollups_changed(request, f"admin save {self.model.__name__} #{form.instance.pk} {form.instance}")

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        reason = f"admin delete {self.model.__name__} #{obj.pk} {obj}"  # named before it is gone
        super().delete_model(request, obj)
        self._rollups_changed(request, reason)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.count()
        names = ", ".join(str(obj) for obj in queryset[:3])
        super().delete_queryset(request, queryset)
        if count:
            self._rollups_changed(request, f"admin delete {self.model.__name__} ×{count}: {names}")

    def _rollups_changed(self, request: HttpRequest, reason: str) -> None:
        rollups_catalogue_changed(reason=reason)
        self.message_user(request, _("Danh mục đã thay đổi: số liệu tổng hợp sẽ được tính lại toàn bộ."), messages.INFO)


class ObjectiveInline(admin.StackedInline):
    model = Objective
    extra = 0
    filter_horizontal = ("indicators",)


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "number", "kind", "issuer", "issued_on", "title")
    list_filter = ("kind", "issuer")
    search_fields = ("code", "number", "title", "title_en")
    date_hierarchy = "issued_on"
    inlines = [ObjectiveInline]


class MeasuredFilter(admin.SimpleListFilter):
    title = _("đo lường")
    parameter_name = "measured"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", str(_("Đã gắn chỉ tiêu"))), ("no", str(_("Chưa đo lường được")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Objective]) -> QuerySet[Objective]:
        if self.value() == "yes":
            return queryset.filter(indicators__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(indicators__isnull=True)
        return queryset


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "directive", "group", "title")
    list_filter = ("directive", "group", MeasuredFilter)
    search_fields = ("code", "title", "title_en", "group")
    filter_horizontal = ("indicators",)
    list_select_related = ("directive",)


@admin.register(DataElement)
class DataElementAdmin(RollupsSourceAdmin):
    list_display = ("code", "name", "value_type", "unit", "time_aggregation", "space_aggregation")
    list_filter = ("value_type", "time_aggregation", "space_aggregation", "forms")
    search_fields = ("code", "name", "name_en", "description")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ("province", "source")


@admin.register(Indicator)
class IndicatorAdmin(RollupsSourceAdmin):
    list_display = ("code", "name", "unit", "direction", "periodicity")
    list_filter = ("direction", "periodicity", "unit", "objectives__directive")
    search_fields = ("code", "name", "name_en", "definition", "numerator", "denominator")
    # Derived from the formulas on save, so that a formula and its elements cannot disagree.
    readonly_fields = ("data_elements",)
    inlines = [TargetInline]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        indicator_elements_sync(indicator=form.instance)


@admin.register(Target)
class TargetAdmin(RollupsSourceAdmin):
    list_display = ("indicator", "province", "value", "deadline", "source")
    list_filter = ("source", ("province", admin.EmptyFieldListFilter), "deadline")
    search_fields = ("indicator__code", "indicator__name", "province__name", "note")
    autocomplete_fields = ("indicator", "province", "source")
    list_select_related = ("indicator", "province", "source")


class ReportFormElementInline(admin.TabularInline):
    model = ReportFormElement
    extra = 0
    fields = ("element", "order", "required", "section", "commune_level")
    autocomplete_fields = ("element",)


@admin.register(ReportForm)
class ReportFormAdmin(RollupsSourceAdmin):
    list_display = (
        "code",
        "name",
        "periodicity",
        "due_day",
        "lock_days",
        "commune_reporting_from",
        "commune_coverage_threshold",
    )
    list_filter = ("periodicity",)
    search_fields = ("code", "name", "name_en")
    inlines = [ReportFormElementInline]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "left", "operator", "right", "message")
    list_filter = ("operator",)
    search_fields = ("code", "left", "right", "message", "message_en")


class CompositeIndexComponentInline(admin.TabularInline):
    model = CompositeIndexComponent
    extra = 0
    autocomplete_fields = ("indicator",)


@admin.register(CompositeIndexVersion)
class CompositeIndexVersionAdmin(RollupsSourceAdmin):
    list_display = ("index", "valid_from", "valid_to", "divisor")
    list_filter = ("index",)
    search_fields = ("index__code", "index__name", "note")
    list_select_related = ("index",)
    inlines = [CompositeIndexComponentInline]


@admin.register(CompositeIndex)
class CompositeIndexAdmin(RollupsSourceAdmin):
    list_display = ("code", "name", "periodicity", "source")
    list_filter = ("periodicity", "source")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("source",)
