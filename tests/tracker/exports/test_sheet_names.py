"""Workbook sheet names follow the reader's language (Vietnamese by default, English when chosen),
and a data-entry template comes back in whichever language it was downloaded."""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kpis.periods import Period
from tests.tracker.exports.conftest import api, pdf_text, workbook
from tests.tracker.exports.templates import DECEMBER, approved_november
from tracker.exports import entry_template, reports, services, tasks, xlsx
from tracker.exports.models import ExportJob
from tracker.reporting.models import Submission

Q4 = Period.parse("2025-Q4")
PROVINCE_SHEETS_VI = [
    "Thông tin",
    "Chỉ tiêu",
    "Thay đổi nhiều nhất",
    "Chậm tiến độ",
    "Mục tiêu không đạt",
    "Chất lượng số liệu",
    "Chỉ số tổng hợp",
    "Tình hình báo cáo",
    "Mã chỉ tiêu",
]
PROVINCE_SHEETS_EN = [
    "Information",
    "Indicators",
    "Largest changes",
    "Behind schedule",
    "Targets missed",
    "Data quality",
    "Composite indices",
    "Reporting status",
    "Indicator codes",
]
NATIONAL_SHEETS_EN = [
    "Information",
    "National indicators",
    "Largest changes",
    "Behind schedule",
    "Targets missed",
    "Data quality",
    "By province",
    "Lagging indicators",
    "Rankings",
    "Reporting rates",
    "Detail by province",
    "Indicator codes",
]
EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _filled(content: bytes, sheet_name: str) -> bytes:
    book = workbook(content)
    sheet = book[sheet_name]
    for row in range(entry_template.FIRST_ROW, entry_template.FIRST_ROW + len(DECEMBER)):
        sheet.cell(row=row, column=entry_template.VALUE_COLUMN).value = DECEMBER[sheet.cell(row=row, column=2).value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(user, lang: str) -> bytes:
    response = api(user).get(
        "/api/v1/templates/", {"province": "91", "form": "BC_THANG", "period": "2025-12", "lang": lang}
    )
    assert response.status_code == 200
    return response.content


def _upload(user, content: bytes, lang: str):
    return api(user).post(
        f"/api/v1/templates/upload/?lang={lang}", {"file": SimpleUploadedFile("mau.xlsx", content)}, format="multipart"
    )


@pytest.mark.django_db
def test_the_province_report_names_its_sheets_in_english_under_english(computed, an_giang, english):
    # when
    with translation.override("en"):
        rendered = reports.render_document(reports.province_report(province=an_giang, period=Q4), "xlsx")

    # then
    assert workbook(rendered.content).sheetnames == PROVINCE_SHEETS_EN


@pytest.mark.django_db
def test_the_province_report_names_its_sheets_in_vietnamese_by_default(computed, an_giang, english):
    # when
    rendered = reports.render_document(reports.province_report(province=an_giang, period=Q4), "xlsx")

    # then
    assert workbook(rendered.content).sheetnames == PROVINCE_SHEETS_VI


@pytest.mark.django_db
def test_the_national_summary_names_its_sheets_in_english_and_its_pdf_still_skips_the_detail(computed, english):
    # when
    with translation.override("en"):
        book = workbook(reports.render(kind="national", file_format="xlsx", period=Q4).content)
        pdf = reports.render(kind="national", file_format="pdf", period=Q4).content

    # then
    assert book.sheetnames == NATIONAL_SHEETS_EN
    assert b"%PDF" in pdf[:8]
    assert "INDICATOR VALUES BY PROVINCE" not in pdf_text(pdf)


def test_every_english_sheet_name_fits_excel(english):
    # given
    keys = [*reports.SHEET_NAMES]

    # when
    with translation.override("en"):
        names = [str(xlsx.COVER_SHEET), entry_template.data_sheet_name(), *(reports.sheet_name(k) for k in keys)]

    # then: translated, at most 31 characters, none of []:*?/\ and all different
    assert names == [
        "Information",
        "Data",
        "Indicators",
        "Composite indices",
        "Reporting status",
        "National indicators",
        "Rankings",
        "Lagging indicators",
        "Reporting rates",
        "Detail by province",
        "Largest changes",
        "Behind schedule",
        "Targets missed",
        "Data quality",
        "By province",
        "Indicator codes",
    ]
    assert [name for name in names if len(name) > 31 or EXCEL_FORBIDDEN.search(name)] == []
    assert len({name.lower() for name in names}) == len(names)


@pytest.mark.django_db
def test_the_template_sheet_is_named_in_the_downloaders_language(catalogue, an_giang, officer_91, english):
    # when
    english_book = workbook(_download(officer_91, "en"))
    vietnamese_book = workbook(_download(officer_91, "vi"))

    # then
    assert english_book.sheetnames == ["Data", "_mau"]
    assert vietnamese_book.sheetnames == ["Số liệu", "_mau"]


@pytest.mark.parametrize(("download_in", "upload_in", "sheet"), [("en", "vi", "Data"), ("vi", "en", "Số liệu")])
@pytest.mark.django_db
def test_a_template_comes_back_whatever_language_the_uploader_uses(
    catalogue, an_giang, officer_91, english, download_in, upload_in, sheet
):
    # given: December's template downloaded in one language and filled
    approved_november(catalogue, an_giang)
    content = _filled(_download(officer_91, download_in), sheet)

    # when: uploaded while the officer uses the other language
    response = _upload(officer_91, content, upload_in)

    # then
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["status"]) == (True, "draft")
    submission = Submission.objects.get(province=an_giang, period="2025-12")
    stored = {dv.element.code: dv.value for dv in submission.values.select_related("element")}
    assert stored == {
        "DVC_RECEIVED": Decimal(15240),
        "DVC_ONLINE": Decimal(12192),
        "BTS_5G": Decimal(320),
        "FEE_ZERO": Decimal(1),
        "SIGNED_RATE": Decimal("87.5"),
    }


@pytest.mark.django_db
def test_an_english_template_with_a_bad_cell_names_its_own_sheet(catalogue, an_giang, officer_91, english):
    # given: the English template with the code column edited
    book = workbook(_download(officer_91, "en"))
    book["Data"].cell(row=entry_template.FIRST_ROW, column=2).value = "KHAC"
    out = io.BytesIO()
    book.save(out)

    # when
    response = _upload(officer_91, out.getvalue(), "vi")

    # then
    assert response.status_code == 400
    assert [error["sheet"] for error in response.json()["errors"]] == ["Data"]


@pytest.mark.django_db
def test_an_english_template_with_an_invalid_value_names_its_own_sheet(catalogue, an_giang, officer_91, english):
    # given: the English template filled, with a share above 100 %
    approved_november(catalogue, an_giang)
    book = workbook(_filled(_download(officer_91, "en"), "Data"))
    sheet = book["Data"]
    rows = range(entry_template.FIRST_ROW, entry_template.FIRST_ROW + len(DECEMBER))
    (signed,) = [r for r in rows if sheet.cell(row=r, column=entry_template.CODE_COLUMN).value == "SIGNED_RATE"]
    sheet.cell(row=signed, column=entry_template.VALUE_COLUMN).value = 150
    out = io.BytesIO()
    book.save(out)

    # when
    response = _upload(officer_91, out.getvalue(), "vi")

    # then: the error points at the sheet as it is named in the file, and nothing was saved
    assert response.status_code == 400
    assert [(e["sheet"], e["row"], e["column"]) for e in response.json()["errors"]] == [("Data", signed, "H")]
    assert not Submission.objects.filter(province=an_giang, period="2025-12").exists()


NATIONAL_SHEETS_VI = [
    "Thông tin",
    "Chỉ tiêu toàn quốc",
    "Thay đổi nhiều nhất",
    "Chậm tiến độ",
    "Mục tiêu không đạt",
    "Chất lượng số liệu",
    "Theo tỉnh",
    "Chỉ tiêu chậm",
    "Xếp hạng",
    "Tỷ lệ báo cáo",
    "Chi tiết theo tỉnh",
    "Mã chỉ tiêu",
]


def _national_job(client, django_capture_on_commit_callbacks, **params) -> ExportJob:
    """Ask for the national workbook; the (eager) worker builds it after the request has ended."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/reports/national/", {"period": "2025-Q4", "format": "xlsx", **params})
    assert response.status_code == 202
    return ExportJob.objects.get(pk=response.json()["id"])


def _downloaded_sheets(client, job: ExportJob) -> list[str]:
    download = client.get(f"/api/v1/jobs/{job.pk}/download/")
    assert download.status_code == 200
    return workbook(b"".join(download.streaming_content)).sheetnames


@pytest.mark.django_db
def test_a_national_workbook_asked_for_in_english_is_built_in_english(
    computed, reviewer, english, django_capture_on_commit_callbacks
):
    # given
    client = api(reviewer)

    # when
    job = _national_job(client, django_capture_on_commit_callbacks, lang="en")

    # then
    assert (job.language, job.status) == ("en", "done")
    assert _downloaded_sheets(client, job) == NATIONAL_SHEETS_EN


@pytest.mark.django_db
def test_a_national_workbook_follows_the_language_cookie(
    computed, reviewer, english, django_capture_on_commit_callbacks
):
    # given: English chosen once, remembered in the cookie
    client = api(reviewer)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    # when
    job = _national_job(client, django_capture_on_commit_callbacks)

    # then
    assert job.language == "en"
    assert _downloaded_sheets(client, job) == NATIONAL_SHEETS_EN


@pytest.mark.django_db
def test_a_national_workbook_is_built_in_vietnamese_by_default(
    computed, reviewer, english, django_capture_on_commit_callbacks
):
    # given
    client = api(reviewer)

    # when
    job = _national_job(client, django_capture_on_commit_callbacks)

    # then
    assert job.language == "vi"
    assert _downloaded_sheets(client, job) == NATIONAL_SHEETS_VI


@pytest.mark.django_db
def test_the_worker_builds_a_job_in_its_language_whatever_language_it_runs_in(computed, reviewer, english):
    # given: a job asked for in English, and a worker whose own language is Vietnamese
    job = ExportJob.objects.create(kind="national", file_format="xlsx", period="2025-Q4", owner=reviewer, language="en")

    # when
    with translation.override("vi"):
        assert tasks.build_export(str(job.pk)) == "done"

    # then
    job.refresh_from_db()
    with job.file.open("rb") as stored:
        assert workbook(stored.read()).sheetnames == NATIONAL_SHEETS_EN


@pytest.mark.django_db
def test_asking_in_another_language_while_a_job_is_queued_starts_a_job_in_that_language(computed, reviewer):
    # given: the Vietnamese workbook still queued (its message not picked up yet)
    client = api(reviewer)
    vietnamese = client.get("/api/v1/reports/national/", {"period": "2025-Q4", "format": "xlsx"}).json()

    # when
    english = client.get("/api/v1/reports/national/", {"period": "2025-Q4", "format": "xlsx", "lang": "en"}).json()
    vietnamese_again = client.get("/api/v1/reports/national/", {"period": "2025-Q4", "format": "xlsx"}).json()

    # then
    assert english["id"] != vietnamese["id"]
    assert vietnamese_again["id"] == vietnamese["id"]
    assert sorted(ExportJob.objects.values_list("language", flat=True)) == ["en", "vi"]


@pytest.mark.parametrize(("asked", "stored"), [("en", "en"), ("en-us", "en"), ("vi", "vi"), ("fr", "vi"), (None, "vi")])
def test_a_job_keeps_only_a_language_the_product_has(asked, stored):
    assert services.job_language(asked) == stored
