"""XLSX of a report: one sheet per section, typed cells with number formats, frozen headers.

Written in openpyxl's write-only mode (streaming, constant memory per row). Text cells are
forced to the string type so that nothing a user typed can become a formula.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tracker.exports.document import Amount, Cell, Column, Kind, ReportDocument
from tracker.exports.periods import excel_date_format
from tracker.inputs import storable

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# The writer's own sheet; the sections' sheets are named by their keys (reports.sheet_name).
COVER_SHEET = pgettext_lazy("trang tính", "Thông tin")


def number_format(column: Column) -> str:
    if column.kind == Kind.INTEGER:
        return "#,##0"
    if column.kind == Kind.DECIMAL:
        return "#,##0" + ("." + "0" * column.decimals if column.decimals else "")
    if column.kind in (Kind.DATE, Kind.DATETIME):
        return excel_date_format(with_time=column.kind == Kind.DATETIME)
    return "@"


def sheet_title(name: str, taken: set[str]) -> str:
    """Excel allows 31 characters without []:*?/\\ and unique names (case-insensitive)."""
    base = _SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def text_cell(sheet: Any, text: str, **style: Any) -> WriteOnlyCell:
    # Stored text holding a control character would make openpyxl refuse the whole file.
    cell = WriteOnlyCell(sheet, value=storable(text))
    # openpyxl turns "=…" into a formula on assignment; the string type makes it inert text.
    cell.data_type = "s"
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def amount_format(decimals: int) -> str:
    """The number format of a unit's figures: people “#,##0”, tỷ đồng “#,##0.00”."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def typed_cell(sheet: Any, value: Cell, column: Column) -> WriteOnlyCell | None:
    if value is None:
        return None
    if isinstance(value, Amount):
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = amount_format(value.decimals)
        return cell
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the local wall-clock time.
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, int | Decimal | datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
    else:  # pragma: no cover - Cell has no other members
        return text_cell(sheet, str(value))
    cell.number_format = number_format(column)
    return cell


def write_xlsx(document: ReportDocument) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    cover = workbook.create_sheet(sheet_title(str(COVER_SHEET), taken))
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 90
    head = document.letterhead
    for label, value in [
        (str(_("Cơ quan chủ quản")), head.parent_body),
        (str(_("Cơ quan ban hành")), head.issuing_body),
        (str(_("Số, ký hiệu")), head.number_line),
        (str(_("Địa danh, ngày tháng")), head.place_date),
        (document.title, document.subject),
        *document.facts,
    ]:
        cover.append([text_cell(cover, label, font=HEADER_FONT), text_cell(cover, value, alignment=WRAP)])
    for paragraph in document.intro:
        cover.append([None, text_cell(cover, paragraph, alignment=WRAP)])
    if document.legend:
        cover.append([text_cell(cover, str(_("Chú giải tình trạng:")), font=HEADER_FONT), None])
        for label, meaning in document.legend:
            cover.append([text_cell(cover, label), text_cell(cover, meaning, alignment=WRAP)])
    for section in document.sections:
        sheet = workbook.create_sheet(sheet_title(section.key, taken))
        for index, column in enumerate(section.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        if section.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(section.columns))}{len(section.rows) + 1}"
        sheet.append(
            [
                text_cell(sheet, column.title, font=HEADER_FONT, fill=HEADER_FILL, alignment=WRAP)
                for column in section.columns
            ]
        )
        for row in section.rows:
            sheet.append([typed_cell(sheet, value, section.columns[i]) for i, value in enumerate(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
