"""What each role sees first after signing in: its own to-do, each item one click from its action.

- officer: this period's reports of the province (due date, status, what to do next), returned
  reports with the comment that sent them back;
- approver: reports waiting for approval (with their age), returned ones, the province's standing
  on each directive (a row of the scorecard);
- reviewer: the national scorecard and the queue of reports awaiting review or recently approved;
- admin: the catalogue and the health of the system.

Reads only: reporting selectors for the workflow, the dashboards' scorecard for standings.
A fixed number of queries per home whatever the number of provinces or reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.selectors import catalogue_counts
from tracker.accounts import permissions
from tracker.dashboards import scorecard, selectors
from tracker.notifications.models import EmailState, Notification
from tracker.progress.selectors import rollup_status
from tracker.reporting import clock
from tracker.reporting import selectors as reporting
from tracker.reporting.models import AuditEntry, Submission

RECENT_DAYS = 14
QUEUE_SIZE = 20
RECENT_SIZE = 8


@dataclass
class Todo:
    """A report on someone's list: what it is, its state, and the one link that acts on it."""

    submission: Submission
    status: reporting.Status
    next_step: str
    action_label: str
    action_url: str
    urgent: bool = False
    comment: str = ""
    comment_by: str = ""
    age_days: int | None = None


def last_return_comments(submission_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{submission id: (comment, who)} of the latest return of each report (one query)."""
    out: dict[int, tuple[str, str]] = {}
    entries = (
        AuditEntry.objects.filter(
            submission_id__in=submission_ids, kind=AuditEntry.Kind.STATUS, new_value=Submission.Status.RETURNED
        )
        .select_related("user")
        .order_by("submission_id", "-at", "-id")
    )
    for entry in entries:
        if entry.submission_id not in out:
            who = entry.user.get_full_name() or entry.user.username if entry.user else ""
            out[entry.submission_id] = (entry.reason, who)
    return out


def _officer_step(submission: Submission) -> tuple[str, str, bool]:
    """(what to do next, the action's label, urgent) for the officer."""
    status = submission.status
    if status == Submission.Status.RETURNED:
        return _("Sửa theo ý kiến và gửi lại"), _("Sửa báo cáo"), True
    if status == Submission.Status.DRAFT:
        return _("Nhập đủ số liệu và gửi lãnh đạo phê duyệt"), _("Nhập số liệu"), True
    if status == Submission.Status.SUBMITTED:
        return _("Chờ lãnh đạo phê duyệt"), _("Xem báo cáo"), False
    return _("Đã phê duyệt, không cần làm gì thêm"), _("Xem báo cáo"), False


def _age_days(moment: datetime.datetime | None, now: datetime.datetime) -> int | None:
    return None if moment is None else max((now - moment).days, 0)


def officer_home(user: Any) -> dict[str, Any]:
    province = user.province
    statuses, due = reporting.province_overview(user=user, province=province)
    recent = [s for s in statuses if s.submission.status != Submission.Status.APPROVED or _is_recent(s.submission)]
    # This period first: open reports, then the latest approved ones, at most a screenful.
    recent.sort(
        key=lambda s: (s.submission.status == Submission.Status.APPROVED, -s.submission.period_start.toordinal())
    )
    recent = recent[:12]
    comments = last_return_comments(
        [s.submission.pk for s in recent if s.submission.status == Submission.Status.RETURNED]
    )
    todos = []
    for state in recent:
        step, label, urgent = _officer_step(state.submission)
        comment, who = comments.get(state.submission.pk, ("", ""))
        todos.append(
            Todo(
                submission=state.submission,
                status=state,
                next_step=step,
                action_label=label,
                action_url=reverse("reporting:submission", args=[state.submission.pk]),
                urgent=urgent or state.is_late,
                comment=comment,
                comment_by=who,
            )
        )
    return {
        "todos": todos,
        # Returned reports have their own list, with the comment that sent them back.
        "open_todos": [todo for todo in todos if todo.submission.status != Submission.Status.RETURNED],
        "returned": [todo for todo in todos if todo.submission.status == Submission.Status.RETURNED],
        "due": due,
        "province": province,
        "may_create": permissions.may_create(user, province),
    }


def _is_recent(submission: Submission) -> bool:
    return bool(submission.approved_at and submission.approved_at >= clock.now() - datetime.timedelta(days=RECENT_DAYS))


def approver_home(user: Any) -> dict[str, Any]:
    province = user.province
    now = clock.now()
    submissions = list(
        reporting.submission_list(user=user)
        .filter(province_id=province.pk, status__in=[Submission.Status.SUBMITTED, Submission.Status.RETURNED])
        .order_by("submitted_at", "-period_start")
    )
    comments = last_return_comments([s.pk for s in submissions if s.status == Submission.Status.RETURNED])
    waiting, returned = [], []
    for submission in submissions:
        state = reporting.submission_status(submission)
        if submission.status == Submission.Status.SUBMITTED:
            waiting.append(
                Todo(
                    submission=submission,
                    status=state,
                    next_step=_("Xem thay đổi, kiểm tra và phê duyệt hoặc trả lại"),
                    action_label=_("Xem xét để phê duyệt"),
                    action_url=reverse("reporting:review", args=[submission.pk]),
                    urgent=True,
                    age_days=_age_days(submission.submitted_at, now),
                )
            )
        else:
            comment, who = comments.get(submission.pk, ("", ""))
            returned.append(
                Todo(
                    submission=submission,
                    status=state,
                    next_step=_("Đã trả lại, chờ cán bộ sửa và gửi lại"),
                    action_label=_("Xem báo cáo"),
                    action_url=reverse("reporting:submission", args=[submission.pk]),
                    comment=comment,
                    comment_by=who,
                )
            )
    units = [unit for unit in selectors.current_units() if unit.pk == province.pk]
    card = scorecard.build(units=units)
    return {
        "waiting": waiting,
        "returned": returned,
        # Commune reports wait on their own page (batch approval), not in this list.
        "commune_waiting": Submission.objects.filter(
            province_id=province.pk, commune__isnull=False, status=Submission.Status.SUBMITTED
        ).count(),
        "province": province,
        "standing": list(zip(card.columns, card.rows[0].cells, strict=True)) if card.rows else [],
        "overall": card.rows[0].overall if card.rows else None,
    }


def reviewer_home(user: Any) -> dict[str, Any]:
    now = clock.now()
    awaiting = list(
        reporting.submission_list(user=user, status=Submission.Status.SUBMITTED).order_by("submitted_at")[:QUEUE_SIZE]
    )
    approved = list(
        reporting.submission_list(user=user, status=Submission.Status.APPROVED)
        .filter(approved_at__gte=now - datetime.timedelta(days=RECENT_DAYS))
        .order_by("-approved_at")[:RECENT_SIZE]
    )
    queue = [_review_todo(submission, _("Chờ tỉnh phê duyệt"), submission.submitted_at, now) for submission in awaiting]
    recent = [
        _review_todo(submission, _("Đã phê duyệt, có thể trả lại nếu cần"), submission.approved_at, now)
        for submission in approved
    ]
    return {"queue": queue, "recent": recent, "card": scorecard.build(sort="overall", descending=False)}


def _review_todo(
    submission: Submission, next_step: str, since: datetime.datetime | None, now: datetime.datetime
) -> Todo:
    """A reviewer's queue item: its age counts from `since` and its action opens the review page."""
    return Todo(
        submission=submission,
        status=reporting.submission_status(submission),
        next_step=next_step,
        action_label=_("Xem xét"),
        action_url=reverse("reporting:review", args=[submission.pk]),
        age_days=_age_days(since, now),
    )


def admin_home(user: Any) -> dict[str, Any]:
    outbox: dict[str, int] = dict(
        Notification.objects.filter(email_state__in=[EmailState.PENDING, EmailState.FAILED])
        .values_list("email_state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "counts": catalogue_counts(),
        "rollups": rollup_status(),
        "mail_pending": outbox.get(EmailState.PENDING, 0),
        "mail_failed": outbox.get(EmailState.FAILED, 0),
        "awaiting": Submission.objects.filter(status=Submission.Status.SUBMITTED, commune__isnull=True).count(),
        "now": timezone.now(),
    }
