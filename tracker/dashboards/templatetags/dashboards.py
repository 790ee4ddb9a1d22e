from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString

from tracker.dashboards import formatting, palette, snippets
from tracker.dashboards.rows import Unit

register = template.Library()


@register.filter
def num(value: Decimal | float | int | None, places: int = 2) -> str:
    return formatting.number(value, places)


@register.filter
def share(value: Decimal | float | None) -> str:
    return formatting.percent_share(value)


@register.filter
def cell(value: Any) -> str:
    """A table cell as the reader's language writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | float | int):
        return formatting.number(value)
    if isinstance(value, datetime.date):
        return formatting.date(value)
    return str(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, Decimal | float | int) and not isinstance(value, bool)


@register.filter
def vndate(value: datetime.date | None) -> str:
    return formatting.date(value)


@register.filter
def period(value: str) -> str:
    return formatting.period_label(value)


@register.simple_tag
def province_links(units: Sequence[Unit], indicator_code: str = "") -> SafeString:
    return snippets.province_links(units, indicator_code)


@register.simple_tag
def options(choices: Sequence[tuple[str, str]], selected: str = "", limit: int = 0) -> SafeString:
    return snippets.options(choices, selected, limit)


@register.simple_tag
def status_badge(code: str | None) -> SafeString:
    return palette.badge(code)
