"""Issue 12, item 5: the approver is warned before approving a report that would produce a
data-quality flag (a rate beyond its natural limit), on the review page and in the API; approving
without acknowledging it is refused and writes nothing, with it the report is approved and the
acknowledgement is in the audit trail."""

from decimal import Decimal
from typing import cast

import pytest
from django.test import Client
from django.utils import translation

from kpis.models import Indicator, ValidationRule
from tests.catalogue_fixtures import api
from tests.factories import IndicatorFactory
from tests.tracker.reporting.conftest import OCTOBER, fill, open_submission, snapshot
from tracker.reporting import services
from tracker.reporting.errors import FlagsNotAcknowledged
from tracker.reporting.models import AuditEntry, Submission
from tracker.reporting.quality_warning import approval_warnings

# 2.000.000 people covered by 5G out of 1.952.000: 102,459... % (2 000 000 / 1 952 000 × 100).
WARNINGS_VI = [
    "PHU_SONG_5G – Tỷ lệ dân số được phủ sóng 5G, Tỉnh An Giang, kỳ 10/2026: sau phê duyệt giá trị sẽ là "
    "102,46 %, ngoài giới hạn tự nhiên từ 0 đến 100 %.",
    "PHU_SONG_5G – Tỷ lệ dân số được phủ sóng 5G, Toàn quốc, kỳ 10/2026: sau phê duyệt giá trị sẽ là "
    "102,46 %, ngoài giới hạn tự nhiên từ 0 đến 100 %.",
]
WARNINGS_EN = [
    "PHU_SONG_5G – Population covered by 5G, Tỉnh An Giang, period 2026-10: after approval the value would be "
    "102.46 %, outside its natural limit of 0 to 100 %.",
    "PHU_SONG_5G – Population covered by 5G, National, period 2026-10: after approval the value would be "
    "102.46 %, outside its natural limit of 0 to 100 %.",
]


@pytest.fixture
def coverage(catalogue):
    """A 5G coverage rate limited to 100 %, and no rule stopping coverage above the population."""
    ValidationRule.objects.filter(code="POP_5G_LE_POP").delete()
    indicator = cast(
        Indicator,
        IndicatorFactory(
            code="PHU_SONG_5G",
            name="Tỷ lệ dân số được phủ sóng 5G",
            name_en="Population covered by 5G",
            numerator="POP_5G",
            denominator="POP",
            factor=Decimal(100),
            unit="%",
            natural_limit=Decimal(100),
        ),
    )
    indicator.data_elements.set([catalogue.elements["POP_5G"], catalogue.elements["POP"]])
    return indicator


@pytest.fixture
def impossible_report(coverage, officer_91, an_giang, catalogue):
    submission = fill(
        open_submission(officer_91, an_giang, catalogue.form), officer_91, {**OCTOBER, "POP_5G": "2.000.000"}
    )
    services.submission_submit(submission=submission, user=officer_91)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def plausible_report(coverage, officer_91, an_giang, catalogue):
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    services.submission_submit(submission=submission, user=officer_91)
    submission.refresh_from_db()
    return submission


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_warning_names_the_indicator_the_unit_the_value_and_the_limit_in_both_languages(impossible_report):
    # when / then
    assert approval_warnings(impossible_report) == WARNINGS_VI
    with translation.override("en"):
        assert approval_warnings(impossible_report) == WARNINGS_EN


def test_a_plausible_report_raises_no_warning(plausible_report, approver_91):
    # when
    services.submission_approve(submission=plausible_report, user=approver_91)

    # then
    assert approval_warnings(plausible_report) == []
    plausible_report.refresh_from_db()
    assert plausible_report.status == Submission.Status.APPROVED
    entry = plausible_report.audit_entries.filter(kind=AuditEntry.Kind.STATUS).order_by("-id").first()
    assert (entry.new_value, entry.reason) == ("approved", "")


def test_approving_without_acknowledging_is_refused_and_writes_nothing(impossible_report, approver_91):
    # given
    before = snapshot(impossible_report)

    # when
    with pytest.raises(FlagsNotAcknowledged) as refused:
        services.submission_approve(submission=impossible_report, user=approver_91)

    # then
    assert refused.value.flags == WARNINGS_VI
    assert snapshot(impossible_report) == before


def test_the_api_answers_409_with_the_flags_and_writes_nothing(impossible_report, approver_91):
    # given
    before = snapshot(impossible_report)

    # when
    response = api(approver_91).post(f"/api/v1/submissions/{impossible_report.pk}/approve/?lang=en", {}, format="json")

    # then
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "flags_not_acknowledged"
    assert body["flags"] == WARNINGS_EN
    assert snapshot(impossible_report) == before


def test_the_api_approves_with_the_acknowledgement_and_the_audit_trail_records_it(impossible_report, approver_91):
    # when
    response = api(approver_91).post(
        f"/api/v1/submissions/{impossible_report.pk}/approve/", {"acknowledge_flags": True}, format="json"
    )

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    impossible_report.refresh_from_db()
    assert impossible_report.status == Submission.Status.APPROVED
    assert impossible_report.values.get(element__code="POP_5G").approved_value == Decimal(2_000_000)
    entry = impossible_report.audit_entries.filter(kind=AuditEntry.Kind.STATUS).order_by("-id").first()
    assert entry.new_value == "approved"
    assert entry.user == approver_91
    assert entry.reason == ("Phê duyệt dù có cảnh báo số liệu cần kiểm tra (đã xác nhận): " + " ".join(WARNINGS_VI))


def test_the_review_page_shows_the_warnings_and_asks_for_the_confirmation(impossible_report, approver_91):
    # when
    response = client_of(approver_91).get(f"/bao-cao/{impossible_report.pk}/xem-xet/")

    # then
    assert response.status_code == 200
    assert response.context["review"].quality_warnings == WARNINGS_VI
    html = response.content.decode()
    assert "Số liệu cần kiểm tra nếu phê duyệt" in html
    assert 'name="acknowledge_flags" value="1" required data-acknowledge-flags' in html
    assert "Tôi đã xem 2 cảnh báo số liệu cần kiểm tra ở trên và vẫn phê duyệt" in html


def test_the_review_page_in_english(impossible_report, approver_91):
    response = client_of(approver_91).get(f"/bao-cao/{impossible_report.pk}/xem-xet/?lang=en")

    html = response.content.decode()
    assert response.context["review"].quality_warnings == WARNINGS_EN
    assert "Values to check if approved" in html
    assert "I have read the 2 data-quality warnings above and approve anyway" in html


def test_the_web_approval_without_the_box_ticked_goes_back_to_the_warnings(impossible_report, approver_91):
    # given
    before = snapshot(impossible_report)

    # when
    response = client_of(approver_91).post(f"/bao-cao/{impossible_report.pk}/phe-duyet/")

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/{impossible_report.pk}/xem-xet/#canh-bao-so-lieu"
    assert snapshot(impossible_report) == before


def test_the_web_approval_with_the_box_ticked_approves(impossible_report, approver_91):
    response = client_of(approver_91).post(f"/bao-cao/{impossible_report.pk}/phe-duyet/", {"acknowledge_flags": "1"})

    assert response.status_code == 302
    impossible_report.refresh_from_db()
    assert impossible_report.status == Submission.Status.APPROVED
    entry = impossible_report.audit_entries.filter(kind=AuditEntry.Kind.STATUS).order_by("-id").first()
    assert entry.reason.startswith("Phê duyệt dù có cảnh báo số liệu cần kiểm tra (đã xác nhận): PHU_SONG_5G")


def test_a_report_after_a_targets_deadline_leaves_its_final_standing_as_it_is():
    # given: 2025's target was missed (final); the report is for 11/2026
    import datetime

    from kpis.models import Indicator
    from kpis.periods import Period
    from tracker.dashboards.selectors import ProgressRow
    from tracker.reporting.review import _after_status

    missed = ProgressRow(
        indicator_id=1,
        province_id=1,
        target_id=1,
        target_province_id=None,
        deadline=datetime.date(2025, 12, 31),
        status="missed",
        current_value=Decimal(60),
        current_period="2025-12",
        target_value=Decimal(80),
    )

    # when
    status = _after_status(missed, Indicator(direction="higher"), Period.parse("2026-11"), Decimal(90))

    # then
    assert status == "missed"
