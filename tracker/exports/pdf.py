"""PDF of a report, rendered by WeasyPrint from an HTML template.

The fonts are bundled (DejaVu Serif, tracker/exports/static/fonts) and embedded, so the PDF looks
the same on every machine; the fetcher refuses every URL outside that folder, so rendering never
touches the network.
"""

from __future__ import annotations

import atexit
import datetime
import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from tracker.exports.charts import bar_chart_svg
from tracker.exports.document import Amount, Cell, Chart, Column, Kind, ReportDocument, Section
from tracker.exports.numbers import local_number
from tracker.exports.periods import date_text

# WeasyPrint logs every rendering step at INFO; a report is not news.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
CSS_FILE = Path(__file__).resolve().parent / "templates" / "exports" / "pdf" / "report.css"


@dataclass
class _Cell:
    text: str
    numeric: bool


def display_cell(value: Cell, column: Column) -> _Cell:
    """A cell as printed (PDF and Word alike): numbers in the reader's marks, dates in its style."""
    if value is None:
        return _Cell("", False)
    if isinstance(value, str):
        return _Cell(value, False)
    if isinstance(value, datetime.date):
        return _Cell(date_text(value, short=True), False)
    if isinstance(value, Amount):
        return _Cell(local_number(value.value, value.decimals), True)
    decimals = 0 if column.kind == Kind.INTEGER else column.decimals
    return _Cell(local_number(value, decimals), True)


def _chart_view(chart: Chart | None) -> dict[str, Any]:
    if chart is None or not chart.bars:
        return {}
    # The SVG is built from escaped text only (charts.py).
    return {"title": chart.title, "svg": mark_safe(bar_chart_svg(chart))}  # noqa: S308


def _section_view(section: Section) -> dict[str, Any]:
    total = sum(column.width for column in section.columns) or 1
    return {
        "title": section.title,
        "intro": section.intro,
        "empty_text": section.empty_text,
        "small": section.small,
        "chart": _chart_view(section.chart),
        # A string: the template must not localise it into "20,6%", which CSS would reject.
        "columns": [{"title": c.title, "share": f"{100 * c.width / total:.1f}"} for c in section.columns],
        "rows": [[display_cell(value, section.columns[i]) for i, value in enumerate(row)] for row in section.rows],
    }


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def report_html(document: ReportDocument) -> str:
    """The report in the active language (a job runs under its requester's)."""
    return render_to_string(
        "exports/pdf/report.html",
        {
            "doc": document,
            "head": document.letterhead,
            "lang": (translation.get_language() or "vi")[:2],
            "chart": _chart_view(document.chart),
            "page_label": mark_safe(_css_string(document.page_label or "Trang")),  # noqa: S308 - quoted above
            "sections": [_section_view(s) for s in document.sections if not s.small],
            # NĐ 30: a phụ lục follows the signed text.
            "appendix": [_section_view(s) for s in document.sections if s.small],
        },
    )


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    allowed = FONT_DIR.as_uri() + "/"

    class BundledOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(allowed) or ".." in url:
                raise ValueError(f"refused: {url}")
            return super().fetch(url, headers)

    return BundledOnly(allowed_protocols={"file"}, fail_on_errors=False)


@functools.cache
def _styles() -> tuple[Any, Any]:
    """The stylesheet and its loaded fonts, once per process: parsing the four TTFs each time
    would cost more than laying out a province's report."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(
        string=CSS_FILE.read_text(encoding="utf-8"),
        base_url=FONT_DIR.as_uri() + "/",
        url_fetcher=_fetcher(),
        font_config=fonts,
    )
    # Release the fonts while the interpreter is still whole: at teardown their finaliser fails noisily.
    atexit.register(_styles.cache_clear)
    return css, fonts


def write_pdf(document: ReportDocument) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which the web pages do not need.
    from weasyprint import HTML

    css, fonts = _styles()
    html = report_html(document)
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_fetcher()).write_pdf(
        stylesheets=[css], font_config=fonts
    )
