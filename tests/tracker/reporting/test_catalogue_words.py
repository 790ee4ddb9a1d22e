"""The reporting pages and role homes name the form in the page's language and the period in words
(“tháng 10 năm 2026” / “October 2026”), never the stored key “2026-10” as the visible label."""

import pytest
from django.test import Client

from tests.tracker.reporting.conftest import fill, open_submission
from tracker.reporting import services

FORM_VI = "Báo cáo chuyển đổi số hằng tháng"
FORM_EN = "Monthly digital-transformation report"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(officer_91, an_giang, catalogue):
    catalogue.form.name_en = FORM_EN
    catalogue.form.save(update_fields=["name_en"])
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=submission, user=officer_91)
    submission.refresh_from_db()
    return submission


def pages_of(submission) -> list[str]:
    return [
        "/",  # the approver's home: the report waiting for approval
        "/bao-cao/hop-thu/",
        f"/bao-cao/tinh/{submission.province_id}/",
        f"/bao-cao/{submission.pk}/",
        f"/bao-cao/{submission.pk}/xem-xet/",
    ]


def test_english_pages_name_the_form_in_english_and_the_period_in_words(submitted, approver_91):
    # given
    client = client_of(approver_91)

    # when
    bodies = {path: client.get(f"{path}?lang=en").content.decode() for path in pages_of(submitted)}

    # then
    assert {
        path: (FORM_EN in body, FORM_VI in body, "October 2026" in body) for path, body in bodies.items()
    } == dict.fromkeys(pages_of(submitted), (True, False, True))
    assert f"{FORM_EN} · October 2026 · " in bodies[f"/bao-cao/{submitted.pk}/xem-xet/"]
    assert ">October 2026</a>" in bodies["/bao-cao/hop-thu/"]


def test_vietnamese_pages_keep_the_vietnamese_name_and_write_the_period_as_officials_do(submitted, approver_91):
    # given
    client = client_of(approver_91)

    # when
    bodies = {path: client.get(path).content.decode() for path in pages_of(submitted)}

    # then
    assert {
        path: (FORM_EN in body, FORM_VI in body, "tháng 10 năm 2026" in body) for path, body in bodies.items()
    } == dict.fromkeys(pages_of(submitted), (False, True, True))
    assert f"{FORM_VI} · tháng 10 năm 2026 · " in bodies[f"/bao-cao/{submitted.pk}/xem-xet/"]
    assert "kỳ 2026-10" not in bodies["/"]


def test_the_officers_home_offers_the_next_report_by_its_english_name_and_period_in_words(officer_91, catalogue):
    # given
    catalogue.form.name_en = FORM_EN
    catalogue.form.save(update_fields=["name_en"])

    # when
    body = client_of(officer_91).get("/?lang=en").content.decode()

    # then
    assert f"<strong>{FORM_EN} · October 2026</strong>" in body
    assert FORM_VI not in body
