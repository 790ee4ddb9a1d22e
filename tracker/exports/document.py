"""A report as data: sections of typed columns and rows, written out as PDF, XLSX or CSV.

Selectors build a `ReportDocument`; the writers only lay it out, so the three formats carry
exactly the same content.
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


Cell = str | int | Decimal | datetime.date | datetime.datetime | None


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


@dataclass
class Chart:
    """A horizontal bar chart drawn as inline SVG in the PDF (no network, no JavaScript)."""

    title: str
    bars: list[Bar]
    maximum: float = 100.0


@dataclass
class Section:
    key: str  # short name: the XLSX sheet name and the CSV section marker
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    intro: str = ""
    chart: Chart | None = None
    empty_text: str = ""


@dataclass
class ReportDocument:
    letterhead: Letterhead
    title: str  # BÁO CÁO
    subject: str  # trích yếu
    filename: str  # without extension
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
