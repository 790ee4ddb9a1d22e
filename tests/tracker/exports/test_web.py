"""The web page of reports and Excel exchange."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.tracker.exports.conftest import pdf_text, state
from tests.tracker.exports.templates import DECEMBER, filled
from tracker.exports.models import ExportJob
from tracker.reporting.models import Submission


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_officer_sees_the_province_report_and_template_forms_but_not_the_national_one(catalogue, officer_91):
    response = login(officer_91).get("/xuat-nhap/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Báo cáo của tỉnh" in content and "Mẫu nhập liệu Excel" in content
    assert "Báo cáo tổng hợp toàn quốc" not in content
    assert list(response.context["province_form"].fields["province"].queryset.values_list("code", flat=True)) == ["91"]


@pytest.mark.django_db
def test_the_province_report_downloads_from_the_page(computed, approver_91):
    response = login(approver_91).get(
        "/xuat-nhap/bao-cao-tinh/", {"province": approver_91.province_id, "period": "2025-Q4", "format": "pdf"}
    )
    assert response.status_code == 200
    assert pdf_text(response.content).splitlines()[0] == "ỦY BAN NHÂN DÂN TỈNH AN GIANG"


@pytest.mark.django_db
def test_a_reviewer_starts_the_national_summary_and_follows_the_job(
    computed, reviewer, django_capture_on_commit_callbacks
):
    client = login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/xuat-nhap/bao-cao-toan-quoc/", {"period": "2025-Q4", "format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/xuat-nhap/tep/{job.pk}/"
    page = client.get(response["Location"])
    assert "Tải về" in page.content.decode()
    assert client.get(f"/xuat-nhap/tep/{job.pk}/tai-ve/").status_code == 200


@pytest.mark.django_db
def test_an_upload_with_errors_lists_them_on_the_page(catalogue, an_giang, officer_91):
    client = login(officer_91)
    template = client.get(
        "/xuat-nhap/mau-nhap-lieu/", {"province": an_giang.pk, "form": "BC_THANG", "period": "2025-12"}
    )
    assert template.status_code == 200
    before = state()
    response = client.post(
        "/xuat-nhap/mau-nhap-lieu/tai-len/",
        {"file": SimpleUploadedFile("mau.xlsx", filled(template.content, {**DECEMBER, "BTS_5G": "nhiều"}))},
    )
    assert response.status_code == 400
    assert response.context["upload_errors"] == [
        "Trang tính “Số liệu”, dòng 10, cột H: Số trạm phát sóng 5G: “nhiều” không phải là số."
    ]
    assert state() == before


@pytest.mark.django_db
def test_a_good_upload_goes_to_the_submission_page(catalogue, an_giang, officer_91):
    client = login(officer_91)
    template = client.get(
        "/xuat-nhap/mau-nhap-lieu/", {"province": an_giang.pk, "form": "BC_THANG", "period": "2025-12"}
    )
    response = client.post(
        "/xuat-nhap/mau-nhap-lieu/tai-len/",
        {"file": SimpleUploadedFile("mau.xlsx", filled(template.content, DECEMBER))},
    )
    submission = Submission.objects.get(period="2025-12")
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/{submission.pk}/"


@pytest.mark.django_db
def test_the_bulk_import_page_is_for_admins_only(catalogue, officer_91, admin_user):
    assert login(officer_91).get("/xuat-nhap/nhap-lich-su/").status_code == 404
    assert login(admin_user).get("/xuat-nhap/nhap-lich-su/").status_code == 200


@pytest.mark.django_db
def test_the_bulk_import_page_shows_the_dry_run(catalogue, an_giang, admin_user):
    content = "Mã tỉnh,Kỳ,Biểu mẫu,Mã chỉ tiêu,Giá trị\r\n91,2024-03,BC_THANG,BTS_5G,12\r\n".encode()
    response = login(admin_user).post(
        "/xuat-nhap/nhap-lich-su/", {"file": SimpleUploadedFile("a.csv", content), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert response.context["totals"]["added"] == 1
    assert "1 báo cáo (1 mới); 1 số liệu thêm, 0 sửa, 0 xóa, 0 không đổi." in response.content.decode()


@pytest.mark.django_db
def test_the_page_offers_the_word_document_beside_the_pdf(computed, approver_91):
    client = login(approver_91)
    page = client.get("/xuat-nhap/").content.decode()
    assert '<option value="docx">Word (.docx)</option>' in page
    response = client.get(
        "/xuat-nhap/bao-cao-tinh/", {"province": approver_91.province_id, "period": "2025-Q4", "format": "docx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-91-2025-q4.docx"'
    assert response.content[:2] == b"PK"
