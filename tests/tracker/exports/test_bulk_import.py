"""An admin loads history for many provinces, former ones included, after a dry run."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from provinces.models import Province
from tests.tracker.exports.conftest import api, state
from tracker.reporting.models import Submission

URL = "/api/v1/imports/bulk/"
MONTH = {"DVC_RECEIVED": "1000", "DVC_ONLINE": "800", "BTS_5G": "12", "FEE_ZERO": "có", "SIGNED_RATE": "75,5"}


def csv_file(rows: list[tuple[str, str, str, str, str]], header="Mã tỉnh,Kỳ,Biểu mẫu,Mã chỉ tiêu,Giá trị") -> bytes:
    lines = [header] + [",".join(f'"{c}"' if "," in c else c for c in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def month_rows(province: str, period: str, values=MONTH) -> list[tuple[str, str, str, str, str]]:
    return [(province, period, "BC_THANG", code, value) for code, value in values.items()]


def post(user, content: bytes, name="lich-su.csv", **flags):
    data = {"file": SimpleUploadedFile(name, content), **{k: "true" if v else "false" for k, v in flags.items()}}
    return api(user).post(URL, data, format="multipart")


@pytest.fixture
def history(catalogue, an_giang):
    # Kiên Giang (former 91) and An Giang (former 89) in March 2024, the new An Giang (91) in October 2025.
    return csv_file(month_rows("91", "2024-03") + month_rows("89", "2024-03") + month_rows("91", "2025-10"))


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_change_and_writes_nothing(history, admin_user):
    before = state()
    response = post(admin_user, history, dry_run=True)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["ok"]) == (True, True)
    assert body["totals"] == {
        "submissions": 3,
        "new_submissions": 3,
        "added": 15,
        "changed": 0,
        "cleared": 0,
        "unchanged": 0,
    }
    assert [(s["province"], s["province_name"], s["period"], s["action"]) for s in body["submissions"]] == [
        ("89", "Tỉnh An Giang", "2024-03", "create"),
        ("91", "Tỉnh Kiên Giang", "2024-03", "create"),
        ("91", "Tỉnh An Giang", "2025-10", "create"),
    ]
    assert body["submissions"][0]["added"][4] == {"element": "SIGNED_RATE", "old": "", "new": "75.5"}
    assert state() == before


@pytest.mark.django_db
def test_the_import_saves_each_unit_through_the_reporting_services(history, admin_user, figure_changes):
    # when
    response = post(admin_user, history, dry_run=False, approve=True)
    # then
    assert response.status_code == 200, response.json()
    former_kien_giang = Province.objects.former().get(code="91")
    kien_giang = Submission.objects.get(province=former_kien_giang, period="2024-03")
    assert (kien_giang.status, kien_giang.has_official_values) == ("approved", True)
    assert {dv.element.code: dv.approved_value for dv in kien_giang.values.select_related("element")} == {
        "DVC_RECEIVED": Decimal(1000),
        "DVC_ONLINE": Decimal(800),
        "BTS_5G": Decimal(12),
        "FEE_ZERO": Decimal(1),
        "SIGNED_RATE": Decimal("75.5"),
    }
    assert Submission.objects.filter(status="approved").count() == 3
    assert len(figure_changes) == 3
    assert kien_giang.audit_entries.filter(kind="value").values_list("reason", flat=True).distinct().get() == (
        "Nhập số liệu lịch sử hàng loạt từ tệp “lich-su.csv”."
    )


@pytest.mark.django_db
def test_a_second_run_changes_only_what_differs(history, admin_user, catalogue):
    post(admin_user, history, dry_run=False, approve=True)
    corrected = csv_file(month_rows("91", "2024-03", {**MONTH, "BTS_5G": "15"}))
    # when
    dry = post(admin_user, corrected, dry_run=True, approve=True).json()
    # then the dry run says one figure changes in one approved report
    assert dry["totals"] == {
        "submissions": 1,
        "new_submissions": 0,
        "added": 0,
        "changed": 1,
        "cleared": 0,
        "unchanged": 4,
    }
    assert dry["submissions"][0]["changed"] == [{"element": "BTS_5G", "old": "12", "new": "15"}]
    assert dry["submissions"][0]["status"] == "approved"
    # and the real run corrects it through a correction, approved again
    assert post(admin_user, corrected, dry_run=False, approve=True).status_code == 200
    submission = Submission.objects.get(province__valid_to__isnull=False, province__code="91", period="2024-03")
    assert submission.status == "approved"
    assert submission.values.get(element__code="BTS_5G").approved_value == Decimal(15)
    assert list(submission.audit_entries.filter(kind="status").values_list("old_value", "new_value")) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "draft"),
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]


@pytest.mark.django_db
def test_any_wrong_line_means_nothing_is_saved(catalogue, an_giang, admin_user):
    rows = [
        *month_rows("91", "2025-10"),
        ("77", "2024-03", "BC_THANG", "BTS_5G", "3"),
        ("91", "2025-10", "BC_THANG", "BTS_5G", "13"),
        ("89", "2024-03", "BC_THANG", "SIGNED_RATE", "120"),
        ("89", "2024-13", "BC_THANG", "BTS_5G", "1"),
    ]
    before = state()
    response = post(admin_user, csv_file(rows), dry_run=False)
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == [
        "Trang tính “lich-su.csv”, dòng 7: không có tỉnh, thành phố mã “77” báo cáo kỳ 2024-03.",
        "Trang tính “lich-su.csv”, dòng 8: trùng với dòng 4 (cùng tỉnh, kỳ, biểu mẫu và mã chỉ tiêu).",
        "Trang tính “lich-su.csv”, dòng 9: 89 BC_THANG 2024-03: Tỷ lệ hồ sơ được ký số: tỷ lệ phần trăm"
        " không được lớn hơn 100.",
        "Trang tính “lich-su.csv”, dòng 10: Kỳ báo cáo “2024-13” không hợp lệ: dùng YYYY-MM (tháng),"
        " YYYY-Qn (quý) hoặc YYYY (năm).",
    ]
    assert state() == before


@pytest.mark.django_db
def test_a_missing_column_is_named(catalogue, admin_user):
    response = post(admin_user, csv_file([], header="Mã tỉnh,Kỳ,Mã chỉ tiêu,Giá trị"))
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == [
        "Trang tính “lich-su.csv”, dòng 1: thiếu cột “Biểu mẫu” ở dòng tiêu đề."
    ]


@pytest.mark.django_db
def test_an_xlsx_file_works_too_even_when_excel_turned_periods_into_dates(catalogue, an_giang, admin_user):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã tỉnh", "Kỳ", "Biểu mẫu", "Mã chỉ tiêu", "Giá trị", "Ghi chú"])
    for code, value in MONTH.items():
        sheet.append([91, datetime.datetime(2024, 3, 1), "BC_THANG", code, value, "số liệu Sở TT&TT cũ"])
    out = io.BytesIO()
    book.save(out)
    response = post(admin_user, out.getvalue(), name="lich-su.xlsx", dry_run=False)
    assert response.status_code == 200, response.json()
    submission = Submission.objects.get(province__code="91", province__valid_to__isnull=False, period="2024-03")
    assert (submission.status, submission.values.get(element__code="BTS_5G").comment) == (
        "draft",
        "số liệu Sở TT&TT cũ",
    )


@pytest.mark.django_db
def test_only_admins_may_bulk_import(history, reviewer):
    before = state()
    response = post(reviewer, history, dry_run=False)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Chỉ quản trị hệ thống được nhập số liệu lịch sử hàng loạt.",
        "code": "permission_denied",
    }
    assert state() == before


@pytest.mark.django_db
def test_a_bulk_file_gets_the_same_safety_checks(history, admin_user):
    response = post(admin_user, b"", dry_run=True)
    assert response.status_code == 400
    assert [e["text"] for e in response.json()["errors"]] == ["Tệp “lich-su.csv” rỗng."]
