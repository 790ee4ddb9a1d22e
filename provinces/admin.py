from django.contrib import admin

from provinces.models import Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "valid_from", "valid_to", "successor")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "name_en")
    list_select_related = ("successor",)
    autocomplete_fields = ("successor",)
