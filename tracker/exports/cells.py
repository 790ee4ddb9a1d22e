"""Reading what a person put in a spreadsheet cell, refusing what is not a plain value.

Shared by the template import and the bulk import, so both refuse formulas, dates where numbers
belong and Excel error values with the same words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from tracker.inputs import text_problem


@dataclass(frozen=True)
class CellError:
    """One problem in an uploaded file, located as precisely as the file allows."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.sheet and self.row is not None and self.column:
            return _("Trang tính “%(sheet)s”, dòng %(row)d, cột %(column)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.sheet and self.row is not None:
            return _("Trang tính “%(sheet)s”, dòng %(row)d: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        if self.sheet:
            return _("Trang tính “%(sheet)s”: %(message)s") % {"sheet": self.sheet, "message": self.message}
        return self.message

    def as_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message, "text": str(self)}


class FileInvalid(Exception):
    """The whole upload is refused; `errors` lists the problems found, at most
    EXPORTS_IMPORT_MAX_ERRORS of them and then one line counting the others."""

    def __init__(self, errors: list[CellError], *, status: int = 400) -> None:
        errors = capped(errors)
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors
        self.status = status  # 413 when the file is over the size limit

    @property
    def messages(self) -> list[str]:
        return [str(error) for error in self.errors]


def max_errors() -> int:
    return int(getattr(settings, "EXPORTS_IMPORT_MAX_ERRORS", 100))


def capped(errors: list[CellError]) -> list[CellError]:
    limit = max_errors()
    if len(errors) <= limit:
        return errors
    more = len(errors) - limit
    return [
        *errors[:limit],
        CellError(_("… và %(count)d lỗi khác (chỉ liệt kê %(limit)d lỗi đầu tiên).") % {"count": more, "limit": limit}),
    ]


class CellRefused(ValueError):
    pass


def column_letter(cell: Cell) -> str:
    return get_column_letter(cell.column) if isinstance(cell.column, int) else str(cell.column)


def plain_value(cell: Cell) -> object:
    """The cell's value as typed: number, text, boolean or None; a formula, a date or an error is refused."""
    if cell.data_type == "f":
        raise CellRefused(
            _("ô chứa công thức “%(formula)s”: hãy nhập giá trị (dán dạng giá trị), không dùng công thức.")
            % {"formula": str(cell.value)}
        )
    if cell.data_type == "e":
        raise CellRefused(_("ô chứa lỗi “%(error)s”.") % {"error": cell.value})
    value = cell.value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        raise CellRefused(
            _(
                "ô đang ở định dạng ngày tháng (Excel hiển thị “%(shown)s”) nên không đọc được là số:"
                " hãy đổi định dạng ô sang Số (Number) và nhập lại."
            )
            % {"shown": _shown(value)}
        )
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise CellRefused(_("ô %(problem)s") % {"problem": problem})
        return value
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _shown(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def text_value(cell: Cell) -> str:
    """A text column (codes, comments): numbers are read as their text, formulas refused."""
    value = plain_value(cell)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
