"""Reading an uploaded data-entry template back (the layout is entry_template.py's).

`read_template` only reads and checks the file's structure: that it is our template, its
headers and codes untouched, no merged cells, no formulas, no dates where numbers belong. The
figures themselves are checked by tracker.reporting's validation when services save them.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError as XMLParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from tracker.exports import entry_template as layout
from tracker.exports.bounded_reading import check_row_count, template_max_rows
from tracker.exports.cells import CellError, CellRefused, FileInvalid, plain_value, text_value
from tracker.exports.uploads import Upload


@dataclass(frozen=True)
class TemplateRow:
    row: int
    code: str
    value: object
    comment: str


@dataclass
class ParsedTemplate:
    province_code: str
    province_valid_from: datetime.date
    form_code: str
    period: str
    version: int | None
    rows: list[TemplateRow] = field(default_factory=list)
    sheet: str = layout.DATA_SHEET  # the data sheet's name in the file (its download's language)

    def row_of(self, code: str) -> int | None:
        return next((r.row for r in self.rows if r.code == code), None)


def not_a_template() -> FileInvalid:
    return FileInvalid(
        [
            CellError(
                _(
                    "Tệp không phải là mẫu nhập liệu của hệ thống (hoặc mẫu đã bị sửa cấu trúc):"
                    " hãy tải mẫu mới từ trang báo cáo rồi nhập lại."
                )
            )
        ]
    )


def open_workbook(upload: Upload, *, read_only: bool = False) -> Any:
    try:
        return load_workbook(
            io.BytesIO(upload.data), read_only=read_only, data_only=False, keep_links=False, keep_vba=False
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, XMLParseError, OSError) as exc:
        raise FileInvalid(
            [CellError(_("Không đọc được tệp “%(name)s” như một bảng tính Excel (.xlsx).") % {"name": upload.name})]
        ) from exc


def data_sheet_of(workbook: Any) -> str:
    """The name of the template's data sheet, in whichever language it was downloaded."""
    for name in layout.data_sheet_names():
        if name in workbook.sheetnames:
            return name
    raise not_a_template()


def _meta(workbook: Any) -> dict[str, str]:
    if layout.META_SHEET not in workbook.sheetnames:
        raise not_a_template()
    sheet = workbook[layout.META_SHEET]
    meta = {}
    for row in sheet.iter_rows(min_row=1, max_row=len(layout.META_KEYS), max_col=2):
        key, value = (str(c.value) if c.value is not None else "" for c in row)
        meta[key] = value
    if meta.get("marker") != layout.MARKER or set(meta) != set(layout.META_KEYS):
        raise not_a_template()
    if meta["format"] != layout.FORMAT_VERSION:
        raise FileInvalid([CellError(_("Mẫu nhập liệu thuộc phiên bản cũ: hãy tải mẫu mới từ trang báo cáo."))])
    return meta


def read_template(upload: Upload) -> ParsedTemplate:
    # Bounded before openpyxl builds any cell: a template has one row per element, not 100 000.
    check_row_count(upload.data, limit=template_max_rows(), name=upload.name)
    workbook = open_workbook(upload)
    name = data_sheet_of(workbook)
    meta = _meta(workbook)
    try:
        version = int(meta["version"]) if meta["version"] else None
        valid_from = datetime.date.fromisoformat(meta["province_valid_from"])
    except ValueError as exc:
        raise not_a_template() from exc
    parsed = ParsedTemplate(
        province_code=meta["province"],
        province_valid_from=valid_from,
        form_code=meta["form"],
        period=meta["period"],
        version=version,
        sheet=name,
    )
    codes = [code for code in meta["elements"].split(",") if code]
    sheet = workbook[name]
    errors: list[CellError] = []

    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        errors.append(
            CellError(
                _("có ô gộp %(range)s: mẫu không cho phép gộp ô, hãy bỏ gộp ô.") % {"range": merged.coord},
                sheet=name,
                row=merged.min_row,
                column=get_column_letter(merged.min_col),
            )
        )
    for index, (title, _width) in enumerate(layout.COLUMNS, start=1):
        cell = sheet.cell(row=layout.HEADER_ROW, column=index)
        found = "" if cell.value is None else str(cell.value)
        if found.strip() != title:
            errors.append(
                CellError(
                    _("tiêu đề cột đã bị sửa: phải là “%(expected)s”, trong tệp là “%(found)s”.")
                    % {"expected": title, "found": found},
                    sheet=name,
                    row=layout.HEADER_ROW,
                    column=get_column_letter(index),
                )
            )
    for offset, expected in enumerate(codes):
        r = layout.FIRST_ROW + offset
        code_cell = sheet.cell(row=r, column=layout.CODE_COLUMN)
        try:
            code = text_value(code_cell)
        except CellRefused as exc:
            errors.append(CellError(str(exc), sheet=name, row=r, column=get_column_letter(layout.CODE_COLUMN)))
            continue
        if code != expected:
            errors.append(
                CellError(
                    _(
                        "mã “%(found)s” không đúng mẫu (phải là “%(expected)s”): không được sửa mã, thêm, xóa hay đổi"
                        " thứ tự dòng."
                    )
                    % {"found": code, "expected": expected},
                    sheet=name,
                    row=r,
                    column=get_column_letter(layout.CODE_COLUMN),
                )
            )
            continue
        value: object = None
        comment = ""
        try:
            value = plain_value(sheet.cell(row=r, column=layout.VALUE_COLUMN))
        except CellRefused as exc:
            errors.append(CellError(str(exc), sheet=name, row=r, column=get_column_letter(layout.VALUE_COLUMN)))
        try:
            comment = text_value(sheet.cell(row=r, column=layout.COMMENT_COLUMN))
        except CellRefused as exc:
            errors.append(CellError(str(exc), sheet=name, row=r, column=get_column_letter(layout.COMMENT_COLUMN)))
        parsed.rows.append(TemplateRow(row=r, code=code, value=value, comment=comment))
    last = layout.FIRST_ROW + len(codes) - 1
    for row in sheet.iter_rows(min_row=last + 1, max_col=len(layout.COLUMNS)):
        for cell in row:
            if cell.value is not None and str(cell.value).strip():
                errors.append(
                    CellError(
                        _("dòng thừa ngoài mẫu: mẫu chỉ có %(count)d dòng số liệu, hãy xóa nội dung này.")
                        % {"count": len(codes)},
                        sheet=name,
                        row=cell.row,
                        column=get_column_letter(cell.column),
                    )
                )
                break
    # Formulas outside the input cells (in the locked columns, after unprotecting the sheet).
    for row in sheet.iter_rows(min_row=1, max_row=last, max_col=len(layout.COLUMNS)):
        for cell in row:
            if cell.data_type == "f" and cell.column not in (layout.VALUE_COLUMN, layout.COMMENT_COLUMN):
                errors.append(
                    CellError(
                        _("ô chứa công thức “%(formula)s”: mẫu không cho phép công thức.") % {"formula": cell.value},
                        sheet=name,
                        row=cell.row,
                        column=get_column_letter(cell.column),
                    )
                )
    if errors:
        raise FileInvalid(errors)
    return parsed
