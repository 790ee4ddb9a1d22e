"""Notifications: in-app messages, each optionally delivered by e-mail.

A notification is identified by (recipient, event, key, period): the reminder job, a retried task
and a rerun after a crash all try to insert the same row and the unique constraint keeps one.
E-mail goes out from the stored rows (an outbox), so a broken mail server delays e-mail without
losing or doubling the in-app message.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn nộp báo cáo")
    DUE_TODAY = "due_today", _("Hôm nay là hạn nộp báo cáo")
    OVERDUE = "overdue", _("Báo cáo quá hạn")
    OVERDUE_ESCALATED = "overdue_escalated", _("Báo cáo quá hạn (báo lãnh đạo)")
    OVERDUE_MINISTRY = "overdue_ministry", _("Báo cáo quá hạn (báo Bộ)")
    AWAITING_APPROVAL = "awaiting_approval", _("Báo cáo chờ phê duyệt")
    RETURNED = "returned", _("Báo cáo bị trả lại")
    APPROVED = "approved", _("Báo cáo đã được phê duyệt")
    WEEKLY_DIGEST = "weekly_digest", _("Tổng hợp tuần")


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử và trong ứng dụng")
    IN_APP = "in_app", _("Chỉ trong ứng dụng")


class EmailState(models.TextChoices):
    NONE = "none", _("Không gửi thư")
    PENDING = "pending", _("Chờ gửi thư")
    SENT = "sent", _("Đã gửi thư")
    FAILED = "failed", _("Gửi thư thất bại")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("sự kiện"), max_length=20, choices=Event.choices)
    # What the event is about, e.g. "form:MONTHLY:province:91" or "submission:12:v3"; with the
    # period it makes each notification unique per recipient and event.
    key = models.CharField(_("khóa"), max_length=120)
    period = models.CharField(_("kỳ"), max_length=10)
    # The Vietnamese words at creation, kept for search in the admin and for rows written before
    # `params` existed; readers see the words rendered from `params` in their own language.
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    # What the words say (names in both languages, dates, counts): see texts.render.
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    link = models.CharField(_("liên kết"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_state = models.CharField(_("thư điện tử"), max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event", "key", "period"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"]),
            models.Index(fields=["email_state"], condition=models.Q(email_state="pending"), name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.event} {self.key} {self.period}"

    def words(self) -> tuple[str, str]:
        """(title, body) in the active language; a row without parameters keeps its stored words."""
        from tracker.notifications.texts import render

        if not self.params:
            return self.title, self.body
        return render(self.event, self.params)

    @property
    def shown_title(self) -> str:
        return self.words()[0]

    @property
    def shown_body(self) -> str:
        return self.words()[1]


class Preference(models.Model):
    """A user's choice of channel and e-mail language; a user without a row gets e-mail and in-app
    messages, in Vietnamese."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channel = models.CharField(_("nhận thông báo qua"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # The language the user last chose on the site (empty: never chose, so the product's
    # Vietnamese): e-mails are written in it, since a background task has no request to ask.
    language = models.CharField(_("ngôn ngữ của thư"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel}"
