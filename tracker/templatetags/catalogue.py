"""Catalogue words on every page in the page's language, through the exports' single helpers:
a form's, indicator's, element's or index's English name on English pages (`local_name`), and a
period key in words (`period_words`: “tháng 11 năm 2026” / “November 2026”, “quý III/2026” / “Q3/2026”)."""

from __future__ import annotations

from typing import Any

from django import template

from tracker.exports.periods import period_text
from tracker.exports.wording import name_of

register = template.Library()


@register.filter
def local_name(item: Any) -> str:
    return "" if item is None else name_of(item)


@register.filter
def period_words(value: Any) -> str:
    # str(): a page may hold the stored key (“2026-11”) or a kpis.periods.Period.
    return "" if value in (None, "") else period_text(str(value))
