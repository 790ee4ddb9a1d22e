"""CSV of a report: UTF-8 with a byte-order mark so that Excel reads the diacritics right.

Sections follow one another, each as a title line, a header line and its rows, separated by an
empty line. Numbers are plain (`1234.5`), dates ISO 8601, text that could be a formula is escaped.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone

from tracker.exports.document import Amount, Cell, Column, Kind, ReportDocument
from tracker.exports.escaping import csv_text
from tracker.exports.numbers import plain_number

BOM = "\ufeff"


def csv_cell(value: Cell, column: Column | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, Amount):
        return plain_number(value.value, value.decimals)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal | float):
        decimals = column.decimals if column is not None and column.kind == Kind.DECIMAL else None
        return plain_number(value, decimals)
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_text(str(value))


def csv_rows(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    columns: Sequence[Column] | None = None,
    *,
    bom: bool = True,
) -> str:
    """One table as CSV text; machine formats (Open SDG) go without the BOM."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(title) for title in header])
    for row in rows:
        writer.writerow([csv_cell(value, columns[i] if columns is not None else None) for i, value in enumerate(row)])
    return out.getvalue()


def write_csv(document: ReportDocument) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(document.subject)])
    for section in document.sections:
        writer.writerow([])
        writer.writerow([csv_text(section.title)])
        writer.writerow([csv_text(column.title) for column in section.columns])
        for row in section.rows:
            writer.writerow([csv_cell(value, section.columns[i]) for i, value in enumerate(row)])
    return out.getvalue().encode("utf-8")
