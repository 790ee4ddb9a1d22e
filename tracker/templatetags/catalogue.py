"""Catalogue words on every page in the page's language, through the exports' single helpers:
a form's, indicator's, element's or index's English name on English pages (`local_name`), and a
period key in words (`period_words`: “tháng 11 năm 2026” / “November 2026”, “quý III/2026” / “Q3/2026”)."""

from __future__ import annotations

from typing import Any

from django import template

from tracker.exports.periods import period_text
from tracker.exports.wording import (
    directive_number,
    english,
    group_label,
    issuer_label,
    name_of,
    section_label,
    unit_label,
)

register = template.Library()


@register.filter
def local_name(item: Any) -> str:
    return "" if item is None else name_of(item)


@register.filter
def period_words(value: Any) -> str:
    # str(): a page may hold the stored key (“2026-11”) or a kpis.periods.Period.
    return "" if value in (None, "") else period_text(str(value))


@register.filter
def local_unit(unit: Any) -> str:
    """A unit of measure in the page's language: “hồ sơ” → “dossiers”; symbols stay."""
    return "" if unit in (None, "") else unit_label(str(unit))


@register.filter
def local_section(section: Any) -> str:
    return "" if section in (None, "") else section_label(str(section))


@register.filter
def local_group(group: Any) -> str:
    return "" if group in (None, "") else group_label(str(group))


@register.filter
def local_title(item: Any) -> str:
    """A directive's or objective's title (`title_en` on English pages when it has one)."""
    if item is None:
        return ""
    english_title = getattr(item, "title_en", "")
    return english_title if english_title and english() else item.title


@register.filter
def local_directive_number(number: Any) -> str:
    return "" if number in (None, "") else directive_number(str(number))


@register.filter
def local_directive(item: Any) -> str:
    """“749/QĐ-TTg – National Digital Transformation Programme…” in the page's language."""
    if item is None:
        return ""
    from tracker.dashboards.formatting import directive_heading

    return directive_heading(item.number, item.title, item.title_en)


@register.filter
def local_issuer(issuer: Any) -> str:
    return "" if issuer in (None, "") else issuer_label(str(issuer))
