"""Officers who live in Excel download the month's template, fill it offline and upload it."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracker.exports.conftest import api, sheet_rows, state, workbook
from tests.tracker.exports.templates import DECEMBER, approved_november, filled
from tracker.reporting.models import AuditEntry, Submission

TEMPLATE = "/api/v1/templates/"
UPLOAD = "/api/v1/templates/upload/"


def download(user, period="2025-12", province="91"):
    return api(user).get(TEMPLATE, {"province": province, "form": "BC_THANG", "period": period})


def upload(user, content: bytes, name="mau.xlsx"):
    return api(user).post(UPLOAD, {"file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.mark.django_db
def test_the_template_is_prefilled_with_codes_names_units_and_last_values(catalogue, an_giang, officer_91):
    # given November approved
    approved_november(catalogue, an_giang)
    # when
    response = download(officer_91)
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-lieu_91_BC_THANG_2025-12.xlsx"'
    book = workbook(response.content)
    assert book.sheetnames == ["Số liệu", "_mau"]
    assert book["_mau"].sheet_state == "hidden"
    sheet = book["Số liệu"]
    rows = sheet_rows(sheet)
    assert rows[1][:3] == ["Tỉnh, thành phố", None, "Tỉnh An Giang (mã 91)"]
    assert rows[3][:3] == ["Kỳ báo cáo", None, "2025-12"]
    assert rows[6:] == [
        ["STT", "Mã", "Chỉ tiêu dữ liệu", "Đơn vị tính", "Kiểu giá trị", "Bắt buộc", "Kỳ trước", "Giá trị", "Ghi chú"],
        [1, "DVC_RECEIVED", "Số hồ sơ tiếp nhận", "hồ sơ", "Số nguyên", "Có", 15000, None, None],
        [2, "DVC_ONLINE", "Số hồ sơ xử lý trực tuyến toàn trình", "hồ sơ", "Số nguyên", "Có", 11800, None, None],
        [3, "BTS_5G", "Số trạm phát sóng 5G", "trạm", "Số nguyên", "Có", 310, None, None],
        [4, "FEE_ZERO", "Áp dụng lệ phí 0 đồng", None, "Có/Không", "Có", "Có", None, None],
        [5, "SIGNED_RATE", "Tỷ lệ hồ sơ được ký số", "%", "Tỷ lệ phần trăm", "Có", 86.5, None, None],
    ]
    assert sheet.freeze_panes == "C8"
    assert sheet.protection.sheet is True
    assert [sheet.cell(row=8, column=c).protection.locked for c in (2, 8, 9)] == [True, False, False]
    rules = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2) for dv in sheet.data_validations.dataValidation
    }
    assert rules == {
        "H8 H9 H10": ("whole", "greaterThanOrEqual", "0", None),
        "H11": ("list", None, '"Có,Không"', None),
        "H12": ("decimal", "between", "0", "100"),
    }


@pytest.mark.django_db
def test_round_trip_template_fill_import_gives_the_same_values(catalogue, an_giang, officer_91):
    # given
    approved_november(catalogue, an_giang)
    template = download(officer_91).content
    # when the officer fills December offline and uploads it
    response = upload(officer_91, filled(template, DECEMBER, comments={"BTS_5G": "Thêm 10 trạm ở Phú Quốc"}))
    # then it is saved as a draft through the reporting services
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["status"], body["version"]) == (True, "draft", 2)
    assert body["changed"] == ["DVC_RECEIVED", "DVC_ONLINE", "BTS_5G", "FEE_ZERO", "SIGNED_RATE"]
    submission = Submission.objects.get(province=an_giang, period="2025-12")
    stored = {dv.element.code: (dv.value, dv.comment) for dv in submission.values.select_related("element")}
    assert stored == {
        "DVC_RECEIVED": (Decimal(15240), ""),
        "DVC_ONLINE": (Decimal(12192), ""),
        "BTS_5G": (Decimal(320), "Thêm 10 trạm ở Phú Quốc"),
        "FEE_ZERO": (Decimal(1), ""),
        "SIGNED_RATE": (Decimal("87.5"), ""),
    }
    reasons = set(
        AuditEntry.objects.filter(submission=submission, kind="value").values_list("reason", "user__username")
    )
    assert reasons == {("Nhập từ tệp Excel “mau.xlsx”.", "officer_91"), ("Thêm 10 trạm ở Phú Quốc", "officer_91")}
    # and exporting the month again gives back the same values
    again = workbook(download(officer_91).content)["Số liệu"]
    assert [again.cell(row=r, column=8).value for r in range(8, 13)] == [15240, 12192, 320, "Có", 87.5]
    assert again.cell(row=10, column=9).value == "Thêm 10 trạm ở Phú Quốc"


@pytest.mark.django_db
def test_uploading_the_same_file_twice_is_refused_as_stale(catalogue, an_giang, officer_91):
    # given a template downloaded before the month was opened, uploaded once
    content = filled(download(officer_91).content, DECEMBER)
    assert upload(officer_91, content).status_code == 200
    before = state()
    # when the same file is uploaded again (someone may have changed the report since)
    response = upload(officer_91, content)
    # then
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == [
        "Báo cáo đã được người khác thay đổi (phiên bản 2, bạn đang sửa phiên bản 1). Số liệu hiện tại được hiển thị;"
        " hãy xem lại và lưu lại."
    ]
    assert state() == before


@pytest.mark.django_db
def test_values_the_web_form_refuses_are_refused_with_sheet_row_and_column(catalogue, an_giang, officer_91):
    # given
    before = state()
    values = {**DECEMBER, "DVC_ONLINE": 20000, "BTS_5G": "ba trăm", "SIGNED_RATE": 120}
    # when
    response = upload(officer_91, filled(download(officer_91).content, values))
    # then
    assert response.status_code == 400
    assert response.json()["detail"] == "Tệp không hợp lệ: không có gì được lưu."
    assert [e["text"] for e in response.json()["errors"]] == [
        "Trang tính “Số liệu”, dòng 10, cột H: Số trạm phát sóng 5G: “ba trăm” không phải là số.",
        "Trang tính “Số liệu”, dòng 12, cột H: Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm không được lớn hơn 100.",
    ]
    assert state() == before


@pytest.mark.django_db
def test_cross_element_rules_apply_as_on_the_web_form(catalogue, an_giang, officer_91):
    before = state()
    response = upload(officer_91, filled(download(officer_91).content, {**DECEMBER, "DVC_ONLINE": 20000}))
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == [
        "Trang tính “Số liệu”, dòng 9, cột H: Số hồ sơ xử lý trực tuyến toàn trình không được lớn hơn"
        " số hồ sơ tiếp nhận (20.000 > 15.240)."
    ]
    assert state() == before


@pytest.mark.django_db
def test_an_officer_cannot_import_another_provinces_template(catalogue, an_giang, ha_noi, officer_01, reviewer):
    # given a template of An Giang (the reviewer may download any)
    content = filled(download(reviewer).content, DECEMBER)
    before = state()
    # when Hà Nội's officer uploads it
    response = upload(officer_01, content)
    # then
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == ["Bạn không được tạo báo cáo cho 91 Tỉnh An Giang."]
    assert state() == before


@pytest.mark.django_db
def test_another_provinces_template_is_not_even_downloadable(catalogue, an_giang, ha_noi, officer_01):
    response = download(officer_01)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy tỉnh.", "code": "not_found"}


@pytest.mark.django_db
def test_a_submitted_report_is_not_changed_by_an_upload(catalogue, an_giang, officer_91):
    # given December uploaded and submitted
    content = filled(download(officer_91).content, DECEMBER)
    upload(officer_91, content)
    from tracker.reporting import services

    submission = Submission.objects.get(period="2025-12")
    services.submission_submit(submission=submission, user=officer_91)
    fresh = filled(download(officer_91).content, {**DECEMBER, "BTS_5G": 330})
    before = state()
    # when
    response = upload(officer_91, fresh)
    # then
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == [
        "Báo cáo đang ở trạng thái “Đã gửi”: không sửa được số liệu."
    ]
    assert state() == before


@pytest.mark.django_db
def test_a_template_for_the_wrong_periodicity_is_refused(catalogue, an_giang, officer_91):
    response = download(officer_91, period="2025-Q4")
    assert response.status_code == 400
    assert response.json() == {"detail": "Kỳ 2025-Q4 không đúng tần suất của biểu mẫu BC_THANG.", "code": "invalid"}
