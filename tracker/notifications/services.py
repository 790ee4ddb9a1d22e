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

from django.conf import settings
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

# The stored words (`Notification.title`/`body`, for the admin's search and as the fallback of old
# rows) are the product's language whatever the language of the request that triggered them;
# readers see the words rendered from the parameters in their own language.
LANGUAGE = "vi"


class UnknownEvent(ValueError):
    pass


@dataclass(frozen=True)
class Draft:
    recipient: User
    event: str
    key: str
    period: str
    params: dict[str, Any]
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
        with translation.override(LANGUAGE):
            title, body = texts.render(draft.event, draft.params)
        new[identity] = Notification(
            recipient=draft.recipient,
            event=draft.event,
            key=draft.key[:120],
            period=draft.period,
            title=title[:300],
            body=body,
            params=draft.params,
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
    outstanding = outstanding_reports(today=today, rules=rules)
    people = recipients(province_ids={o.province.pk for o in outstanding})
    drafts = []
    for report in outstanding:
        for step in steps_for(rules=rules, due=report.due, today=today):
            params: dict[str, Any] = {
                "form": texts.names(report.form),
                "period": report.period,
                "province": texts.names(report.province),
                "due": report.due.isoformat(),
            }
            if step.event != Event.DUE_TODAY:
                params["days"] = step.days
            key = f"form:{report.form.code}:province:{report.province.code}:{step.stage}"
            link = _link("reporting:province", report.province.pk)
            drafts.extend(
                Draft(user, step.event, key, report.period, params, link)
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
    late = sorted(
        (r for r in outstanding_reports(today=today, rules=rules) if r.due < today),
        key=lambda r: (r.due, r.province.code, r.form.code),
    )
    params = {
        "week": week,
        "late": [
            {
                "province": texts.names(r.province),
                "form": texts.names(r.form),
                "period": r.period,
                "days": (today - r.due).days,
            }
            for r in late
        ],
        "waiting": waiting_for_approval_count(),
    }
    reviewers = recipients(province_ids=set()).reviewers
    link = _link("reporting:inbox")
    created = notifications_create(
        drafts=[Draft(user, Event.WEEKLY_DIGEST, "digest", week, params, link) for user in reviewers]
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
    province = texts.names(submission.province)
    if submission.commune_id is not None:
        # A commune's report names the commune (its name is the same in both languages) and its province.
        commune = submission.commune.name
        province = {"vi": f"{commune}, {province['vi']}", "en": f"{commune}, {province['en'] or province['vi']}"}
    params: dict[str, Any] = {
        "form": texts.names(submission.form),
        "period": submission.period,
        "province": province,
        # A person's name reads the same in every language; no actor is "the system", in the reader's.
        "actor": (actor.get_full_name() or actor.get_username()) if actor is not None else "",
    }
    if event == "submitted":
        kind, audiences = Event.AWAITING_APPROVAL, [Role.APPROVER]
    elif event == "returned":
        kind = Event.RETURNED
        by_ministry = actor is not None and getattr(actor, "role", None) in (Role.REVIEWER, Role.ADMIN)
        audiences = [Role.OFFICER, Role.APPROVER] if by_ministry else [Role.OFFICER]
        params["comment"] = comment
    else:
        kind, audiences = Event.APPROVED, [Role.OFFICER]
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
        drafts=[Draft(user, kind, key, submission.period, params, link) for user in users if user.pk != actor_pk]
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


def language_remember(*, user: Any, language: str) -> bool:
    """Keep the language the user chose on the site, for the e-mails a task writes later.

    Writes only when it changes (it is called at every language switch and sign-in); an unknown
    code is ignored. Returns whether it was stored.
    """
    if not getattr(user, "is_authenticated", False) or language not in {code for code, _n in settings.LANGUAGES}:
        return False
    if Preference.objects.filter(user=user, language=language).exists():
        return False
    Preference.objects.update_or_create(user=user, defaults={"language": language})
    return True


@transaction.atomic
def preference_set(*, user: Any, channel: str) -> Preference:
    if channel not in Channel.values:
        raise InvalidChannel(_("Kênh nhận thông báo không hợp lệ."))
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"channel": channel})
    if channel == Channel.IN_APP:
        # Mail not sent yet is dropped with the choice: the messages stay in the app.
        Notification.objects.filter(recipient=user, email_state=EmailState.PENDING).update(email_state=EmailState.NONE)
    return preference
