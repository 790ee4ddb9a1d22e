from django.contrib import admin
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
class DataElementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "value_type", "unit", "time_aggregation", "space_aggregation")
    list_filter = ("value_type", "time_aggregation", "space_aggregation", "forms")
    search_fields = ("code", "name", "name_en", "description")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ("province", "source")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "province", "value", "deadline", "source")
    list_filter = ("source", ("province", admin.EmptyFieldListFilter), "deadline")
    search_fields = ("indicator__code", "indicator__name", "province__name", "note")
    autocomplete_fields = ("indicator", "province", "source")
    list_select_related = ("indicator", "province", "source")


class ReportFormElementInline(admin.TabularInline):
    model = ReportFormElement
    extra = 0
    autocomplete_fields = ("element",)


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "periodicity", "due_day", "lock_days")
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
class CompositeIndexVersionAdmin(admin.ModelAdmin):
    list_display = ("index", "valid_from", "valid_to", "divisor")
    list_filter = ("index",)
    search_fields = ("index__code", "index__name", "note")
    list_select_related = ("index",)
    inlines = [CompositeIndexComponentInline]


@admin.register(CompositeIndex)
class CompositeIndexAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "periodicity", "source")
    list_filter = ("periodicity", "source")
    search_fields = ("code", "name", "name_en")
    list_select_related = ("source",)
