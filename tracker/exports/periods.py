"""Periods and dates as an administrative text names them, in the reader's language.

Vietnamese as officials write them (“tháng 11 năm 2026”, “quý III/2026”, “năm 2026”); English
“November 2026”, “Q3/2026”, “2026”. Dates “31/12/2030” in Vietnamese and “31 December 2030” in
English. The machine forms “2026-11” and “2030-12-31” stay in exchange files only.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import get_language

from kpis.periods import InvalidPeriod, Period, Periodicity

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _english() -> bool:
    return not (get_language() or "vi").startswith("vi")


def period_label(period: Period) -> str:
    """The period in words: “tháng 11 năm 2026”, “quý III/2026”, “năm 2026” (English: “November 2026”, …)."""
    if _english():
        if period.periodicity == Periodicity.MONTHLY:
            return f"{ENGLISH_MONTHS[period.index - 1]} {period.year}"
        if period.periodicity == Periodicity.QUARTERLY:
            return f"Q{period.index}/{period.year}"
        return str(period.year)
    if period.periodicity == Periodicity.MONTHLY:
        return f"tháng {period.index} năm {period.year}"
    if period.periodicity == Periodicity.QUARTERLY:
        return f"quý {ROMAN[period.index]}/{period.year}"
    return f"năm {period.year}"


def period_text(text: str) -> str:
    """A stored period key (“2025-10”) in words; a key that is not a period is shown as it is."""
    try:
        return period_label(Period.parse(text))
    except InvalidPeriod:
        return text


def date_text(value: datetime.date | datetime.datetime | None, *, short: bool = False) -> str:
    """A date as people write it: “31/12/2030” (vi), “31 December 2030” (en); a moment adds the
    local time: “31/12/2030 14:05”, “31 December 2030 14:05”. One helper for PDF, Word, XLSX
    covers and notifications. `short`, for table cells: “31 Dec 2030” in English (a narrow column
    would split “31 December 2030” over three lines)."""
    if value is None:
        return ""
    moment = value if isinstance(value, datetime.datetime) else None
    if moment is not None and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    day = moment.date() if moment is not None else value
    if _english():
        month = ENGLISH_MONTHS[day.month - 1]
        if short:
            return " ".join([str(day.day), month[:3], str(day.year), *([f"{moment:%H:%M}"] if moment else [])])
        text = f"{day.day} {month} {day.year}"
        return f"{text} {moment:%H:%M}" if moment is not None else text
    text = f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{text} {moment:%H:%M}" if moment is not None else text


def excel_date_format(with_time: bool = False) -> str:
    """The XLSX number format of a date column: what date_text writes, as Excel's format codes."""
    if _english():
        return "d mmmm yyyy hh:mm" if with_time else "d mmmm yyyy"
    return "dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy"
