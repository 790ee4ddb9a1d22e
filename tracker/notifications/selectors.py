"""Reads: which reports are outstanding today, who should hear about them, a user's notifications."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from kpis.models import ReportForm
from kpis.periods import Period, Periodicity
from provinces.models import Province
from tracker.accounts.models import Role, User
from tracker.notifications.models import Channel, Notification, Preference
from tracker.notifications.rules import Audience, Rules
from tracker.reporting.deadlines import deadlines_for
from tracker.reporting.models import Submission

# Enough for yearly forms with long lock periods; the loop stops at the first locked period anyway.
MAX_PERIODS_BACK = 24


@dataclass(frozen=True)
class Outstanding:
    """A report a current province owes and has not submitted, with its due date."""

    form: ReportForm
    period: str
    province: Province
    due: datetime.date


def _open_periods(*, form: ReportForm, today: datetime.date, rules: Rules) -> list[tuple[Period, datetime.date]]:
    """Periods of the form that are not locked yet and whose first reminder has come."""
    out = []
    period = Period.containing(today, Periodicity(form.periodicity))
    for _step in range(MAX_PERIODS_BACK):
        deadlines = deadlines_for(form=form, period_end=period.end)
        if deadlines.is_locked_on(today):
            break
        if (deadlines.due - today).days <= rules.earliest_reminder:
            out.append((period, deadlines.due))
        period = period.previous()
    return out


def outstanding_reports(*, today: datetime.date, rules: Rules) -> list[Outstanding]:
    """Unsubmitted reports of current provinces in their reminder or escalation window (3 queries)."""
    candidates = [
        (form, period, due)
        for form in ReportForm.objects.order_by("code")
        for period, due in _open_periods(form=form, today=today, rules=rules)
    ]
    if not candidates:
        return []
    provinces = list(Province.objects.filter(valid_to__isnull=True).order_by("code"))
    submitted = set(
        Submission.objects.filter(
            commune__isnull=True,
            form__in={form.pk for form, _p, _d in candidates},
            period__in={str(period) for _f, period, _d in candidates},
        )
        .filter(
            Q(first_submitted_at__isnull=False)
            | Q(status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED])
        )
        .values_list("province_id", "form_id", "period")
    )
    return [
        Outstanding(form=form, period=str(period), province=province, due=due)
        for form, period, due in candidates
        for province in provinces
        if province.valid_from <= period.start and (province.pk, form.pk, str(period)) not in submitted
    ]


@dataclass
class Recipients:
    by_province: dict[tuple[int, str], list[User]]
    reviewers: list[User]

    def of(self, audience: str, province_id: int) -> list[User]:
        if audience == Audience.REVIEWERS:
            return self.reviewers
        role = Role.OFFICER if audience == Audience.OFFICERS else Role.APPROVER
        return self.by_province.get((province_id, role), [])


def recipients(*, province_ids: set[int]) -> Recipients:
    """Active officers and approvers of the provinces, and every active reviewer (1 query)."""
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.REVIEWER) | Q(role__in=[Role.OFFICER, Role.APPROVER], province_id__in=province_ids))
        .select_related("notification_preference")
        .order_by("username")
    )
    by_province: dict[tuple[int, str], list[User]] = defaultdict(list)
    reviewers = []
    for user in users:
        if user.role == Role.REVIEWER:
            reviewers.append(user)
        elif user.province_id is not None:
            by_province[(user.province_id, user.role)].append(user)
    return Recipients(by_province=dict(by_province), reviewers=reviewers)


def channel_of(user: Any) -> str:
    try:
        return str(user.notification_preference.channel)
    except Preference.DoesNotExist:
        return Channel.EMAIL


def language_of(user: Any) -> str:
    """The language to write to the user in when there is no request: the one they last chose on
    the site, else the product's (Vietnamese)."""
    try:
        language = str(user.notification_preference.language)
    except Preference.DoesNotExist:
        language = ""
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    queryset = Notification.objects.filter(recipient=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def waiting_for_approval_count() -> int:
    return Submission.objects.filter(status=Submission.Status.SUBMITTED, commune__isnull=True).count()


@dataclass
class NotificationGroup:
    """A report's notifications together (newest first): the link is the report's own page."""

    link: str
    items: list[Notification]

    @property
    def latest(self) -> Notification:
        return self.items[0]

    @property
    def unread(self) -> int:
        return sum(1 for item in self.items if item.read_at is None)


def grouped_by_report(notifications: list[Notification]) -> list[NotificationGroup]:
    """Notifications about the same report (same link) in one group, groups in order of their
    newest notification; notifications without a link stay on their own."""
    groups: dict[str, NotificationGroup] = {}
    out: list[NotificationGroup] = []
    for notification in notifications:
        key = notification.link or f"#{notification.pk}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = NotificationGroup(link=notification.link, items=[])
            out.append(group)
        group.items.append(notification)
    return out
