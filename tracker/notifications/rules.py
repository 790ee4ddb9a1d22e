"""When a reporting period calls for a reminder, and to whom: pure functions of dates and settings.

- before the due date: officers, once for each configured lead time (e.g. 5 and 1 days before);
  if the job missed a day it sends the reminder of the nearest lead time, not all of them at once;
- on the due date: officers;
- after it, while the report is still not submitted: officers from the first day late, then the
  province's approvers, then the ministry's reviewers, each after its configured number of days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from tracker.notifications.models import Event

DEFAULTS = {
    "REMIND_DAYS_BEFORE": (5, 1),
    "ESCALATE_TO_APPROVER_AFTER_DAYS": 3,
    "ESCALATE_TO_REVIEWER_AFTER_DAYS": 7,
    "EMAIL_MAX_ATTEMPTS": 5,
}


@dataclass(frozen=True)
class Rules:
    remind_days_before: tuple[int, ...]
    approver_after: int
    reviewer_after: int
    email_max_attempts: int

    @classmethod
    def from_settings(cls) -> Rules:
        config = {**DEFAULTS, **getattr(settings, "NOTIFICATIONS", {})}
        return cls(
            remind_days_before=tuple(sorted({int(d) for d in config["REMIND_DAYS_BEFORE"] if int(d) > 0})),
            approver_after=int(config["ESCALATE_TO_APPROVER_AFTER_DAYS"]),
            reviewer_after=int(config["ESCALATE_TO_REVIEWER_AFTER_DAYS"]),
            email_max_attempts=int(config["EMAIL_MAX_ATTEMPTS"]),
        )

    @property
    def earliest_reminder(self) -> int:
        return max(self.remind_days_before, default=0)


class Audience:
    OFFICERS = "officers"
    APPROVERS = "approvers"
    REVIEWERS = "reviewers"


@dataclass(frozen=True)
class Step:
    event: Event
    audience: str
    # Distinguishes the reminders of different lead times for the same period.
    stage: str
    days: int


def steps_for(*, rules: Rules, due: datetime.date, today: datetime.date) -> list[Step]:
    """What an unsubmitted report calls for today, given its due date."""
    days_left = (due - today).days
    if days_left > 0:
        lead = next((d for d in rules.remind_days_before if d >= days_left), None)
        return [] if lead is None else [Step(Event.DUE_SOON, Audience.OFFICERS, f"d-{lead}", days_left)]
    if days_left == 0:
        return [Step(Event.DUE_TODAY, Audience.OFFICERS, "d0", 0)]
    late = -days_left
    steps = [Step(Event.OVERDUE, Audience.OFFICERS, "late", late)]
    if late >= rules.approver_after:
        steps.append(Step(Event.OVERDUE_ESCALATED, Audience.APPROVERS, "late", late))
    if late >= rules.reviewer_after:
        steps.append(Step(Event.OVERDUE_MINISTRY, Audience.REVIEWERS, "late", late))
    return steps
