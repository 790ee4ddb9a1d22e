"""The Excel data-entry template of one province, form and period: written here, read back in
template_reader.py. Both sides share the layout constants below, so they cannot drift apart.

Layout of the sheet “Số liệu” (named in the downloader's language: “Data” in English; the
import accepts it in any of the product's languages): a few information rows, the header on
HEADER_ROW, then one row per element of the form in the form's order. Only the “Giá trị” and
“Ghi chú” cells are unlocked; the hidden sheet “_mau” (never translated) says which province,
form, period and submission version the file was made for, so that an upload can be checked
against what it claims to be.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from kpis.models import DataElement, ReportForm, ReportFormElement
from kpis.periods import Period
from provinces.models import Province
from tracker.exports.numbers import plain_number
from tracker.inputs import storable
from tracker.reporting.formatting import display
from tracker.reporting.models import DataValue, Submission

MARKER = "kpi-cds-mau-nhap-lieu"
FORMAT_VERSION = "1"
DATA_SHEET = "Số liệu"  # the Vietnamese name; data_sheet_name() gives it in the active language
META_SHEET = "_mau"
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
# (title, width); the import compares the uploaded header with these titles exactly.
COLUMNS = [
    ("STT", 6),
    ("Mã", 22),
    ("Chỉ tiêu dữ liệu", 52),
    ("Đơn vị tính", 12),
    ("Kiểu giá trị", 16),
    ("Bắt buộc", 9),
    ("Kỳ trước", 16),
    ("Giá trị", 18),
    ("Ghi chú", 40),
]
CODE_COLUMN = 2
PREVIOUS_COLUMN = 7
VALUE_COLUMN = 8
COMMENT_COLUMN = 9
META_KEYS = ("marker", "format", "province", "province_valid_from", "form", "period", "version", "elements")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")


def data_sheet_name() -> str:
    return pgettext("trang tính", "Số liệu")


def data_sheet_names() -> list[str]:
    """The data sheet's name in every language of the product, Vietnamese first: a template
    downloaded in one language may come back while the uploader uses another."""
    names = [DATA_SHEET]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            name = data_sheet_name()
        if name not in names:
            names.append(name)
    return names


@dataclass
class TemplateFile:
    filename: str
    content: bytes


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def cell_value(value: Decimal | None, element: DataElement) -> object:
    """What the value cell holds: a number, or Có/Không for booleans."""
    if value is None:
        return None
    if element.value_type == DataElement.ValueType.BOOLEAN:
        return "Có" if value else "Không"
    return _number(value)


def _validation(element: DataElement) -> DataValidation:
    kind = element.value_type
    if kind == DataElement.ValueType.BOOLEAN:
        rule = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
        rule.error = _("Chọn Có hoặc Không.")
    else:
        minimum = element.min_value
        maximum = element.max_value
        if minimum is None and kind in (
            DataElement.ValueType.INTEGER,
            DataElement.ValueType.MONEY,
            DataElement.ValueType.PERCENT,
        ):
            minimum = Decimal(0)
        if maximum is None and kind == DataElement.ValueType.PERCENT:
            maximum = Decimal(100)
        excel_type = "whole" if kind in (DataElement.ValueType.INTEGER, DataElement.ValueType.MONEY) else "decimal"
        if minimum is not None and maximum is not None:
            rule = DataValidation(
                type=excel_type, operator="between", formula1=plain_number(minimum), formula2=plain_number(maximum)
            )
            rule.error = _("Nhập số từ %(min)s đến %(max)s.") % {"min": display(minimum), "max": display(maximum)}
        elif minimum is not None:
            rule = DataValidation(type=excel_type, operator="greaterThanOrEqual", formula1=plain_number(minimum))
            rule.error = _("Nhập số không nhỏ hơn %(min)s.") % {"min": display(minimum)}
        elif maximum is not None:
            rule = DataValidation(type=excel_type, operator="lessThanOrEqual", formula1=plain_number(maximum))
            rule.error = _("Nhập số không lớn hơn %(max)s.") % {"max": display(maximum)}
        else:
            rule = DataValidation(type="decimal", operator="between", formula1="-1E+18", formula2="1E+18")
            rule.error = _("Nhập một số.")
        if excel_type == "whole":
            rule.error += " " + _("Số nguyên, không có phần thập phân.")
        rule.allow_blank = True
    rule.errorTitle = _("Giá trị không hợp lệ")
    rule.showErrorMessage = True
    return rule


def _values_of(
    province: Province, form: ReportForm, period: Period
) -> tuple[Submission | None, dict[int, DataValue], dict[int, Decimal]]:
    submission = Submission.objects.filter(
        province=province, commune__isnull=True, form=form, period=str(period)
    ).first()
    current = {dv.element_id: dv for dv in DataValue.objects.filter(submission=submission)} if submission else {}
    previous: dict[int, Decimal] = {}
    for element_id, approved, value in DataValue.objects.filter(
        submission__province=province,
        submission__commune__isnull=True,
        submission__form=form,
        submission__period=str(period.previous()),
    ).values_list("element_id", "approved_value", "value"):
        figure = approved if approved is not None else value
        if figure is not None:
            previous[element_id] = figure
    return submission, current, previous


def template_filename(province: Province, form: ReportForm, period: Period) -> str:
    return f"mau-nhap-lieu_{province.code}_{form.code}_{period}.xlsx"


def build_template(*, province: Province, form: ReportForm, period: Period) -> TemplateFile:
    """The workbook bytes; callers check permissions (services.entry_template_export)."""
    rows = list(ReportFormElement.objects.filter(form=form).select_related("element").order_by("order", "id"))
    submission, current, previous = _values_of(province, form, period)

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = data_sheet_name()
    info = [
        (_("BIỂU NHẬP SỐ LIỆU"), form.name),
        (_("Tỉnh, thành phố"), f"{province.name} (mã {province.code})"),
        (_("Biểu mẫu"), form.code),
        (_("Kỳ báo cáo"), str(period)),
        (
            _("Hướng dẫn"),
            _(
                "Chỉ nhập vào cột “Giá trị” và “Ghi chú”. Không sửa mã, tiêu đề, không thêm hoặc xóa dòng,"
                " không dùng công thức hay gộp ô. Số thập phân dùng dấu phẩy hoặc dấu chấm; Có/Không cho chỉ"
                " tiêu Có/Không."
            ),
        ),
    ]
    for index, (label, value) in enumerate(info, start=1):
        sheet.cell(row=index, column=1, value=label).font = HEADER_FONT
        cell = sheet.cell(row=index, column=3, value=value)
        cell.data_type = "s"
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[cell.column_letter].width = width
    kinds = dict(DataElement.ValueType.choices)
    validations: dict[tuple[object, ...], DataValidation] = {}
    for offset, row in enumerate(rows):
        r = FIRST_ROW + offset
        element = row.element
        stored = current.get(element.pk)
        texts = [element.code, element.name, element.unit, str(kinds.get(element.value_type, element.value_type))]
        sheet.cell(row=r, column=1, value=offset + 1)
        for column, text in enumerate(texts, start=CODE_COLUMN):
            cell = sheet.cell(row=r, column=column, value=storable(text))
            cell.data_type = "s"  # a name starting with "=" stays text
        sheet.cell(row=r, column=6, value=_("Có") if row.required else _("Không"))
        sheet.cell(row=r, column=PREVIOUS_COLUMN, value=cell_value(previous.get(element.pk), element))
        value_cell = sheet.cell(row=r, column=VALUE_COLUMN, value=cell_value(stored.value if stored else None, element))
        comment_cell = sheet.cell(
            row=r, column=COMMENT_COLUMN, value=storable(stored.comment) if stored and stored.comment else None
        )
        comment_cell.data_type = "s"
        for cell in (value_cell, comment_cell):
            cell.protection = UNLOCKED
            cell.fill = INPUT_FILL
        if element.value_type in (DataElement.ValueType.INTEGER, DataElement.ValueType.MONEY):
            value_cell.number_format = "#,##0"
            sheet.cell(row=r, column=PREVIOUS_COLUMN).number_format = "#,##0"
        elif element.value_type != DataElement.ValueType.BOOLEAN:
            value_cell.number_format = "General"
        key = (element.value_type, element.min_value, element.max_value)
        if key not in validations:
            validations[key] = _validation(element)
        validations[key].add(value_cell)
    for validation in validations.values():
        sheet.add_data_validation(validation)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=3)
    # Without a password: it prevents slips, not determined edits; the import checks everything anyway.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    values = [
        MARKER,
        FORMAT_VERSION,
        province.code,
        province.valid_from.isoformat(),
        form.code,
        str(period),
        str(submission.version) if submission else "",
        ",".join(row.element.code for row in rows),
    ]
    for index, (name, value) in enumerate(zip(META_KEYS, values, strict=True), start=1):
        meta.cell(row=index, column=1, value=name).data_type = "s"
        cell = meta.cell(row=index, column=2, value=value)
        cell.data_type = "s"
    meta.protection.sheet = True

    out = io.BytesIO()
    workbook.save(out)
    return TemplateFile(filename=template_filename(province, form, period), content=out.getvalue())
