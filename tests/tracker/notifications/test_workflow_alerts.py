import pytest

from tracker.notifications.models import Notification
from tracker.notifications.services import UnknownEvent, submission_event

pytestmark = pytest.mark.django_db


def rows():
    return sorted(Notification.objects.values_list("recipient__username", "event", "key", "period"))


def test_the_approver_hears_that_a_report_waits_for_approval(
    people, an_giang, submission_factory, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    # given
    submission = submission_factory(an_giang, status="submitted", submitted=True, version=4)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = submission_event(submission=submission, event="submitted", actor=people["officer_91"])

    # then
    assert created == 1
    assert rows() == [("approver_91", "awaiting_approval", f"submission:{submission.pk}:v4", "2026-10")]
    notification = Notification.objects.get()
    assert notification.title == "Báo cáo chờ phê duyệt: Báo cáo tháng tháng 10/2026"
    assert notification.body == (
        "officer_91 đã gửi báo cáo Báo cáo tháng tháng 10/2026 của Tỉnh An Giang; báo cáo đang chờ anh/chị phê duyệt."
    )
    assert notification.link == f"/bao-cao/{submission.pk}/xem-xet/"
    assert [m.to for m in mailoutbox] == [["approver_91@example.gov.vn"]]


def test_no_email_leaves_before_the_transition_commits(people, an_giang, submission_factory, mailoutbox):
    submission = submission_factory(an_giang, status="submitted", submitted=True)

    submission_event(submission=submission, event="submitted", actor=people["officer_91"])

    assert Notification.objects.count() == 1
    assert mailoutbox == []


def test_officers_hear_that_their_report_was_returned_with_the_comment(people, an_giang, submission_factory):
    submission = submission_factory(an_giang, status="returned", submitted=True, version=5)

    submission_event(
        submission=submission, event="returned", actor=people["approver_91"], comment="Số hồ sơ trực tuyến chưa khớp."
    )

    assert rows() == [("officer_91", "returned", f"submission:{submission.pk}:v5", "2026-10")]
    assert Notification.objects.get().body == (
        "approver_91 đã trả lại báo cáo Báo cáo tháng tháng 10/2026 của Tỉnh An Giang.\n"
        "Ý kiến: Số hồ sơ trực tuyến chưa khớp."
    )


def test_a_return_by_the_ministry_reaches_the_approver_too(people, an_giang, submission_factory):
    submission = submission_factory(an_giang, status="returned", submitted=True, version=7)

    submission_event(submission=submission, event="returned", actor=people["reviewer"], comment="Thiếu minh chứng.")

    assert rows() == [
        ("approver_91", "returned", f"submission:{submission.pk}:v7", "2026-10"),
        ("officer_91", "returned", f"submission:{submission.pk}:v7", "2026-10"),
    ]


def test_officers_hear_that_their_report_was_approved(people, an_giang, submission_factory):
    submission = submission_factory(an_giang, status="approved", submitted=True, version=6)

    submission_event(submission=submission, event="approved", actor=people["approver_91"])

    assert rows() == [("officer_91", "approved", f"submission:{submission.pk}:v6", "2026-10")]


def test_a_retried_alert_is_not_doubled_but_a_resubmission_alerts_again(people, an_giang, submission_factory):
    # given
    submission = submission_factory(an_giang, status="submitted", submitted=True, version=2)
    submission_event(submission=submission, event="submitted", actor=people["officer_91"])

    # when: the same transition is reported again (a retry)
    again = submission_event(submission=submission, event="submitted", actor=people["officer_91"])
    # and the report is returned, corrected and submitted again (a new version)
    submission.version = 4
    submission.save(update_fields=["version"])
    resubmitted = submission_event(submission=submission, event="submitted", actor=people["officer_91"])

    # then
    assert again == 0
    assert resubmitted == 1
    assert rows() == [
        ("approver_91", "awaiting_approval", f"submission:{submission.pk}:v2", "2026-10"),
        ("approver_91", "awaiting_approval", f"submission:{submission.pk}:v4", "2026-10"),
    ]


def test_the_actor_is_not_notified_of_their_own_action(people, an_giang, submission_factory, user_factory):
    # given: a second approver of An Giang returns the report
    other = user_factory(username="approver_91b", role="approver", province=an_giang)
    submission = submission_factory(an_giang, status="submitted", submitted=True)

    submission_event(submission=submission, event="submitted", actor=other)

    assert rows() == [("approver_91", "awaiting_approval", f"submission:{submission.pk}:v1", "2026-10")]


def test_other_provinces_hear_nothing(people, ha_noi, submission_factory):
    submission = submission_factory(ha_noi, status="submitted", submitted=True)

    submission_event(submission=submission, event="submitted", actor=people["officer_01"])

    assert rows() == [("approver_01", "awaiting_approval", f"submission:{submission.pk}:v1", "2026-10")]


def test_an_unknown_event_is_refused(people, an_giang, submission_factory):
    submission = submission_factory(an_giang)

    with pytest.raises(UnknownEvent):
        submission_event(submission=submission, event="deleted", actor=people["officer_91"])

    assert Notification.objects.count() == 0


def test_alerts_are_written_in_vietnamese_whatever_the_request_language(people, an_giang, submission_factory):
    from django.utils import translation

    submission = submission_factory(an_giang, status="submitted", submitted=True)

    with translation.override("en"):
        submission_event(submission=submission, event="submitted", actor=people["officer_91"])

    assert Notification.objects.get().title.startswith("Báo cáo chờ phê duyệt")
