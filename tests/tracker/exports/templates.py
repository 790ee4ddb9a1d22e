"""Helpers for the template tests: a month with last period's approved figures, and filling a template."""

import datetime
import io
from decimal import Decimal

from tests.tracker.exports.conftest import VN, workbook
from tracker.reporting.models import DataValue, Submission

NOVEMBER: dict[str, int | Decimal] = {
    "DVC_RECEIVED": 15000,
    "DVC_ONLINE": 11800,
    "BTS_5G": 310,
    "FEE_ZERO": 1,
    "SIGNED_RATE": Decimal("86.5"),
}
# What the officer types into December's template.
DECEMBER = {"DVC_RECEIVED": 15240, "DVC_ONLINE": 12192, "BTS_5G": 320, "FEE_ZERO": "Có", "SIGNED_RATE": 87.5}


def approved_november(catalogue, province) -> Submission:
    submission = Submission.objects.create(
        province=province,
        form=catalogue.form,
        period="2025-11",
        period_start=datetime.date(2025, 11, 1),
        period_end=datetime.date(2025, 11, 30),
        status="approved",
        has_official_values=True,
        first_submitted_at=datetime.datetime(2025, 12, 4, 9, 0, tzinfo=VN),
        approved_at=datetime.datetime(2025, 12, 5, 9, 0, tzinfo=VN),
    )
    for code, value in NOVEMBER.items():
        DataValue.objects.create(
            submission=submission, element=catalogue.elements[code], value=value, approved_value=value
        )
    return submission


def filled(content: bytes, values: dict, comments: dict | None = None, edit=None) -> bytes:
    """The downloaded template with values typed into the “Giá trị” column (and optional edits)."""
    book = workbook(content)
    sheet = book["Số liệu"]
    for row in range(8, 8 + 5):
        code = sheet.cell(row=row, column=2).value
        if code in values:
            sheet.cell(row=row, column=8).value = values[code]
        if comments and code in comments:
            sheet.cell(row=row, column=9).value = comments[code]
    if edit is not None:
        edit(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
