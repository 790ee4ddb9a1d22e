import datetime

import pytest
from django.db import IntegrityError

from tracker.notifications import services, tasks
from tracker.notifications.models import EmailState, Notification, Preference

pytestmark = pytest.mark.django_db


def sent(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("recipient__username", "event", "key"))


def test_officers_are_reminded_five_days_before_the_due_date(monthly_form, people, mailoutbox):
    # when
    created = tasks.send_reminders(today="2026-10-31")

    # then
    assert created == 2
    assert sent() == [
        ("officer_01", "due_soon", "form:BC_THANG:province:01:d-5"),
        ("officer_91", "due_soon", "form:BC_THANG:province:91:d-5"),
    ]
    reminder = Notification.objects.get(recipient=people["officer_91"])
    assert reminder.title == "Còn 5 ngày đến hạn nộp Báo cáo tháng tháng 10/2026"
    assert reminder.body == "Hạn nộp báo cáo Báo cáo tháng tháng 10/2026 của Tỉnh An Giang là ngày 05/11/2026."
    assert reminder.period == "2026-10"
    assert sorted(m.to[0] for m in mailoutbox) == ["officer_01@example.gov.vn", "officer_91@example.gov.vn"]
    assert mailoutbox[0].subject.startswith("[KPI chuyển đổi số] Còn 5 ngày đến hạn nộp")
    assert "https://kpi.example.gov.vn/bao-cao/tinh/" in mailoutbox[0].body


def test_nothing_is_sent_before_the_first_lead_time(monthly_form, people, mailoutbox):
    assert tasks.send_reminders(today="2026-10-30") == 0

    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_a_day_between_lead_times_repeats_no_reminder(monthly_form, people):
    # given
    services.reminders_send(today=datetime.date(2026, 10, 31))

    # when: three days before the due date, the five-day reminder is already out
    created = services.reminders_send(today=datetime.date(2026, 11, 2))

    # then
    assert created == 0
    assert Notification.objects.count() == 2


def test_a_missed_run_sends_the_nearest_reminder_only(monthly_form, people):
    # when: the job did not run on 31 October; on 2 November it sends the five-day one, once
    services.reminders_send(today=datetime.date(2026, 11, 2))

    # then
    assert sent(recipient__username="officer_91") == [("officer_91", "due_soon", "form:BC_THANG:province:91:d-5")]
    assert Notification.objects.get(recipient__username="officer_91").title == (
        "Còn 3 ngày đến hạn nộp Báo cáo tháng tháng 10/2026"
    )


def test_the_last_reminder_comes_the_day_before(monthly_form, people):
    services.reminders_send(today=datetime.date(2026, 10, 31))

    services.reminders_send(today=datetime.date(2026, 11, 4))

    assert sent(recipient__username="officer_91") == [
        ("officer_91", "due_soon", "form:BC_THANG:province:91:d-1"),
        ("officer_91", "due_soon", "form:BC_THANG:province:91:d-5"),
    ]


def test_officers_are_told_on_the_due_day(monthly_form, people):
    services.reminders_send(today=datetime.date(2026, 11, 5))

    assert sent() == [
        ("officer_01", "due_today", "form:BC_THANG:province:01:d0"),
        ("officer_91", "due_today", "form:BC_THANG:province:91:d0"),
    ]
    assert Notification.objects.get(recipient__username="officer_91").title == (
        "Hôm nay là hạn nộp Báo cáo tháng tháng 10/2026"
    )


def test_a_province_that_submitted_is_not_reminded(monthly_form, people, an_giang, submission_factory):
    # given: An Giang submitted (and was even returned afterwards); Hà Nội only has a draft
    submission_factory(an_giang, status="returned", submitted=True)

    # when
    services.reminders_send(today=datetime.date(2026, 11, 5))

    # then
    assert sent() == [("officer_01", "due_today", "form:BC_THANG:province:01:d0")]


def test_a_draft_does_not_count_as_submitted(monthly_form, people, ha_noi, submission_factory):
    submission_factory(ha_noi, status="draft")

    services.reminders_send(today=datetime.date(2026, 11, 5))

    assert ("officer_01", "due_today", "form:BC_THANG:province:01:d0") in sent()


def test_overdue_escalates_from_officer_to_approver_to_reviewer(monthly_form, people, an_giang, submission_factory):
    # given: Hà Nội submitted on time, An Giang did not
    submission_factory(people["officer_01"].province, status="submitted", submitted=True)

    # when: one day late only the officer hears
    services.reminders_send(today=datetime.date(2026, 11, 6))
    # then
    assert sent() == [("officer_91", "overdue", "form:BC_THANG:province:91:late")]

    # when: three days late the province's approver hears too
    services.reminders_send(today=datetime.date(2026, 11, 8))
    # then
    assert sent() == [
        ("approver_91", "overdue_escalated", "form:BC_THANG:province:91:late"),
        ("officer_91", "overdue", "form:BC_THANG:province:91:late"),
    ]

    # when: seven days late the ministry's reviewer hears
    services.reminders_send(today=datetime.date(2026, 11, 12))
    # then
    assert sent() == [
        ("approver_91", "overdue_escalated", "form:BC_THANG:province:91:late"),
        ("officer_91", "overdue", "form:BC_THANG:province:91:late"),
        ("reviewer", "overdue_ministry", "form:BC_THANG:province:91:late"),
    ]
    to_reviewer = Notification.objects.get(recipient__username="reviewer")
    assert to_reviewer.title == "Tỉnh An Giang: Báo cáo tháng tháng 10/2026 đã quá hạn 7 ngày"
    assert to_reviewer.body == "Hạn nộp là ngày 05/11/2026; báo cáo vẫn chưa được gửi."


def test_a_late_first_run_sends_every_escalation_due_by_then(monthly_form, people):
    services.reminders_send(today=datetime.date(2026, 11, 12))

    assert sent(key="form:BC_THANG:province:91:late") == [
        ("approver_91", "overdue_escalated", "form:BC_THANG:province:91:late"),
        ("officer_91", "overdue", "form:BC_THANG:province:91:late"),
        ("reviewer", "overdue_ministry", "form:BC_THANG:province:91:late"),
    ]


def test_no_reminder_after_the_period_locks(monthly_form, people):
    # 26 November 2026 is after October's lock date (25 November); November is due 5 December
    assert services.reminders_send(today=datetime.date(2026, 11, 26)) == 0

    assert Notification.objects.count() == 0


def test_a_rerun_sends_nothing_twice(monthly_form, people, mailoutbox):
    # given
    first = tasks.send_reminders(today="2026-11-12")
    emails = len(mailoutbox)

    # when: the same day's job runs again (a retry, or beat firing twice)
    second = tasks.send_reminders(today="2026-11-12")

    # then
    assert first == 6
    assert second == 0
    assert Notification.objects.count() == 6
    assert len(mailoutbox) == emails == 6


def test_the_database_refuses_a_duplicate_notification(monthly_form, people):
    services.reminders_send(today=datetime.date(2026, 11, 5))
    existing = Notification.objects.get(recipient__username="officer_91")

    with pytest.raises(IntegrityError):
        Notification.objects.create(
            recipient=existing.recipient, event=existing.event, key=existing.key, period=existing.period, title="x"
        )


def test_inactive_users_are_not_reminded(monthly_form, people, inactive_officer):
    services.reminders_send(today=datetime.date(2026, 11, 5))

    assert not Notification.objects.filter(recipient=inactive_officer).exists()


def test_in_app_only_users_get_no_email(monthly_form, people, mailoutbox):
    # given
    Preference.objects.create(user=people["officer_91"], channel="in_app")

    # when
    tasks.send_reminders(today="2026-11-05")

    # then
    assert Notification.objects.get(recipient__username="officer_91").email_state == EmailState.NONE
    assert [m.to for m in mailoutbox] == [["officer_01@example.gov.vn"]]


def test_users_without_an_address_get_the_in_app_message_only(monthly_form, people, mailoutbox):
    people["officer_01"].email = ""
    people["officer_01"].save(update_fields=["email"])

    tasks.send_reminders(today="2026-11-05")

    assert Notification.objects.get(recipient__username="officer_01").email_state == EmailState.NONE
    assert [m.to for m in mailoutbox] == [["officer_91@example.gov.vn"]]


def test_the_lead_times_come_from_settings(monthly_form, people, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "REMIND_DAYS_BEFORE": [10]}

    services.reminders_send(today=datetime.date(2026, 10, 26))

    assert sent(recipient__username="officer_91") == [("officer_91", "due_soon", "form:BC_THANG:province:91:d-10")]


def test_the_reminder_query_count_does_not_grow_with_provinces(
    monthly_form, people, province_factory, user_factory, django_assert_num_queries
):
    # given: ten more provinces with an officer each
    for code in range(20, 30):
        province = province_factory(code=str(code))
        user_factory(username=f"officer_{code}", role="officer", province=province, email=f"o{code}@example.gov.vn")

    # then: forms, provinces, submissions, users, existing rows, savepoint + insert + release
    with django_assert_num_queries(8):
        assert services.reminders_send(today=datetime.date(2026, 11, 5)) == 12
