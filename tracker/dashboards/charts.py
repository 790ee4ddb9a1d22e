"""A chart as a page shows it: a Plotly figure, and the same figures as a table.

The table is the chart's text alternative (in a <details> under it) and its CSV download, so
the three can never disagree.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tracker.dashboards import formatting

Cell = str | int | float | Decimal | None


@dataclass
class Table:
    columns: list[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=list)

    def html(self, key: str) -> SafeString:
        """The table as HTML, numbers in the reader's format.

        Built in Python rather than with template loops: a 34 × 100 grid is 3 400 cells, which
        the template engine takes the best part of a second to render and this a few ms.
        """
        head = "".join(f'<th scope="col">{escape(str(column))}</th>' for column in self.columns)
        number_marks = formatting.marks()
        body: list[str] = []
        for row in self.rows:
            cells = []
            for value in row:
                if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cells.append(f'<td class="num">{formatting.number(value, marks_=number_marks)}</td>')
                elif isinstance(value, datetime.date):
                    cells.append(f"<td>{formatting.date(value)}</td>")
                else:
                    cells.append(f"<td>{escape('' if value is None else str(value))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        if not body:
            body.append(
                f'<tr><td colspan="{len(self.columns)}" class="empty">{escape(_("Chưa có số liệu."))}</td></tr>'
            )
        return mark_safe(  # noqa: S308 - every piece above is escaped
            f'<table data-table="{escape(key)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        )


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

    def table_html(self) -> SafeString:
        return self.table.html(self.key)


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
