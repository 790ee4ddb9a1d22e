from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tracker.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "province", "is_active")
    list_filter = ("role", "is_active", "province")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Vai trò"), {"fields": ("role", "province")}))  # type: ignore[misc]
    autocomplete_fields = ("province",)
