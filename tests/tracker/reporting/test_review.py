"""The approval review: changes against September, warnings, evidence, the effect of approving
(computed by tracker.progress on the fly), comments at the top, and clear answers for a report
of another province or one returned meanwhile."""

import pytest
from django.test import Client

from tests.tracker.reporting.conftest import OCTOBER, approved_submission, open_submission
from tracker.dashboards import selectors as dashboard_selectors
from tracker.progress.services import rollups_recompute_all
from tracker.reporting import services

SEPTEMBER = {**OCTOBER, "DVC_ONLINE": "6096", "BTS_5G": "300", "SIGNED_RATE": "87,5"}


@pytest.fixture
def october(fixed_clock, officer_91, approver_91, an_giang, catalogue, monkeypatch):
    """September approved and rolled up (40 % online); October submitted with twice the dossiers online."""
    import datetime

    monkeypatch.setattr(dashboard_selectors, "today", lambda: datetime.date(2026, 11, 3))
    fixed_clock.reporting("2026-09")
    approved_submission(officer_91, approver_91, an_giang, catalogue.form, period="2026-09", values=SEPTEMBER)
    rollups_recompute_all(reason="test")
    fixed_clock.reset()
    submission = open_submission(officer_91, an_giang, catalogue.form)
    values = [{"element": code, "value": text} for code, text in OCTOBER.items()]
    values[1]["comment"] = "Thêm 20 dịch vụ toàn trình."
    services.submission_values_update(submission=submission, user=officer_91, version=submission.version, values=values)
    submission.refresh_from_db()
    services.submission_submit(submission=submission, user=officer_91)
    submission.refresh_from_db()
    return submission


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_largest_relative_change_comes_first_with_the_officers_comment(october, approver_91):
    # when
    response = client_of(approver_91).get(f"/bao-cao/{october.pk}/xem-xet/")

    # then
    assert response.status_code == 200
    review = response.context["review"]
    first, second = review.changes[:2]
    assert (first.code, first.previous_text, first.value_text, first.relative_text, first.big, first.comment) == (
        "DVC_ONLINE",
        "6.096",
        "12.192",
        "+100 %",
        True,
        "Thêm 20 dịch vụ toàn trình.",
    )
    assert (second.code, second.relative_text, second.big) == ("BTS_5G", "+6,7 %", False)
    assert review.errors == []
    assert review.warnings == []


def test_approving_moves_the_indicator_to_its_target_in_the_preview(october, approver_91):
    response = client_of(approver_91).get(f"/bao-cao/{october.pk}/xem-xet/")

    effects = response.context["review"].effects
    assert [
        (e.code, e.period, e.before_period, e.before_text, e.after_text, e.status_before, e.status_after)
        for e in effects
    ] == [("DVC_TOAN_TRINH", "2026-10", "2026-09", "40", "80", "not_available", "target_achieved")]
    assert response.context["can_approve"] is True


def test_return_and_comments_show_at_the_top_of_the_report_for_everyone(october, reviewer, officer_91):
    # given the ministry returned it
    services.submission_return(submission=october, user=reviewer, comment="Kiểm tra lại số hồ sơ trực tuyến.")

    # when the officer opens the report
    html = client_of(officer_91).get(f"/bao-cao/{october.pk}/").content.decode()

    # then the comment is above the form
    assert html.index("Kiểm tra lại số hồ sơ trực tuyến.") < html.index('class="values"')
    assert 'data-comment-kind="status-returned"' in html


def test_a_link_to_a_report_returned_meanwhile_says_so_instead_of_offering_approval(october, reviewer, approver_91):
    services.submission_return(submission=october, user=reviewer, comment="Thiếu minh chứng.")

    response = client_of(approver_91).get(f"/bao-cao/{october.pk}/xem-xet/")

    assert response.status_code == 200
    assert response.context["review"].not_waiting.startswith(
        "Báo cáo này không còn chờ phê duyệt: hiện ở trạng thái “Bị trả lại” (reviewer, "
    )
    assert response.context["can_approve"] is False
    assert "data-approve" not in response.content.decode()


def test_an_approver_of_another_province_gets_a_clear_not_found_page(october, approver_01):
    response = client_of(approver_01).get(f"/bao-cao/{october.pk}/xem-xet/")

    assert response.status_code == 404
    assert "thuộc một tỉnh, thành phố khác mà bạn không có quyền xem" in response.content.decode()


def test_a_report_that_does_not_exist_gets_the_same_page(approver_91, catalogue):
    response = client_of(approver_91).get("/bao-cao/999999/xem-xet/")

    assert response.status_code == 404
    assert "Không tìm thấy báo cáo" in response.content.decode()
