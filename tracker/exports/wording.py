"""Catalogue words in the reader's language: names from the seed files' English names, units from
the project's catalogue (a short closed list, so translated once here rather than per indicator)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import pgettext_lazy as _p

UNITS: dict[str, Promise] = {
    "người": _p("đơn vị tính", "người"),
    "lượt người": _p("đơn vị tính", "lượt người"),
    "trạm": _p("đơn vị tính", "trạm"),
    "điểm": _p("đơn vị tính", "điểm"),
    "chỉ số": _p("đơn vị tính", "chỉ số"),
    "cuộc": _p("đơn vị tính", "cuộc"),
    "có/không": _p("đơn vị tính", "có/không"),
    "cơ quan": _p("đơn vị tính", "cơ quan"),
    "cơ sở dữ liệu": _p("đơn vị tính", "cơ sở dữ liệu"),
    "doanh nghiệp": _p("đơn vị tính", "doanh nghiệp"),
    "dịch vụ": _p("đơn vị tính", "dịch vụ"),
    "giao dịch": _p("đơn vị tính", "giao dịch"),
    "hệ thống": _p("đơn vị tính", "hệ thống"),
    "học sinh": _p("đơn vị tính", "học sinh"),
    "hồ sơ": _p("đơn vị tính", "hồ sơ"),
    "hộ": _p("đơn vị tính", "hộ"),
    "thủ tục": _p("đơn vị tính", "thủ tục"),
    "tỷ đồng": _p("đơn vị tính", "tỷ đồng"),
    "đơn vị": _p("đơn vị tính", "đơn vị"),
}


def english() -> bool:
    return not (get_language() or "vi").startswith("vi")


def unit_label(unit: str) -> str:
    """“người” → “people” on English pages; symbols (%, Mbps) and unknown units stay as written."""
    word = UNITS.get(unit)
    return str(word) if word is not None else unit


def name_of(item: Any) -> str:
    """An indicator's, form's, index's or province's name: its English name in English when it has one."""
    english_name = getattr(item, "name_en", "")
    return english_name if english_name and english() else item.name
