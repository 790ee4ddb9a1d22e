"""Text that a spreadsheet would run as a formula is escaped in every export; numbers stay numbers."""

import datetime
import io
from decimal import Decimal

from tests.tracker.exports.conftest import sheet_rows, workbook
from tracker.exports.csvfile import write_csv
from tracker.exports.document import Column, Kind, ReportDocument, Section
from tracker.exports.letterhead import Letterhead
from tracker.exports.xlsx import write_xlsx

DANGEROUS = ['=HYPERLINK("http://x","bấm")', "+84 912", "-1+2", "@SUM(A1)", "\t=1", "an toàn"]


def document() -> ReportDocument:
    head = Letterhead(
        parent_body="=CMD()",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        issuer_name="Sở Khoa học và Công nghệ",
        symbol="BC-SKHCN",
        place="An Giang",
        date=datetime.date(2026, 1, 5),
    )
    section = Section(
        key="=Bảng",
        title="Bảng",
        columns=[Column("=Tên"), Column("Giá trị", Kind.DECIMAL)],
        rows=[[text, Decimal("-5.5")] for text in DANGEROUS],
    )
    return ReportDocument(letterhead=head, title="BÁO CÁO", subject="-thử", filename="x", sections=[section])


def test_csv_prefixes_dangerous_text_with_a_quote_and_leaves_numbers_alone():
    lines = write_csv(document()).decode("utf-8-sig").splitlines()
    assert lines == [
        "'-thử",
        "",
        "Bảng",
        "'=Tên,Giá trị",
        '"\'=HYPERLINK(""http://x"",""bấm"")",-5.5',
        "'+84 912,-5.5",
        "'-1+2,-5.5",
        "'@SUM(A1),-5.5",
        "'\t=1,-5.5",
        "an toàn,-5.5",
    ]


def test_xlsx_stores_dangerous_text_as_text_never_as_a_formula():
    book = workbook(write_xlsx(document()))
    sheet = book["=Bảng"]
    assert sheet.title == "=Bảng"
    rows = sheet_rows(sheet)
    assert rows == [["=Tên", "Giá trị"], *[[text, -5.5] for text in DANGEROUS]]
    assert {cell.data_type for row in sheet.iter_rows(min_col=1, max_col=1) for cell in row} == {"s"}
    assert {cell.data_type for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2) for cell in row} == {"n"}
    assert book["Thông tin"]["B1"].value == "=CMD()"
    assert book["Thông tin"]["B1"].data_type == "s"
    # and nothing in the file's XML is a formula element
    import zipfile

    with zipfile.ZipFile(io.BytesIO(write_xlsx(document()))) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
