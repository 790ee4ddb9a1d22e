"""Every bad upload gets a clear message and nothing is saved."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tracker.exports.conftest import api, read_file, state
from tests.tracker.exports.templates import DECEMBER, filled
from tracker.exports.numbers import vn_number

UPLOAD = "/api/v1/templates/upload/"


@pytest.fixture
def december(catalogue, an_giang, officer_91):
    """December already uploaded once, and a fresh template of it to spoil."""
    client = api(officer_91)
    first = client.get("/api/v1/templates/", {"province": "91", "form": "BC_THANG", "period": "2025-12"}).content
    assert (
        client.post(
            UPLOAD, {"file": SimpleUploadedFile("mau.xlsx", filled(first, DECEMBER))}, format="multipart"
        ).status_code
        == 200
    )
    return client.get("/api/v1/templates/", {"province": "91", "form": "BC_THANG", "period": "2025-12"}).content


def refused(user, content: bytes, name: str = "mau.xlsx", status: int = 400) -> list[str]:
    before = state()
    response = api(user).post(UPLOAD, {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == status
    assert response.json()["detail"] == "Tệp không hợp lệ: không có gì được lưu."
    assert state() == before
    return [error["text"] for error in response.json()["errors"]]


def spoiled(template: bytes, edit) -> bytes:
    return filled(template, {**DECEMBER, "BTS_5G": 330}, edit=edit)


@pytest.mark.django_db
def test_a_workbook_that_is_not_the_template(december, officer_91):
    book = __import__("openpyxl").Workbook()
    book.active["A1"] = "Số liệu tháng 12"
    out = io.BytesIO()
    book.save(out)
    assert refused(officer_91, out.getvalue()) == [
        "Tệp không phải là mẫu nhập liệu của hệ thống (hoặc mẫu đã bị sửa cấu trúc): hãy tải mẫu mới từ"
        " trang báo cáo rồi nhập lại."
    ]


@pytest.mark.django_db
def test_edited_headers(december, officer_91):
    def edit(book, sheet):
        sheet["H7"] = "Số liệu"

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 7, cột H: tiêu đề cột đã bị sửa: phải là “Giá trị”, trong tệp là “Số liệu”."
    ]


@pytest.mark.django_db
def test_edited_codes(december, officer_91):
    def edit(book, sheet):
        sheet["B9"] = "DVC_ONLINE_2"

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 9, cột B: mã “DVC_ONLINE_2” không đúng mẫu (phải là “DVC_ONLINE”):"
        " không được sửa mã, thêm, xóa hay đổi thứ tự dòng."
    ]


@pytest.mark.django_db
def test_a_formula_instead_of_a_value(december, officer_91):
    def edit(book, sheet):
        sheet["H9"] = "=H8*0.8"

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 9, cột H: ô chứa công thức “=H8*0.8”: hãy nhập giá trị (dán dạng giá trị),"
        " không dùng công thức."
    ]


@pytest.mark.django_db
def test_merged_cells(december, officer_91):
    def edit(book, sheet):
        sheet.merge_cells("H8:I8")

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 8, cột H: có ô gộp H8:I8: mẫu không cho phép gộp ô, hãy bỏ gộp ô."
    ]


@pytest.mark.django_db
def test_text_in_a_number_cell(december, officer_91):
    def edit(book, sheet):
        sheet["H8"] = "khoảng 15 nghìn"

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 8, cột H: Số hồ sơ tiếp nhận: “khoảng 15 nghìn” không phải là số."
    ]


@pytest.mark.django_db
def test_a_number_formatted_as_a_date(december, officer_91):
    def edit(book, sheet):
        sheet["H10"].number_format = "dd/mm/yyyy"  # 330 shows as 25/11/1900

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 10, cột H: ô đang ở định dạng ngày tháng (Excel hiển thị “25/11/1900”) nên không"
        " đọc được là số: hãy đổi định dạng ô sang Số (Number) và nhập lại."
    ]


@pytest.mark.django_db
def test_an_excel_97_file(december, officer_91):
    assert refused(officer_91, read_file("excel-97.xls"), name="mau.xls") == [
        "Tệp “mau.xls” là bảng tính Excel 97–2003 (.xls), không được hỗ trợ: hãy mở bằng Excel và lưu"
        " lại dưới dạng .xlsx."
    ]


@pytest.mark.django_db
def test_an_opendocument_spreadsheet(december, officer_91):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    assert refused(officer_91, out.getvalue(), name="mau.ods") == [
        "Tệp “mau.ods” là bảng tính OpenDocument (.ods), không được hỗ trợ: hãy lưu lại dưới dạng Excel (.xlsx)."
    ]


@pytest.mark.django_db
def test_a_password_protected_workbook(december, officer_91):
    assert refused(officer_91, read_file("password-protected.xlsx")) == [
        "Tệp “mau.xlsx” được bảo vệ bằng mật khẩu: hãy bỏ mật khẩu rồi tải lên lại."
    ]


@pytest.mark.django_db
def test_an_empty_file(december, officer_91):
    assert refused(officer_91, b"") == ["Tệp “mau.xlsx” rỗng."]


@pytest.mark.django_db
def test_a_file_over_the_size_limit(december, officer_91, settings):
    settings.EXPORTS_UPLOAD_MAX_BYTES = 1024 * 1024
    content = spoiled(december, lambda book, sheet: None)
    padding = b"\0" * (1024 * 1024 + 1 - len(content))
    assert refused(officer_91, content + padding, status=413) == ["Tệp “mau.xlsx” lớn quá giới hạn 1 MB."]


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_from_its_directory(december, officer_91):
    # given a template with one more member that inflates 1000-fold (20 MB of zeros)
    source = zipfile.ZipFile(io.BytesIO(spoiled(december, lambda book, sheet: None)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        archive.writestr("xl/media/image1.bin", b"\0" * (20 * 1024 * 1024))
    content = out.getvalue()
    members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    total = sum(m.file_size for m in members)
    bomb = next(m for m in members if m.filename == "xl/media/image1.bin")
    ratio = vn_number(Decimal(bomb.file_size / bomb.compress_size), 0)
    size = vn_number(Decimal(total) / (1024 * 1024), 1)
    # when / then
    assert refused(officer_91, content) == [
        f"Tệp “mau.xlsx” bị từ chối: dung lượng khi giải nén bất thường ({size} MB, tỷ lệ nén {ratio}:1),"
        " có thể là tệp “bom nén”."
    ]


@pytest.mark.django_db
def test_a_huge_declared_size_is_refused_without_inflating(december, officer_91, settings):
    # given a small archive whose directory declares more than the limit (here 1 MB)
    settings.EXPORTS_UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    content = spoiled(december, lambda book, sheet: None)
    padded = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(content))
    with zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(member, source.read(member))
        archive.writestr("xl/media/big.bin", b"x" * (1024 * 1024))
    errors = refused(officer_91, padded.getvalue())
    assert len(errors) == 1 and errors[0].startswith("Tệp “mau.xlsx” bị từ chối: dung lượng khi giải nén bất thường (1")


@pytest.mark.django_db
def test_rows_added_below_the_template(december, officer_91):
    def edit(book, sheet):
        sheet["B13"] = "POP"
        sheet["H13"] = 1952000

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 13, cột B: dòng thừa ngoài mẫu: mẫu chỉ có 5 dòng số liệu, hãy xóa nội dung này."
    ]


@pytest.mark.django_db
def test_every_problem_is_listed_at_once(december, officer_91):
    def edit(book, sheet):
        sheet["H9"] = "=1+1"
        sheet["H10"] = "nhiều"
        sheet.merge_cells("C12:D12")

    assert refused(officer_91, spoiled(december, edit)) == [
        "Trang tính “Số liệu”, dòng 12, cột C: có ô gộp C12:D12: mẫu không cho phép gộp ô, hãy bỏ gộp ô.",
        "Trang tính “Số liệu”, dòng 9, cột H: ô chứa công thức “=1+1”: hãy nhập giá trị (dán dạng giá trị),"
        " không dùng công thức.",
    ]


@pytest.mark.django_db
def test_a_refused_file_never_reaches_openpyxl(december, officer_91, monkeypatch):
    from tracker.exports import template_reader

    monkeypatch.setattr(template_reader, "load_workbook", lambda *a, **k: pytest.fail("openpyxl opened a refused file"))
    assert refused(officer_91, b"\0" * 10, name="mau.xlsx") == ["Tệp “mau.xlsx” không phải là bảng tính Excel (.xlsx)."]
