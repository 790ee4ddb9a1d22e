"""Each role's home: its own to-do, each item one click from its action; the approver's inbox."""

import pytest
from django.test import Client

from tests.tracker.reporting.conftest import fill, open_submission
from tracker.notifications.models import Notification
from tracker.reporting import services


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(officer_91, an_giang, catalogue):
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=submission, user=officer_91)
    submission.refresh_from_db()
    return submission


def test_the_officer_sees_a_returned_report_with_the_comment_and_the_link_to_correct_it(
    submitted, reviewer, officer_91
):
    # given
    services.submission_return(submission=submitted, user=reviewer, comment="Bổ sung minh chứng số trạm 5G.")

    # when
    response = client_of(officer_91).get("/")

    # then
    assert response.templates[0].name == "home/officer.html"
    returned = response.context["returned"]
    assert [(todo.submission.pk, todo.comment, todo.comment_by, todo.action_url) for todo in returned] == [
        (submitted.pk, "Bổ sung minh chứng số trạm 5G.", "reviewer", f"/bao-cao/{submitted.pk}/")
    ]
    assert response.context["open_todos"] == []


def test_the_officer_is_offered_to_open_a_period_not_opened_yet(officer_91, an_giang, catalogue):
    response = client_of(officer_91).get("/")

    assert [(item.form.code, str(item.period)) for item in response.context["due"]] == [("BC_THANG", "2026-10")]
    assert f'action="/bao-cao/tinh/{an_giang.pk}/mo-bao-cao/"' in response.content.decode()


def test_the_approver_sees_reports_awaiting_approval_with_their_age_and_the_review_link(submitted, approver_91):
    response = client_of(approver_91).get("/")

    assert response.templates[0].name == "home/approver.html"
    assert [(todo.submission.pk, todo.age_days, todo.action_url) for todo in response.context["waiting"]] == [
        (submitted.pk, 0, f"/bao-cao/{submitted.pk}/xem-xet/")
    ]
    assert response.context["returned"] == []


def test_the_reviewer_sees_the_national_queue(submitted, reviewer):
    response = client_of(reviewer).get("/")

    assert response.templates[0].name == "home/reviewer.html"
    assert [(todo.submission.province.code, todo.action_url) for todo in response.context["queue"]] == [
        ("91", f"/bao-cao/{submitted.pk}/xem-xet/")
    ]


def test_the_admin_sees_the_catalogue_and_the_system_health(submitted, admin_user):
    response = client_of(admin_user).get("/")

    assert response.templates[0].name == "home/admin.html"
    assert response.context["awaiting"] == 1
    assert response.context["counts"]["provinces"] == 1
    assert response.context["mail_failed"] == 0


def test_the_approvers_inbox_lists_their_own_province_only(submitted, officer_01, approver_91, ha_noi, catalogue):
    # given a submitted Hà Nội report too
    other = fill(open_submission(officer_01, ha_noi, catalogue.form), officer_01)
    services.submission_submit(submission=other, user=officer_01)

    # when
    response = client_of(approver_91).get("/bao-cao/hop-thu/")

    # then
    assert response.status_code == 200
    assert [status.submission.pk for status in response.context["statuses"]] == [submitted.pk]
    assert "Hộp thư báo cáo của Tỉnh An Giang" in response.content.decode()


def test_the_navigation_counts_unread_notifications_and_the_centre_groups_them_per_report(approver_91):
    # given two notifications about one report and one about another, one of them read
    for number, link in ((1, "/bao-cao/7/"), (2, "/bao-cao/7/"), (3, "/bao-cao/8/")):
        Notification.objects.create(
            recipient=approver_91,
            event="returned",
            key=f"k{number}",
            period="2026-10",
            title=f"Tin {number}",
            link=link,
        )
    Notification.objects.filter(key="k1").update(read_at="2026-11-01T00:00:00Z")

    # when
    response = client_of(approver_91).get("/thong-bao/")

    # then
    html = response.content.decode()
    assert 'data-unread="2"' in html
    assert '<span class="unread-count"' in html
    assert [(group.link, [n.title for n in group.items], group.unread) for group in response.context["groups"]] == [
        ("/bao-cao/8/", ["Tin 3"], 1),
        ("/bao-cao/7/", ["Tin 2", "Tin 1"], 1),
    ]
