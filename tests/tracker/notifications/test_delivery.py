import datetime
from unittest import mock

import pytest

from tracker.notifications import delivery, services
from tracker.notifications.models import EmailState, Notification

pytestmark = pytest.mark.django_db


def test_a_failing_mail_server_keeps_the_email_for_a_later_run(monthly_form, people, mailoutbox):
    # given
    with mock.patch.object(delivery, "send_mail", side_effect=OSError("connection refused")):
        services.reminders_send(today=datetime.date(2026, 11, 5))
        assert delivery.emails_deliver() == 0

    # then: the in-app notifications exist and the e-mails wait
    assert sorted(Notification.objects.values_list("email_state", "email_attempts")) == [
        (EmailState.PENDING, 1),
        (EmailState.PENDING, 1),
    ]

    # when: the next run finds the server back
    assert delivery.emails_deliver() == 2

    # then
    assert sorted(Notification.objects.values_list("email_state", "email_attempts")) == [
        (EmailState.SENT, 2),
        (EmailState.SENT, 2),
    ]
    assert len(mailoutbox) == 2


def test_an_email_is_given_up_after_the_last_attempt(monthly_form, people, mailoutbox):
    services.reminders_send(today=datetime.date(2026, 11, 5))

    with mock.patch.object(delivery, "send_mail", side_effect=OSError("mailbox unavailable")):
        for _attempt in range(4):
            delivery.emails_deliver()

    assert sorted(Notification.objects.values_list("email_state", "email_attempts")) == [
        (EmailState.FAILED, 3),
        (EmailState.FAILED, 3),
    ]
    assert mailoutbox == []


def test_delivering_twice_sends_each_email_once(monthly_form, people, mailoutbox):
    services.reminders_send(today=datetime.date(2026, 11, 5))

    assert delivery.emails_deliver() == 2
    assert delivery.emails_deliver() == 0

    assert len(mailoutbox) == 2


def test_choosing_in_app_only_drops_the_mail_not_yet_sent(monthly_form, people, mailoutbox):
    services.reminders_send(today=datetime.date(2026, 11, 5))

    services.preference_set(user=people["officer_91"], channel="in_app")
    delivery.emails_deliver()

    assert [m.to for m in mailoutbox] == [["officer_01@example.gov.vn"]]
    assert Notification.objects.get(recipient=people["officer_91"]).email_state == EmailState.NONE


def test_a_broker_outage_does_not_fail_the_caller(monthly_form, people, django_capture_on_commit_callbacks):
    with (
        mock.patch("tracker.notifications.tasks.deliver_emails.delay", side_effect=ConnectionError("redis down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = services.reminders_send(today=datetime.date(2026, 11, 5))

    assert created == 2
    assert Notification.objects.filter(email_state=EmailState.PENDING).count() == 2
