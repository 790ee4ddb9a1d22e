"""E-mail delivery from the notification rows (an outbox).

Each pending row is locked, sent and marked in one short transaction, so two workers never send
the same row and a crash leaves it pending for the next run. E-mail is therefore at-least-once:
only a crash between the SMTP server's acceptance and the commit can repeat one message, while
the in-app notification itself is exactly once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tracker.notifications.models import EmailState, Notification
from tracker.notifications.rules import Rules
from tracker.notifications.selectors import language_of

logger = logging.getLogger("tracker.notifications")

BATCH = 200


def _message(notification: Notification) -> tuple[str, str]:
    """Subject and text of the e-mail, in the recipient's language (see selectors.language_of)."""
    with translation.override(language_of(notification.recipient)):
        title, body = notification.words()
        subject = "[" + _("KPI chuyển đổi số") + "] " + title
        parts = [body] if body else []
        if notification.link:
            parts.append(_("Xem chi tiết: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + notification.link})
        parts.append(_("Đổi cách nhận thông báo trong mục Thông báo của hệ thống."))
    return subject, "\n\n".join(parts)


def _deliver_one(pk: int, max_attempts: int) -> str | None:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=pk, email_state=EmailState.PENDING)
            .first()
        )
        if notification is None:  # sent meanwhile, or another worker holds it
            return None
        notification.email_attempts += 1
        subject, body = _message(notification)
        try:
            send_mail(subject, body, None, [notification.recipient.email], fail_silently=False)
        except Exception:  # the mail server's failure must not lose the row: retried later
            logger.exception("e-mail failed notification=%s attempt=%d", pk, notification.email_attempts)
            if notification.email_attempts >= max_attempts:
                notification.email_state = EmailState.FAILED
            notification.save(update_fields=["email_state", "email_attempts"])
            return str(notification.email_state)
        notification.email_state = EmailState.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_state", "email_attempts", "emailed_at"])
        return EmailState.SENT


def emails_deliver(*, limit: int = BATCH) -> int:
    """Send up to `limit` pending e-mails, oldest first; returns how many were sent."""
    max_attempts = Rules.from_settings().email_max_attempts
    pending = list(
        Notification.objects.filter(email_state=EmailState.PENDING).order_by("id").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in pending if _deliver_one(pk, max_attempts) == EmailState.SENT)


def _publish() -> None:
    from tracker.notifications.tasks import deliver_emails

    try:
        deliver_emails.delay()
    except Exception:  # broker down: the beat-scheduled delivery picks the rows up later
        logger.warning("could not enqueue e-mail delivery; the periodic run will send them", exc_info=True)


def delivery_enqueue() -> None:
    """Send the pending e-mails after the current transaction commits."""
    transaction.on_commit(_publish, robust=True)
