"""Due and lock dates of a period.

due date = period end + form.due_day days; lock date = due date + form.lock_days days. A
submission is late when it was first submitted after the due date (or is still not submitted
after it); after the lock date it changes only through a lock exception.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from kpis.models import ReportForm


@dataclass(frozen=True)
class Deadlines:
    due: datetime.date
    lock: datetime.date

    def is_locked_on(self, day: datetime.date) -> bool:
        return day > self.lock


def deadlines_for(*, form: ReportForm, period_end: datetime.date) -> Deadlines:
    due = period_end + datetime.timedelta(days=form.due_day)
    return Deadlines(due=due, lock=due + datetime.timedelta(days=form.lock_days))


def days_late(*, due: datetime.date, first_submitted_at: datetime.datetime | None, today: datetime.date) -> int:
    """Whole days past the due date: of the first submission, or of today while not yet submitted."""
    day = timezone.localtime(first_submitted_at).date() if first_submitted_at else today
    return max(0, (day - due).days)
