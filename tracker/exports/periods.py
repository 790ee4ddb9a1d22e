"""Periods as an administrative text names them."""

from __future__ import annotations

from kpis.periods import Period, Periodicity

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(period: Period) -> str:
    """“tháng 10 năm 2025”, “quý IV năm 2025”, “năm 2025”."""
    if period.periodicity == Periodicity.MONTHLY:
        return f"tháng {period.index} năm {period.year}"
    if period.periodicity == Periodicity.QUARTERLY:
        return f"quý {ROMAN[period.index]} năm {period.year}"
    return f"năm {period.year}"
