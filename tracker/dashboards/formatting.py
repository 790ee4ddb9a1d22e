"""Numbers, dates and periods as the reader's language writes them.

Vietnamese pages: 1.234,5 and 31/12/2025; English pages: 1,234.5 and 2025-12-31. Plotly gets the
same marks through the figure layout's `separators` (see figures.base_layout).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kpis.periods import InvalidPeriod, Period, Periodicity
from tracker.exports.periods import date_text
from tracker.exports.wording import directive_number


def is_vietnamese() -> bool:
    return (get_language() or "vi").startswith("vi")


def localized(vietnamese: str, english: str = "") -> str:
    """The catalogue's English name on English pages where it has one."""
    return english if english and not is_vietnamese() else vietnamese


def directive_heading(number: str, title: str, title_en: str = "") -> str:
    """“749/QĐ-TTg – National Digital Transformation Programme…”: the symbol (or the descriptive
    name, translated) and the title, both in the page's language."""
    name, text = directive_number(number), localized(title, title_en)
    # A descriptive name can read exactly as the English title; say it once.
    return f"{name} – {text}" if name and name != text else text


def plotly_separators() -> str:
    """Plotly's `separators`: decimal mark then thousands mark."""
    return ",." if is_vietnamese() else ".,"


def marks() -> tuple[str, str]:
    """(thousands mark, decimal mark) of the active language."""
    return (".", ",") if is_vietnamese() else (",", ".")


def number(value: Decimal | float | int | None, places: int = 2, *, marks_: tuple[str, str] | None = None) -> str:
    """Rounded half up to `places`, trailing zeros dropped, thousands grouped: 1.234,5.

    `marks_` (from marks()) saves looking the language up again for every cell of a big table.
    """
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = text.startswith("-")
    integer, _dot, fraction = text.lstrip("-").partition(".")
    thousands, decimal_mark = marks_ or marks()
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = thousands.join(groups) + (decimal_mark + fraction if fraction else "")
    if negative and out.strip("0.,") != "":
        return "-" + out
    return out


def signed(value: Decimal | float | int | None, places: int = 2) -> str:
    if value is None:
        return ""
    text = number(value, places)
    return "+" + text if Decimal(str(value)) > 0 and text.strip("0.,") else text


def percent_share(value: Decimal | float | None) -> str:
    """A share of the way (0.42) as 42%."""
    if value is None:
        return ""
    return number(Decimal(str(value)) * 100, 0) + "%"


def date(value: datetime.date | None) -> str:
    """“31/12/2030” on Vietnamese pages, “31 December 2030” on English ones (as the reports write it)."""
    return date_text(value)


def period_label(value: Period | str) -> str:
    try:
        period = value if isinstance(value, Period) else Period.parse(value)
    except InvalidPeriod:
        return str(value)
    if period.periodicity == Periodicity.MONTHLY:
        return f"{period.index:02d}/{period.year}" if is_vietnamese() else f"{period.year}-{period.index:02d}"
    if period.periodicity == Periodicity.QUARTERLY:
        return _("Quý %(quarter)s/%(year)s") % {"quarter": period.index, "year": period.year}
    return _("Năm %(year)s") % {"year": period.year}
