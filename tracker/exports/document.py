"""A report as data: sections of typed columns and rows, written out as PDF, DOCX, XLSX or CSV.

Selectors build a `ReportDocument`; the writers only lay it out, so the formats carry exactly
the same content.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from tracker.exports.letterhead import Letterhead


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Amount:
    """A figure with the number of decimals its unit is written with (people 0, % 1, tỷ đồng 2)."""

    value: Decimal
    decimals: int


Cell = str | int | Decimal | Amount | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    width: int = 14  # characters, for XLSX columns and PDF proportions
    decimals: int = 2


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0..100 (share of the way to the target, in percent)
    note: str = ""
    colour: str = ""  # the status colour; empty: by value


@dataclass
class Chart:
    """A horizontal bar chart: inline SVG in the PDF, a PNG in the DOCX (charts.py)."""

    title: str
    bars: list[Bar]
    maximum: float = 100.0
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)


@dataclass
class Section:
    key: str  # short name: the XLSX sheet name and the CSV section marker
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    intro: str = ""
    chart: Chart | None = None
    empty_text: str = ""
    small: bool = False  # an appendix in small print (codes)


@dataclass
class ReportDocument:
    letterhead: Letterhead
    title: str  # BÁO CÁO
    subject: str  # trích yếu
    filename: str  # without extension
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    chart: Chart | None = None  # printed under the summary, on page 1
    legend: list[tuple[str, str]] = field(default_factory=list)  # (status label, what it means)
    # The workbook's cover: what the report covers and when its figures were computed.
    facts: list[tuple[str, str]] = field(default_factory=list)
    page_label: str = ""  # “Trang” / “Page”: page numbers read “Trang 2/6”
