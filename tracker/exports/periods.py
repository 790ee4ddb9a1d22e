"""Periods as an administrative text names them, in the reader's language.

Vietnamese as officials write them (“tháng 11 năm 2026”, “quý III/2026”, “năm 2026”); English
“November 2026”, “Q3/2026”, “2026”. The machine form “2026-11” stays in exchange files only.
"""

from __future__ import annotations

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
