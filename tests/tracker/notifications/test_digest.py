import datetime

import pytest

from tracker.notifications import services, tasks
from tracker.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_reviewers_get_a_weekly_digest_of_late_provinces(
    monthly_form, people, ha_noi, an_giang, submission_factory, mailoutbox
):
    # given: Hà Nội submitted October and waits for approval; An Giang has not submitted
    submission_factory(ha_noi, status="submitted", submitted=True)

    # when: Monday 9 November 2026, four days after the due date
    created = tasks.send_weekly_digest(today="2026-11-09")

    # then
    assert created == 1
    digest = Notification.objects.get()
    assert (digest.recipient.username, digest.event, digest.key, digest.period) == (
        "reviewer",
        "weekly_digest",
        "digest",
        "2026-W46",
    )
    assert digest.title == "Tổng hợp tuần 2026-W46: 1 báo cáo quá hạn"
    assert digest.body == (
        "- Tỉnh An Giang: Báo cáo tháng tháng 10/2026, quá hạn 4 ngày\n"
        "Báo cáo đã gửi đang chờ lãnh đạo tỉnh phê duyệt: 1."
    )
    assert [m.to for m in mailoutbox] == [["reviewer@example.gov.vn"]]


def test_the_digest_is_sent_once_a_week(monthly_form, people):
    services.weekly_digest_send(today=datetime.date(2026, 11, 9))

    # a rerun on Monday and a run on Wednesday of the same ISO week add nothing
    assert services.weekly_digest_send(today=datetime.date(2026, 11, 9)) == 0
    assert services.weekly_digest_send(today=datetime.date(2026, 11, 11)) == 0
    # the next week brings a new one
    assert services.weekly_digest_send(today=datetime.date(2026, 11, 16)) == 1

    assert list(Notification.objects.order_by("period").values_list("period", flat=True)) == ["2026-W46", "2026-W47"]


def test_a_week_without_late_reports_says_so(monthly_form, people):
    services.weekly_digest_send(today=datetime.date(2026, 11, 2))

    digest = Notification.objects.get()
    assert digest.title == "Tổng hợp tuần 2026-W45: không có báo cáo quá hạn"
    assert digest.body == "Báo cáo đã gửi đang chờ lãnh đạo tỉnh phê duyệt: 0."


def test_only_reviewers_get_the_digest(monthly_form, people):
    services.weekly_digest_send(today=datetime.date(2026, 11, 9))

    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["reviewer"]
