"""Numbers and dates as a Vietnamese reader writes them: 1.234,5 and 05/01/2026."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rounded(value: Decimal | int | float, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def vn_number(value: Decimal | int | float | None, decimals: int = 2) -> str:
    """Grouped with dots, decimal comma, at most `decimals` digits and no trailing zeros."""
    if value is None:
        return ""
    number = rounded(value, decimals)
    text = format(number, "f")
    negative = text.startswith("-")
    integer, _dot, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = ".".join(groups) + ("," + fraction if fraction else "")
    return "-" + out if negative and out.strip("0.,") else out


def plain_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """The machine form for CSV and exchange files: no grouping, `.` decimal, no trailing zeros."""
    number = rounded(value, decimals) if decimals is not None else Decimal(str(value))
    text = format(number.normalize(), "f") if number else "0"
    return "0" if text == "-0" else text


def _english() -> bool:
    from django.utils.translation import get_language

    return not (get_language() or "vi").startswith("vi")


def local_number(value: Decimal | int | float | None, decimals: int = 2) -> str:
    """vn_number in Vietnamese (1.234,5); 1,234.5 in English."""
    text = vn_number(value, decimals)
    if not _english():
        return text
    return text.translate({ord("."): ",", ord(","): "."})
