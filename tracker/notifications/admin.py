from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "period", "words_title", "read_at", "email_state"]
    list_filter = ["event", "email_state"]
    search_fields = ["recipient__username", "title", "key"]
    # The words as the admin's reader reads them (their language), not the stored Vietnamese.
    exclude = ["title", "body"]
    readonly_fields = ["words_title", "words_body"] + [
        f.name for f in Notification._meta.fields if f.name not in ("title", "body")
    ]

    @admin.display(description=_("tiêu đề"))
    def words_title(self, obj: Notification) -> str:
        return obj.shown_title

    @admin.display(description=_("nội dung"))
    def words_body(self, obj: Notification) -> str:
        return obj.shown_body


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "language"]
    list_filter = ["channel", "language"]
