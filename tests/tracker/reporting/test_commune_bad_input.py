"""Bad input of commune reporting (issue 17): each refused with the reason, nothing saved."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import CommuneFactory
from tests.tracker.reporting.conftest import api, open_commune, open_submission, snapshot, submitted_commune
from tracker.reporting.models import Submission

URL = "/api/v1/commune-submissions/"


def create(user, **body):
    return api(user).post(URL, {"form": "BC_THANG", "period": "2026-10", **body}, format="json")


def test_unknown_commune_code_is_refused(commune_catalogue, communes_91, admin_user):
    # when
    response = create(admin_user, commune="99999")

    # then
    assert response.status_code == 400
    assert response.json()["detail"] == "Không có xã, phường, đặc khu mã “99999”."
    assert Submission.objects.count() == 0


def test_a_commune_of_another_province_is_refused(commune_catalogue, communes_91, commune_01, admin_user):
    # when
    response = create(admin_user, commune="00004", province="91")

    # then
    assert response.status_code == 400
    assert response.json()["detail"] == "00004 Phường Ba Đình thuộc Thành phố Hà Nội, không thuộc Tỉnh An Giang."
    assert Submission.objects.count() == 0


def test_a_commune_officer_cannot_open_another_communes_report(commune_catalogue, commune_01, commune_officer_91):
    # when
    response = create(commune_officer_91, commune="00004")

    # then
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không được tạo báo cáo cho 00004 Phường Ba Đình."
    assert Submission.objects.count() == 0


def test_a_period_before_the_communes_validity_is_refused(commune_catalogue, an_giang, admin_user):
    # given: a commune formed on 1 January 2026
    CommuneFactory(code="30009", name="Xã Mới", province=an_giang, valid_from=datetime.date(2026, 1, 1))

    # when
    response = create(admin_user, commune="30009", period="2025-12")

    # then
    assert response.status_code == 400
    assert (
        response.json()["detail"]
        == "30009 Xã Mới không phải là đơn vị báo cáo của kỳ 2025-12 (hiệu lực từ 01/01/2026)."
    )
    assert Submission.objects.count() == 0


def test_a_period_before_the_forms_commune_reporting_is_refused(commune_catalogue, communes_91, admin_user):
    # given
    commune_catalogue.form.commune_reporting_from = "2026-10"
    commune_catalogue.form.save()

    # when
    response = create(admin_user, commune="30001", period="2026-09")

    # then
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Biểu mẫu BC_THANG chỉ báo cáo cấp xã từ kỳ 2026-10; kỳ 2026-09 do tỉnh báo cáo."
    )
    assert Submission.objects.count() == 0


def test_a_form_without_commune_reporting_is_refused(catalogue, communes_91, admin_user):
    # when
    response = create(admin_user, commune="30001")

    # then
    assert response.status_code == 400
    assert response.json()["detail"] == "Biểu mẫu BC_THANG không có báo cáo cấp xã."


def test_a_province_user_cannot_open_a_commune_report(commune_catalogue, communes_91, officer_91):
    # when
    response = create(officer_91, commune="30001")

    # then
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Báo cáo cấp xã do cán bộ cấp xã nhập; tài khoản của tỉnh không nhập báo cáo cho xã."
    )
    assert Submission.objects.count() == 0


def test_a_province_user_cannot_enter_a_communes_figures(
    commune_catalogue, communes_91, commune_officer_91, officer_91
):
    # given
    report = open_commune(commune_officer_91, communes_91[0], commune_catalogue.form)
    before = snapshot(report)

    # when
    response = api(officer_91).patch(
        f"/api/v1/submissions/{report.pk}/values/",
        {"version": report.version, "values": [{"element": "DVC_RECEIVED", "value": "5"}]},
        format="json",
    )

    # then
    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ cán bộ cấp xã của xã này được nhập và gửi báo cáo cấp xã."
    assert snapshot(report) == before


def test_a_commune_report_refuses_a_province_only_element(commune_catalogue, communes_91, commune_officer_91):
    # given
    report = open_commune(commune_officer_91, communes_91[0], commune_catalogue.form)
    before = snapshot(report)

    # when
    response = api(commune_officer_91).patch(
        f"/api/v1/submissions/{report.pk}/values/",
        {"version": report.version, "values": [{"element": "BTS_5G", "value": "5"}]},
        format="json",
    )

    # then
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "BTS_5G": ["Số trạm phát sóng 5G do tỉnh báo cáo, không thuộc báo cáo cấp xã."]
    }
    assert snapshot(report) == before


def test_a_province_approver_cannot_batch_approve_a_commune_of_another_province(
    commune_catalogue, commune_01, commune_officer_01, approver_91
):
    # given
    other = submitted_commune(
        commune_officer_01,
        commune_01,
        commune_catalogue.form,
        {"DVC_RECEIVED": "5", "DVC_ONLINE": "1", "SIGNED_RATE": "9"},
    )
    before = snapshot(other)

    # when
    response = api(approver_91).post("/api/v1/commune-submissions/batch-approve/", {"ids": [other.pk]}, format="json")

    # then
    assert response.status_code == 400
    assert response.json()["refused"] == [{"id": other.pk, "unit": "", "reason": "Không tìm thấy báo cáo."}]
    assert snapshot(other) == before


def test_a_bulk_import_mixing_levels_is_refused(commune_catalogue, an_giang, communes_91, admin_user):
    # given: a province line, a commune's line, and the province's line for a commune-level element
    rows = [
        "Mã tỉnh,Kỳ,Biểu mẫu,Mã chỉ tiêu,Giá trị",
        "91,2026-10,BC_THANG,BTS_5G,12",
        "30001,2026-10,BC_THANG,DVC_RECEIVED,10",
        "91,2026-10,BC_THANG,DVC_ONLINE,8",
    ]
    data = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")

    # when
    response = api(admin_user).post(
        "/api/v1/imports/bulk/",
        {"file": SimpleUploadedFile("lan-cap.csv", data), "dry_run": "false"},
        format="multipart",
    )

    # then
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == [
        "Trang tính “lan-cap.csv”, dòng 3: “30001” là mã xã, phường, đặc khu: tệp nhập hàng loạt chỉ nhận số liệu"
        " của tỉnh, không trộn số liệu cấp xã.",
        "Trang tính “lan-cap.csv”, dòng 4: 91 BC_THANG 2026-10: Số hồ sơ xử lý trực tuyến toàn trình do cấp xã báo"
        " cáo: số của tỉnh là tổng hợp số liệu đã được duyệt của các xã, không nhập trực tiếp.",
    ]
    assert Submission.objects.count() == 0


def test_the_province_report_cannot_be_opened_by_a_commune_officer(commune_catalogue, an_giang, commune_officer_91):
    # when
    response = api(commune_officer_91).post(
        "/api/v1/submissions/", {"province": "91", "form": "BC_THANG", "period": "2026-10"}, format="json"
    )

    # then
    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_refusals_in_english(commune_catalogue, communes_91, officer_91):
    # when
    unknown = api(officer_91).post(f"{URL}?lang=en", {"commune": "99999", "form": "BC_THANG", "period": "2026-10"})
    province_user = api(officer_91).post(
        f"{URL}?lang=en", {"commune": "30001", "form": "BC_THANG", "period": "2026-10"}
    )

    # then
    assert unknown.json()["detail"] == "There is no commune, ward or special zone with code “99999”."
    assert province_user.json()["detail"] == (
        "Commune reports are entered by commune officers; a province account cannot enter a commune's report."
    )


def test_province_report_draft_left_alone_by_bad_commune_input(
    commune_catalogue, an_giang, communes_91, officer_91, admin_user
):
    # given
    report = open_submission(officer_91, an_giang, commune_catalogue.form)
    before = snapshot(report)

    # when
    create(admin_user, commune="99999")

    # then
    assert snapshot(report) == before


def _template_with(content: bytes, values: dict) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    sheet = book["Số liệu"]
    for row in range(8, sheet.max_row + 1):
        code = sheet.cell(row=row, column=2).value
        if code in values:
            sheet.cell(row=row, column=8).value = values[code]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_import_of_the_province_template_skips_rolled_up_rows_and_refuses_a_changed_one(
    commune_catalogue, an_giang, officer_91
):
    # given: the October template of An Giang
    template = api(officer_91).get("/api/v1/templates/", {"province": "91", "form": "BC_THANG", "period": "2026-10"})
    province_values = {"POP": 1952000, "POP_5G": 1500000, "BTS_5G": 320, "FEE_ZERO": "Có"}

    # when: filled with the province's own figures, then with a figure for a commune-level row
    saved = api(officer_91).post(
        "/api/v1/templates/upload/",
        {"file": SimpleUploadedFile("mau.xlsx", _template_with(template.content, province_values))},
        format="multipart",
    )
    report = Submission.objects.get(province=an_giang, commune__isnull=True)
    before = snapshot(report)
    template = api(officer_91).get("/api/v1/templates/", {"province": "91", "form": "BC_THANG", "period": "2026-10"})
    refused = api(officer_91).post(
        "/api/v1/templates/upload/",
        {"file": SimpleUploadedFile("mau.xlsx", _template_with(template.content, {"DVC_RECEIVED": 99}))},
        format="multipart",
    )

    # then
    assert saved.status_code == 200, saved.content
    assert template.status_code == 200
    assert refused.status_code == 400
    assert "Số hồ sơ tiếp nhận do cấp xã báo cáo" in refused.content.decode()
    assert snapshot(report) == before
