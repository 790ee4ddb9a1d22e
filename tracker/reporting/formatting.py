"""Figures as people read them: 1.234,5 on Vietnamese pages, 1,234.5 on English ones."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kpis.models import DataElement


def canonical(value: Decimal | None) -> str:
    """The plain form used in the audit log and the API: no grouping, `.` decimal, no trailing zeros."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _marks() -> tuple[str, str]:
    return (".", ",") if (get_language() or "vi").startswith("vi") else (",", ".")


def display(value: Decimal | None, value_type: str | None = None) -> str:
    """Grouped thousands in the active language; booleans as Có/Không."""
    if value is None:
        return ""
    if value_type == DataElement.ValueType.BOOLEAN:
        return _("Có") if value else _("Không")
    thousands, decimal_mark = _marks()
    text = canonical(value)
    negative = text.startswith("-")
    integer, _dot, fraction = text.lstrip("-").partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    out = thousands.join(groups) + (decimal_mark + fraction if fraction else "")
    return ("-" if negative else "") + out


def for_input(value: Decimal | None, value_type: str | None = None) -> str:
    """What an input box shows: the figure formatted back in the page's language (1.234.567,5).

    Input boxes are read in the page's language (parsing.py, `locale=`), where grouped thousands
    are not ambiguous, so saving the box again reads the same value.
    """
    if value is None:
        return ""
    if value_type == DataElement.ValueType.BOOLEAN:
        return _("có") if value else _("không")
    return display(value, value_type)
