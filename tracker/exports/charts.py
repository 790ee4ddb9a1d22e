"""Small static SVG charts for the PDF: drawn here, inline, so rendering needs no network and no JS."""

from __future__ import annotations

from html import escape

from tracker.exports.document import Chart
from tracker.exports.numbers import vn_number

FONT = "Report Serif"  # the bundled font declared by the PDF template's @font-face
ROW = 20
LABEL_WIDTH = 270
BAR_WIDTH = 300
VALUE_WIDTH = 60
COLOURS = ((100.0, "#2e7d32"), (95.0, "#43a047"), (60.0, "#f9a825"), (0.0, "#ef6c00"))


def _colour(value: float) -> str:
    for threshold, colour in COLOURS:
        if value >= threshold:
            return colour
    return "#c62828"


def _shorten(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart_svg(chart: Chart) -> str:
    """Horizontal bars, one per row, scaled to `chart.maximum` (values above it are clipped)."""
    height = ROW * len(chart.bars) + 24
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart.title)}" font-family="{FONT}">'
    ]
    axis = LABEL_WIDTH
    for tick in (0, 25, 50, 75, 100):
        x = axis + BAR_WIDTH * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 16}" stroke="#ccc" stroke-width="0.5"/>')
        label = vn_number(chart.maximum * tick / 100, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" font-size="10" text-anchor="middle">{label}</text>')
    for i, bar in enumerate(chart.bars):
        y = i * ROW + 3
        share = max(0.0, min(bar.value, chart.maximum)) / chart.maximum if chart.maximum else 0.0
        label = escape(_shorten(bar.label))
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 10}" font-size="10" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect x="{axis}" y="{y}" width="{BAR_WIDTH * share:.1f}" height="{ROW - 6}" fill="{_colour(bar.value)}"/>'
        )
        text = escape(bar.note or vn_number(bar.value, 1))
        parts.append(f'<text x="{axis + BAR_WIDTH + 4}" y="{y + 10}" font-size="10">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)
