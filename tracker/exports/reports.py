"""The two compliance reports as documents, and their rendering to PDF, DOCX, XLSX or CSV.

- province_report (report_province.py): one province and period, for its approver to sign and send;
- national_summary (report_national.py): all 34 units, for the ministry's reviewers (a Celery job).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

from kpis.models import Indicator
from kpis.periods import Period
from provinces.models import Province
from tracker.exports import selectors
from tracker.exports.csvfile import write_csv
from tracker.exports.document import Cell, ReportDocument
from tracker.exports.pdf import write_pdf
from tracker.exports.report_national import national_summary
from tracker.exports.report_province import province_report
from tracker.exports.word import write_docx
from tracker.exports.xlsx import write_xlsx

__all__ = ["CONTENT_TYPES", "national_summary", "province_report", "render", "render_document"]

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
WRITERS: dict[str, Callable[[ReportDocument], bytes]] = {
    "pdf": write_pdf,
    "docx": write_docx,
    "xlsx": write_xlsx,
    "csv": write_csv,
}
# The national XLSX/CSV carry a province × indicator detail sheet that would take dozens of printed pages.
PDF_SKIPS = {"Chi tiết theo tỉnh"}
PRINTED = {"pdf", "docx"}
# XLSX sheet names in the reader's language, by section key. Keys stay Vietnamese whatever the
# language (PDF_SKIPS compares them); English names keep within Excel's 31 characters.
SHEET_NAMES = {
    "Chỉ tiêu": pgettext_lazy("trang tính", "Chỉ tiêu"),
    "Chỉ số tổng hợp": pgettext_lazy("trang tính", "Chỉ số tổng hợp"),
    "Tình hình báo cáo": pgettext_lazy("trang tính", "Tình hình báo cáo"),
    "Chỉ tiêu toàn quốc": pgettext_lazy("trang tính", "Chỉ tiêu toàn quốc"),
    "Xếp hạng": pgettext_lazy("trang tính", "Xếp hạng"),
    "Chỉ tiêu chậm": pgettext_lazy("trang tính", "Chỉ tiêu chậm"),
    "Tỷ lệ báo cáo": pgettext_lazy("trang tính", "Tỷ lệ báo cáo"),
    "Chi tiết theo tỉnh": pgettext_lazy("trang tính", "Chi tiết theo tỉnh"),
    "Thay đổi nhiều nhất": pgettext_lazy("trang tính", "Thay đổi nhiều nhất"),
    "Chậm tiến độ": pgettext_lazy("trang tính", "Chậm tiến độ"),
    "Mục tiêu không đạt": pgettext_lazy("trang tính", "Mục tiêu không đạt"),
    "Chất lượng số liệu": pgettext_lazy("trang tính", "Chất lượng số liệu"),
    "Theo tỉnh": pgettext_lazy("trang tính", "Theo tỉnh"),
    "Mã chỉ tiêu": pgettext_lazy("trang tính", "Mã chỉ tiêu"),
}


def sheet_name(key: str) -> str:
    """A section's sheet name in the active language; a key without a translation names itself."""
    return str(SHEET_NAMES.get(key, key))


@dataclass(frozen=True)
class Rendered:
    filename: str
    content: bytes
    content_type: str


def render_document(document: ReportDocument, file_format: str) -> Rendered:
    if file_format in PRINTED:
        document = dataclasses.replace(document, sections=[s for s in document.sections if s.key not in PDF_SKIPS])
    if file_format == "xlsx":
        sections = [dataclasses.replace(s, key=sheet_name(s.key)) for s in document.sections]
        document = dataclasses.replace(document, sections=sections)
    content = WRITERS[file_format](document)
    return Rendered(
        filename=f"{document.filename}.{file_format}", content=content, content_type=CONTENT_TYPES[file_format]
    )


def render(
    *,
    kind: str,
    file_format: str,
    period: Period,
    province: Province | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Rendered:
    if kind == "province":
        assert province is not None  # noqa: S101 - the job model requires it for this kind
        return render_document(province_report(province=province, period=period), file_format)
    document = national_summary(period=period, on_progress=on_progress)
    rendered = render_document(document, file_format)
    if on_progress is not None:
        on_progress(95)
    return rendered


def open_sdg_csv(*, indicator: Indicator) -> Rendered:
    """Open SDG data file of one indicator: Year, Units, the Province disaggregation, Value.

    Headline (national) rows leave the disaggregation empty, as Open SDG expects.
    """
    from tracker.exports.csvfile import csv_rows

    rows: list[list[Cell]] = [
        [year, indicator.unit, province.name if province else "", value]
        for year, province, value in selectors.open_sdg_series(indicator=indicator)
        if value is not None
    ]
    text = csv_rows(["Year", "Units", "Province", "Value"], rows, bom=False)
    return Rendered(
        filename=f"indicator_{slugify(indicator.code)}.csv",
        content=text.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
