"""Celery tasks: thin wrappers over the services, each safe to run twice (see docstrings)."""

from __future__ import annotations

import datetime

from celery import shared_task

from tracker.notifications import services
from tracker.notifications.delivery import emails_deliver
from tracker.reporting import clock


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else clock.today()


@shared_task(ignore_result=True)
def send_reminders(today: str | None = None) -> int:
    """Daily reminders and escalations. Twice is safe: each notification's unique key lets only
    the first run insert it, and e-mail goes out from those rows once."""
    created = services.reminders_send(today=_day(today))
    emails_deliver()
    return created


@shared_task(ignore_result=True)
def send_weekly_digest(today: str | None = None) -> int:
    """Weekly digest for reviewers. Twice is safe: one row per reviewer and ISO week."""
    created = services.weekly_digest_send(today=_day(today))
    emails_deliver()
    return created


@shared_task(ignore_result=True)
def deliver_emails() -> int:
    """Send pending e-mails. Twice is safe: each row is locked, sent and marked sent in one
    transaction, and a row marked sent is never picked again."""
    return emails_deliver()
