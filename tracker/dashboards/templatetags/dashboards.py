from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from tracker.dashboards import formatting, palette
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
    """Links to province pages, comma-separated: one tag call instead of a template loop per name
    (a directive with 50 indicators lists 1 700 of them)."""
    pattern = reverse("dashboards:province", args=["CODE"])  # reversed once, filled per unit
    query = f"?indicator={quote(indicator_code)}" if indicator_code else ""
    return format_html_join(
        ", ", '<a href="{}{}">{}</a>', ((pattern.replace("CODE", unit.code), query, unit.name) for unit in units)
    )


@register.inclusion_tag("dashboards/_status.html")
def status_badge(code: str | None) -> dict[str, Any]:
    return {"style": palette.status_style(code)}
