from django.contrib import admin

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


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "directive", "group", "title")
    list_filter = ("directive", "group")
    search_fields = ("code", "title", "title_en")
    filter_horizontal = ("indicators",)
    list_select_related = ("directive",)


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "value_type", "unit", "time_aggregation", "space_aggregation")
    list_filter = ("value_type", "time_aggregation", "space_aggregation")
    search_fields = ("code", "name", "name_en")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ("province", "source")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "periodicity")
    list_filter = ("direction", "periodicity", "unit")
    search_fields = ("code", "name", "name_en", "definition")
    filter_horizontal = ("data_elements",)
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "province", "value", "deadline", "source")
    list_filter = ("source", ("province", admin.EmptyFieldListFilter))
    search_fields = ("indicator__code", "indicator__name", "province__name")
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
    search_fields = ("code", "name")
    inlines = [ReportFormElementInline]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "left", "operator", "right", "message")
    search_fields = ("code", "left", "right", "message")


class CompositeIndexComponentInline(admin.TabularInline):
    model = CompositeIndexComponent
    extra = 0
    autocomplete_fields = ("indicator",)


@admin.register(CompositeIndexVersion)
class CompositeIndexVersionAdmin(admin.ModelAdmin):
    list_display = ("index", "valid_from", "valid_to", "divisor")
    list_filter = ("index",)
    inlines = [CompositeIndexComponentInline]


@admin.register(CompositeIndex)
class CompositeIndexAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "periodicity", "source")
    search_fields = ("code", "name")
