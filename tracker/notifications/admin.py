from django.contrib import admin

from tracker.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "period", "title", "read_at", "email_state"]
    list_filter = ["event", "email_state"]
    search_fields = ["recipient__username", "title", "key"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channel"]
    list_filter = ["channel"]
