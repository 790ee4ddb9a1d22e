from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kpis.admin import RollupsSourceAdmin
from provinces.models import Commune, Province, ProvinceName


class ProvinceNameInline(admin.TabularInline):
    model = ProvinceName
    extra = 0


class CurrentFormerFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("current", _("Đơn vị hiện hành (34)")), ("former", _("Đơn vị trước sáp nhập (63)"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "former":
            return queryset.former()
        return queryset


@admin.register(Province)
class ProvinceAdmin(RollupsSourceAdmin):
    list_display = ("code", "name", "kind", "valid_from", "valid_to", "successor")
    list_filter = (CurrentFormerFilter, "kind", ("successor", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "name_en")
    list_select_related = ("successor",)
    autocomplete_fields = ("successor",)
    inlines = [ProvinceNameInline]


class CommuneValidityFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("current", _("Đơn vị hiện hành")), ("former", _("Đơn vị đã hết hiệu lực"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "former":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(Commune)
class CommuneAdmin(RollupsSourceAdmin):
    """Communes change by the same decisions as provinces; which province a commune belongs to
    decides where its figures roll up, so a save marks the roll-ups like a province's."""

    # The successor is on the change page: one more column wraps the names on a laptop screen.
    list_display = ("code", "name", "kind", "province", "valid_from", "valid_to")
    list_filter = (CommuneValidityFilter, "kind", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name")
    list_select_related = ("province", "successor")
    autocomplete_fields = ("province", "successor")
    list_per_page = 100
