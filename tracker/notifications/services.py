"""Writes: create notifications exactly once, reminders and digests, workflow alerts, read marks.

Every notification is inserted under the unique key (recipient, event, key, period); inserting
one that exists does nothing, so a rerun, a retried task or two workers racing never send twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tracker.accounts.models import Role, User
from tracker.notifications import texts
from tracker.notifications.delivery import delivery_enqueue
from tracker.notifications.models import Channel, EmailState, Event, Notification, Preference
from tracker.notifications.rules import Rules, steps_for
from tracker.notifications.selectors import channel_of, outstanding_reports, recipients, waiting_for_approval_count

logger = logging.getLogger("tracker.notifications")

# Notifications are written in the product's language whatever the language of the request
# that triggered them: recipients read Vietnamese first.
LANGUAGE = "vi"


class UnknownEvent(ValueError):
    pass


@dataclass(frozen=True)
class Draft:
    recipient: User
    event: str
    key: str
    period: str
    title: str
    body: str = ""
    link: str = ""


def _email_state(user: User) -> str:
    if channel_of(user) == Channel.IN_APP or not user.email:
        return EmailState.NONE
    return EmailState.PENDING


@transaction.atomic
def notifications_create(*, drafts: Iterable[Draft]) -> int:
    """Insert the drafts that do not exist yet; returns how many were new.

    The unique constraint decides (ignore_conflicts), so concurrent runs cannot double a row;
    the pre-read only keeps the count honest and spares the insert of known rows.
    """
    drafts = list(drafts)
    if not drafts:
        return 0
    existing = set(
        Notification.objects.filter(
            recipient__in={d.recipient.pk for d in drafts},
            event__in={d.event for d in drafts},
            period__in={d.period for d in drafts},
        ).values_list("recipient_id", "event", "key", "period")
    )
    new: dict[tuple[int, str, str, str], Notification] = {}
    for draft in drafts:
        identity = (draft.recipient.pk, draft.event, draft.key, draft.period)
        if identity in existing or identity in new:
            continue
        new[identity] = Notification(
            recipient=draft.recipient,
            event=draft.event,
            key=draft.key[:120],
            period=draft.period,
            title=draft.title[:300],
            body=draft.body,
            link=draft.link[:300],
            email_state=_email_state(draft.recipient),
        )
    Notification.objects.bulk_create(new.values(), ignore_conflicts=True)
    if any(n.email_state == EmailState.PENDING for n in new.values()):
        delivery_enqueue()
    return len(new)


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def reminders_send(*, today: datetime.date) -> int:
    """Due-soon, due-today and overdue reminders with escalation, for every outstanding report."""
    rules = Rules.from_settings()
    with translation.override(LANGUAGE):
        outstanding = outstanding_reports(today=today, rules=rules)
        people = recipients(province_ids={o.province.pk for o in outstanding})
        drafts = []
        for report in outstanding:
            for step in steps_for(rules=rules, due=report.due, today=today):
                common = {"form": report.form.name, "period": report.period, "province": report.province.name}
                if step.event == Event.DUE_SOON:
                    title, body = texts.due_soon(**common, due=report.due, days=step.days)
                elif step.event == Event.DUE_TODAY:
                    title, body = texts.due_today(**common, due=report.due)
                else:
                    title, body = texts.overdue(**common, due=report.due, days=step.days)
                key = f"form:{report.form.code}:province:{report.province.code}:{step.stage}"
                link = _link("reporting:province", report.province.pk)
                drafts.extend(
                    Draft(user, step.event, key, report.period, title, body, link)
                    for user in people.of(step.audience, report.province.pk)
                )
        created = notifications_create(drafts=drafts)
    logger.info("reminders day=%s outstanding=%d created=%d", today, len(outstanding), created)
    return created


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_digest_send(*, today: datetime.date) -> int:
    """One digest per reviewer per ISO week: late provinces and reports waiting for approval."""
    rules = Rules.from_settings()
    week = iso_week(today)
    with translation.override(LANGUAGE):
        late = sorted(
            (r for r in outstanding_reports(today=today, rules=rules) if r.due < today),
            key=lambda r: (r.due, r.province.code, r.form.code),
        )
        lines = [
            texts.digest_line(province=r.province.name, form=r.form.name, period=r.period, days=(today - r.due).days)
            for r in late
        ]
        body = "\n".join([*lines, texts.digest_waiting(waiting=waiting_for_approval_count())])
        title = texts.digest_title(week=week, late=len(late))
        reviewers = recipients(province_ids=set()).reviewers
        link = _link("reporting:inbox")
        created = notifications_create(
            drafts=[Draft(user, Event.WEEKLY_DIGEST, "digest", week, title, body, link) for user in reviewers]
        )
    logger.info("weekly digest week=%s late=%d created=%d", week, len(late), created)
    return created


SUBMISSION_EVENTS = ("submitted", "returned", "approved")


def submission_event(*, submission: Any, event: str, actor: Any, comment: str = "") -> int:
    """The reporting workflow's seam: call it inside the transition's transaction.

    - "submitted": the province's approvers hear that a report waits for their approval;
    - "returned": the province's officers (and, when the ministry returns it, its approvers)
      hear that it came back, with the comment;
    - "approved": the province's officers hear that it was approved.

    The key includes the submission's version, so a report submitted, returned and submitted
    again alerts each time, while a retried call for the same transition does not.
    """
    if event not in SUBMISSION_EVENTS:
        raise UnknownEvent(event)
    actor_name = (actor.get_full_name() or actor.get_username()) if actor is not None else _("Hệ thống")
    with translation.override(LANGUAGE):
        common = {
            "form": submission.form.name,
            "period": submission.period,
            "province": submission.province.name
            if submission.commune_id is None
            else f"{submission.commune.name}, {submission.province.name}",
            "actor": actor_name,
        }
        if event == "submitted":
            kind, audiences = Event.AWAITING_APPROVAL, [Role.APPROVER]
            title, body = texts.awaiting_approval(**common)
        elif event == "returned":
            kind = Event.RETURNED
            by_ministry = actor is not None and getattr(actor, "role", None) in (Role.REVIEWER, Role.ADMIN)
            audiences = [Role.OFFICER, Role.APPROVER] if by_ministry else [Role.OFFICER]
            title, body = texts.returned(**common, comment=comment)
        else:
            kind, audiences = Event.APPROVED, [Role.OFFICER]
            title, body = texts.approved(**common)
        if submission.commune_id is None:
            users = User.objects.filter(is_active=True, role__in=audiences, province_id=submission.province_id)
        else:
            # A commune's report: its own commune officers stand where a province's officers do.
            own = Q(role=Role.COMMUNE_OFFICER, commune_id=submission.commune_id) if Role.OFFICER in audiences else Q()
            province_roles = [role for role in audiences if role != Role.OFFICER]
            users = User.objects.filter(is_active=True).filter(
                Q(role__in=province_roles, province_id=submission.province_id) | (own if own else Q(pk__in=[]))
            )
        users = users.select_related("notification_preference")
        actor_pk = getattr(actor, "pk", None)
        key = f"submission:{submission.pk}:v{submission.version}"
        # The approver's action is the approval review; everyone else opens the report itself.
        link = _link("reporting:review" if kind == Event.AWAITING_APPROVAL else "reporting:submission", submission.pk)
        return notifications_create(
            drafts=[
                Draft(user, kind, key, submission.period, title, body, link) for user in users if user.pk != actor_pk
            ]
        )


def notification_mark_read(*, user: Any, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; another user's is left alone (False)."""
    updated = Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return updated == 1 or Notification.objects.filter(pk=notification_id, recipient=user).exists()


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


class InvalidChannel(ValueError):
    pass


@transaction.atomic
def preference_set(*, user: Any, channel: str) -> Preference:
    if channel not in Channel.values:
        raise InvalidChannel(_("Kênh nhận thông báo không hợp lệ."))
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"channel": channel})
    if channel == Channel.IN_APP:
        # Mail not sent yet is dropped with the choice: the messages stay in the app.
        Notification.objects.filter(recipient=user, email_state=EmailState.PENDING).update(email_state=EmailState.NONE)
    return preference
