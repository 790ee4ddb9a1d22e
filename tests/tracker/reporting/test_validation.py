"""Outliers against the province's own approved history, cross-element rules, completeness, and
the importer's entry point."""

import pytest

from tests.tracker.reporting.conftest import OCTOBER, api, approved_submission, fill, open_submission, snapshot
from tracker.reporting import services
from tracker.reporting.errors import ValuesInvalid
from tracker.reporting.models import Submission
from tracker.reporting.validation import validate_raw

STD_MESSAGE = (
    "Số trạm phát sóng 5G: giá trị 320 lệch quá 3 độ lệch chuẩn so với số liệu đã phê duyệt của tỉnh"
    " (trung bình 100,25, độ lệch chuẩn 1,71). Cần ghi chú giải thích trước khi gửi."
)


@pytest.fixture
def history(catalogue, an_giang, officer_91, approver_91, fixed_clock):
    """June to September 2026 approved, each in its own month, with about 100 5G stations."""
    for period, stations in [("2026-06", "100"), ("2026-07", "102"), ("2026-08", "98"), ("2026-09", "101")]:
        fixed_clock.reporting(period)
        approved_submission(officer_91, approver_91, an_giang, catalogue.form, period, {**OCTOBER, "BTS_5G": stations})
    fixed_clock.reset()


def test_outlier_is_a_warning_on_save_and_needs_a_comment_to_submit(history, catalogue, an_giang, officer_91):
    # given
    submission = open_submission(officer_91, an_giang, catalogue.form)
    client = api(officer_91)

    # when
    saved = client.patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"version": 1, "values": [{"element": c, "value": v} for c, v in OCTOBER.items()]},
        format="json",
    )
    refused = client.post(f"/api/v1/submissions/{submission.pk}/submit/", {}, format="json")
    explained = client.patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"version": 2, "values": [{"element": "BTS_5G", "comment": "Dự án phủ sóng 5G toàn tỉnh khánh thành."}]},
        format="json",
    )
    submitted = client.post(f"/api/v1/submissions/{submission.pk}/submit/", {}, format="json")

    # then
    assert (saved.status_code, saved.json()["warnings"]) == (200, {"BTS_5G": [STD_MESSAGE]})
    assert (refused.status_code, refused.json()["errors"]) == (400, {"BTS_5G": [STD_MESSAGE]})
    assert (explained.status_code, submitted.status_code, submitted.json()["status"]) == (200, 200, "submitted")


def test_a_jump_beyond_the_factor_is_an_outlier_even_with_short_history(catalogue, an_giang, officer_91, approver_91):
    # given: only September is approved
    approved_submission(officer_91, approver_91, an_giang, catalogue.form, "2026-09", {**OCTOBER, "BTS_5G": "100"})
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91, {**OCTOBER, "BTS_5G": "301"})

    # when
    with pytest.raises(ValuesInvalid) as refused:
        services.submission_submit(submission=submission, user=officer_91)

    # then
    assert refused.value.errors == {
        "BTS_5G": [
            "Số trạm phát sóng 5G: giá trị 301 thay đổi quá 3 lần so với kỳ trước (100)."
            " Cần ghi chú giải thích trước khi gửi."
        ]
    }


def test_another_provinces_history_does_not_make_an_outlier(
    catalogue, an_giang, ha_noi, officer_01, approver_01, officer_91
):
    # given: Hà Nội had 10 stations in September; An Giang has no history
    approved_submission(officer_01, approver_01, ha_noi, catalogue.form, "2026-09", {**OCTOBER, "BTS_5G": "10"})
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)

    # when
    services.submission_submit(submission=submission, user=officer_91)

    # then
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_submit_checks_every_rule_even_on_untouched_values(catalogue, an_giang, officer_91):
    # given: a rule broken by two separate saves, each of which only touched one side
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    submission.values.filter(element__code="POP").update(value=1000)  # e.g. the census figure was corrected
    before = snapshot(submission)

    # when
    with pytest.raises(ValuesInvalid) as refused:
        services.submission_submit(submission=submission, user=officer_91)

    # then
    assert refused.value.errors == {
        "POP_5G": ["Dân số được phủ sóng 5G không được lớn hơn dân số (1.500.000 > 1.000)."]
    }
    assert snapshot(submission) == before


def test_rule_is_not_checked_while_one_side_is_empty(catalogue, an_giang, officer_91):
    # given
    submission = open_submission(officer_91, an_giang, catalogue.form)

    # when
    result = services.submission_values_update(
        submission=submission, user=officer_91, version=1, values={"DVC_ONLINE": "500"}
    )

    # then
    assert result.changed == ["DVC_ONLINE"]


def test_importer_validates_raw_strings_without_writing(catalogue, an_giang):
    # when
    result = validate_raw(
        province=an_giang,
        form=catalogue.form,
        period="2026-10",
        raw={"DVC_RECEIVED": "1.234", "DVC_ONLINE": "12 192", "SIGNED_RATE": "150", "FEE_ZERO": "không"},
    )
    complete = validate_raw(province=an_giang, form=catalogue.form, period="2026-10", raw=OCTOBER, for_submit=True)
    incomplete = validate_raw(
        province=an_giang, form=catalogue.form, period="2026-10", raw={"DVC_RECEIVED": "5"}, for_submit=True
    )

    # then
    assert result.errors == {
        "DVC_RECEIVED": [
            "Số hồ sơ tiếp nhận: “1.234” không rõ nghĩa: dấu “.” có thể là dấu phân cách hàng nghìn hoặc"
            " dấu thập phân. Viết 1234 nếu là số nguyên, 1,2340 nếu là số thập phân."
        ],
        "SIGNED_RATE": ["Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100."],
    }
    assert {code: str(value) for code, value in result.parsed.items()} == {"DVC_ONLINE": "12192", "FEE_ZERO": "0"}
    assert (complete.ok, str(complete.parsed["POP"])) == (True, "1952000")
    assert sorted(incomplete.errors) == ["BTS_5G", "DVC_ONLINE", "FEE_ZERO", "POP", "POP_5G", "SIGNED_RATE"]
    assert Submission.objects.count() == 0
