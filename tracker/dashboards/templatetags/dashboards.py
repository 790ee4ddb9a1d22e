from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

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
    query = escape(f"?indicator={quote(indicator_code)}") if indicator_code else ""
    links = (f'<a href="{escape(pattern.replace("CODE", unit.code))}{query}">{escape(unit.name)}</a>' for unit in units)
    return mark_safe(", ".join(links))  # noqa: S308 - every piece is escaped


@register.simple_tag
def options(choices: Sequence[tuple[str, str]], selected: str = "", limit: int = 0) -> SafeString:
    """<option> elements for a filter: one tag instead of a template loop over a hundred choices."""
    out = []
    for value, label in choices:
        text = label if not limit or len(label) <= limit else label[: limit - 1] + "…"
        chosen = " selected" if value == selected else ""
        out.append(f'<option value="{escape(value)}"{chosen}>{escape(str(text))}</option>')
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


@register.simple_tag
def status_badge(code: str | None) -> SafeString:
    return palette.badge(code)
