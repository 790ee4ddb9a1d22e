"""A chart as a page shows it: a Plotly figure, and the same figures as a table.

The table is the chart's text alternative (in a <details> under it) and its CSV download, so
the three can never disagree.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Cell = str | int | float | Decimal | None


@dataclass
class Table:
    columns: list[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)


@dataclass
class Chart:
    key: str  # stable name: the CSV download and the browser tests find the chart by it
    title: str
    figure: dict[str, Any]
    table: Table
    note: str = ""
    csv_url: str = ""  # set by the view: the page's own URL and filters, plus csv=<key>

    def figure_json(self) -> str:
        return figure_json(self.figure)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def figure_json(figure: dict[str, Any]) -> str:
    """Compact JSON, safe inside <script type="application/json"> (no </script> breaking out)."""
    text = json.dumps(figure, separators=(",", ":"), ensure_ascii=False, default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Cell) -> str | int | float:
    """Numbers stay numbers; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    # The BOM makes Excel read the Vietnamese text as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()
