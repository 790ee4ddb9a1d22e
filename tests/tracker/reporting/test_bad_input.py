"""The issue's "Bad input" paragraph, through the API: each gets a clear error and changes nothing."""

import pytest

from tests.tracker.reporting.conftest import api, approved_submission, fill, open_submission, snapshot

AMBIGUOUS_DOT = (
    "Số hồ sơ tiếp nhận: “1.234” không rõ nghĩa: dấu “.” có thể là dấu phân cách hàng nghìn hoặc dấu thập phân."
    " Viết 1234 nếu là số nguyên, 1,2340 nếu là số thập phân."
)
AMBIGUOUS_COMMA = (
    "Số hồ sơ tiếp nhận: “1,234” không rõ nghĩa: dấu “,” có thể là dấu phân cách hàng nghìn hoặc dấu thập phân."
    " Viết 1234 nếu là số nguyên, 1,2340 nếu là số thập phân."
)


@pytest.fixture
def draft(catalogue, an_giang, officer_91):
    return fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)


@pytest.mark.parametrize(
    ("element", "raw", "message"),
    [
        ("DVC_RECEIVED", "abc", "Số hồ sơ tiếp nhận: “abc” không phải là số."),
        ("DVC_RECEIVED", "12a", "Số hồ sơ tiếp nhận: “12a” không phải là số."),
        ("DVC_RECEIVED", "1e5", "Số hồ sơ tiếp nhận: “1e5” không phải là số."),
        ("DVC_RECEIVED", "-5", "Số hồ sơ tiếp nhận: không được là số âm."),
        ("BUDGET", "-1.000.000", "Kinh phí chuyển đổi số: không được là số âm."),
        ("SIGNED_RATE", "101", "Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100."),
        ("SIGNED_RATE", "100,5%", "Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100."),
        ("DVC_RECEIVED", "1.234", AMBIGUOUS_DOT),
        ("DVC_RECEIVED", "1,234", AMBIGUOUS_COMMA),
        ("DVC_RECEIVED", "1.23.4", "Số hồ sơ tiếp nhận: “1.23.4” viết sai dấu phân cách hàng nghìn."),
        ("DVC_RECEIVED", "12,5", "Số hồ sơ tiếp nhận: phải là số nguyên, không có phần thập phân."),
        (
            "DVC_RECEIVED",
            "1000000000000000000",
            "Số hồ sơ tiếp nhận: “1000000000000000000” quá lớn (tối đa 18 chữ số phần nguyên).",
        ),
        ("DVC_RECEIVED", 1e30, "Số hồ sơ tiếp nhận: “1e+30” quá lớn (tối đa 18 chữ số phần nguyên)."),
        ("DVC_RECEIVED", True, "Số hồ sơ tiếp nhận: “True” không phải là số."),
        (
            "FEE_ZERO",
            "có thể",
            "Áp dụng lệ phí 0 đồng cho dịch vụ công trực tuyến: “có thể” không phải là giá trị Có/Không"
            " (có, không, yes, no, 1, 0).",
        ),
        (
            "DVC_ONLINE",
            "20.000.000",
            "Số hồ sơ xử lý trực tuyến toàn trình không được lớn hơn số hồ sơ tiếp nhận (20.000.000 > 15.240).",
        ),
        ("XYZ", "1", "Mã “XYZ” không thuộc biểu mẫu BC_THANG."),
    ],
)
def test_bad_value_is_refused_with_a_message_naming_the_element(draft, officer_91, element, raw, message):
    # given
    before = snapshot(draft)

    # when: a good value travels with the bad one
    response = api(officer_91).patch(
        f"/api/v1/submissions/{draft.pk}/values/",
        {"version": 2, "values": [{"element": "BTS_5G", "value": "330"}, {"element": element, "value": raw}]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Số liệu không hợp lệ.",
        "code": "invalid_values",
        "errors": {element: [message]},
        "form_errors": [],
    }
    assert snapshot(draft) == before


def test_english_pages_name_the_element_and_rule_in_english(draft, officer_91):
    # when
    response = api(officer_91).patch(
        f"/api/v1/submissions/{draft.pk}/values/?lang=en",
        {"version": 2, "values": [{"element": "DVC_ONLINE", "value": 99999}]},
        format="json",
    )

    # then
    assert response.json()["errors"] == {
        "DVC_ONLINE": ["Dossiers handled fully online cannot exceed dossiers received (99,999 > 15,240)."]
    }


def test_missing_required_values_block_submit(catalogue, an_giang, officer_91):
    # given: only two figures typed
    submission = open_submission(officer_91, an_giang, catalogue.form)
    submission = fill(submission, officer_91, {"DVC_RECEIVED": "100", "DVC_ONLINE": "90"})
    before = snapshot(submission)

    # when
    response = api(officer_91).post(f"/api/v1/submissions/{submission.pk}/submit/", {}, format="json")

    # then: every required empty element is named; the optional budget is not
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_values"
    assert response.json()["detail"] == "Chưa gửi được: còn số liệu thiếu hoặc không hợp lệ."
    assert response.json()["errors"] == {
        "POP": ["Dân số: chưa nhập (bắt buộc)."],
        "POP_5G": ["Dân số được phủ sóng 5G: chưa nhập (bắt buộc)."],
        "BTS_5G": ["Số trạm phát sóng 5G: chưa nhập (bắt buộc)."],
        "FEE_ZERO": ["Áp dụng lệ phí 0 đồng cho dịch vụ công trực tuyến: chưa nhập (bắt buộc)."],
        "SIGNED_RATE": ["Tỷ lệ hồ sơ được ký số: chưa nhập (bắt buộc)."],
    }
    assert snapshot(submission) == before


def test_submitting_an_approved_report_is_a_400(catalogue, an_giang, officer_91, approver_91):
    # given
    submission = approved_submission(officer_91, approver_91, an_giang, catalogue.form)
    before = snapshot(submission)

    # when
    response = api(officer_91).post(f"/api/v1/submissions/{submission.pk}/submit/", {}, format="json")

    # then
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Không gửi được báo cáo đang ở trạng thái “Đã phê duyệt”.",
            "code": "transition_not_allowed",
        },
    )
    assert snapshot(submission) == before


def test_writing_values_of_an_approved_report_says_to_open_a_correction(catalogue, an_giang, officer_91, approver_91):
    # given
    submission = approved_submission(officer_91, approver_91, an_giang, catalogue.form)
    before = snapshot(submission)

    # when
    response = api(officer_91).patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"version": submission.version, "values": [{"element": "BTS_5G", "value": "1"}]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Báo cáo đang ở trạng thái “Đã phê duyệt”: không sửa được số liệu."
        " Muốn sửa số liệu đã phê duyệt, hãy mở điều chỉnh (kèm lý do)."
    )
    assert snapshot(submission) == before


def test_officer_cannot_approve_own_report(catalogue, an_giang, officer_91):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    api(officer_91).post(f"/api/v1/submissions/{submission.pk}/submit/", {}, format="json")
    before = snapshot(submission)

    # when
    response = api(officer_91).post(f"/api/v1/submissions/{submission.pk}/approve/", {}, format="json")

    # then
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Chỉ lãnh đạo phê duyệt của tỉnh được phê duyệt báo cáo.", "code": "permission_denied"},
    )
    assert snapshot(submission) == before


def test_writing_to_another_province_is_refused(catalogue, an_giang, ha_noi, officer_91, officer_01):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    before = snapshot(submission)

    # when
    write = api(officer_01).patch(
        f"/api/v1/submissions/{submission.pk}/values/",
        {"version": 2, "values": [{"element": "BTS_5G", "value": "1"}]},
        format="json",
    )
    create = api(officer_01).post(
        "/api/v1/submissions/", {"province": "91", "form": "BC_THANG", "period": "2026-09"}, format="json"
    )

    # then: the draft is not even revealed; creating for another province is forbidden
    assert (write.status_code, write.json()) == (404, {"detail": "Không tìm thấy báo cáo.", "code": "not_found"})
    assert (create.status_code, create.json()["detail"]) == (403, "Bạn không được tạo báo cáo cho 91 Tỉnh An Giang.")
    assert snapshot(submission) == before


def test_stale_version_is_a_409(draft, officer_91):
    # given
    before = snapshot(draft)

    # when
    response = api(officer_91).patch(
        f"/api/v1/submissions/{draft.pk}/values/",
        {"version": 1, "values": [{"element": "BTS_5G", "value": "1"}]},
        format="json",
    )

    # then: a refused request writes nothing, not even its unchecked input to the history
    assert (response.status_code, response.json()["version"]) == (409, 2)
    assert snapshot(draft) == before


def test_return_without_comment_is_refused(catalogue, an_giang, officer_91, reviewer):
    # given
    submission = fill(open_submission(officer_91, an_giang, catalogue.form), officer_91)
    api(officer_91).post(f"/api/v1/submissions/{submission.pk}/submit/", {}, format="json")
    before = snapshot(submission)

    # when
    response = api(reviewer).post(f"/api/v1/submissions/{submission.pk}/return/", {"comment": "   "}, format="json")

    # then
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Cần ghi ý kiến khi trả lại báo cáo.", "code": "invalid"},
    )
    assert snapshot(submission) == before


def test_html_in_comments_is_escaped_on_the_page(client, draft, officer_91, reviewer):
    # given
    script = "<script>alert('x')</script>"
    api(officer_91).patch(
        f"/api/v1/submissions/{draft.pk}/values/",
        {"version": 2, "values": [{"element": "BTS_5G", "comment": script}]},
        format="json",
    )
    api(reviewer).post(f"/api/v1/submissions/{draft.pk}/comments/", {"text": f"<b>{script}</b>"}, format="json")

    # when
    client.force_login(reviewer)
    page = client.get(f"/bao-cao/{draft.pk}/").content.decode()

    # then
    assert script not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;&lt;script&gt;" in page


def test_malformed_requests_are_400(draft, officer_91):
    # given
    before = snapshot(draft)
    url = f"/api/v1/submissions/{draft.pk}/values/"
    client = api(officer_91)

    # when
    no_version = client.patch(url, {"values": [{"element": "BTS_5G", "value": "1"}]}, format="json")
    no_values = client.patch(url, {"version": 2, "values": []}, format="json")
    duplicate = client.patch(
        url,
        {"version": 2, "values": [{"element": "POP", "value": "1"}, {"element": "POP", "value": "2"}]},
        format="json",
    )
    object_value = client.patch(url, {"version": 2, "values": [{"element": "POP", "value": {"a": 1}}]}, format="json")

    # then
    assert (no_version.status_code, no_values.status_code) == (400, 400)
    assert duplicate.json()["errors"] == {"POP": ["Mã “POP” xuất hiện nhiều lần trong một lần lưu."]}
    assert object_value.json()["errors"] == {"POP": ["Dân số: Giá trị phải là chuỗi ký tự, số hoặc Có/Không."]}
    assert snapshot(draft) == before
