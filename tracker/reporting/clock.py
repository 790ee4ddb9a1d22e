"""The reporting clock: one place that says what "now" is, so deadline tests can pin it."""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    """The local (Asia/Ho_Chi_Minh) date: deadlines are calendar days in Vietnam."""
    return timezone.localtime(now()).date()
