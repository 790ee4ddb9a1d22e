"""The report's bar chart, laid out once and drawn twice: inline SVG for the PDF (no network, no
JavaScript) and a PNG for the Word document.

Labels are measured with the bundled font itself (Pillow reads the same TTF WeasyPrint embeds), so
a long indicator name wraps onto a second line instead of running off the left edge.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tracker.exports.document import Chart
from tracker.exports.numbers import local_number, vn_number

FONT = "Report Serif"  # the bundled font declared by the PDF template's @font-face
FONT_FILE = Path(__file__).resolve().parent / "static" / "fonts" / "DejaVuSerif.ttf"
FONT_SIZE = 9
LINE = 11
LABEL_WIDTH = 250
BAR_WIDTH = 250
VALUE_WIDTH = 40
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
AXIS_HEIGHT = 16
LEGEND_ROW = 14
COLOURS = ((100.0, "#2e7d32"), (95.0, "#43a047"), (60.0, "#f9a825"), (0.0, "#ef6c00"))


def _colour(value: float) -> str:
    for threshold, colour in COLOURS:
        if value >= threshold:
            return colour
    return "#c62828"


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_FILE), size)


def text_width(text: str, size: int = FONT_SIZE) -> float:
    return float(_font(size).getlength(text))


def wrap(text: str, width: float, *, lines: int = 2, size: int = FONT_SIZE) -> list[str]:
    """At most `lines` lines of whole words within `width`; what does not fit ends in “…”."""
    out: list[str] = []
    words = text.split()
    current = ""
    while words:
        candidate = f"{current} {words[0]}".strip()
        if text_width(candidate, size) <= width:
            current = candidate
            words.pop(0)
            continue
        if not current:  # a single word wider than the line: cut it
            current = words.pop(0)
        out.append(current)
        current = ""
        if len(out) == lines:
            break
    if current and len(out) < lines:
        out.append(current)
        current = ""
    if words or current:
        last = out[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1].rstrip()
        out[-1] = last + "…"
    return out


@dataclass(frozen=True)
class _Row:
    lines: list[str]
    top: int
    height: int
    share: float
    colour: str
    note: str


def _layout(chart: Chart) -> tuple[list[_Row], int]:
    rows, y = [], 0
    for bar in chart.bars:
        lines = wrap(bar.label, LABEL_WIDTH - 8)
        height = max(LINE * len(lines), LINE) + 6
        share = max(0.0, min(bar.value, chart.maximum)) / chart.maximum if chart.maximum else 0.0
        rows.append(
            _Row(lines, y, height, share, bar.colour or _colour(bar.value), bar.note or local_number(bar.value, 1))
        )
        y += height
    return rows, y


def _legend_height(chart: Chart) -> int:
    return LEGEND_ROW * ((len(chart.legend) + 2) // 3) + 4 if chart.legend else 0


def bar_chart_svg(chart: Chart) -> str:
    """Horizontal bars, one per row, scaled to `chart.maximum` (values above it are clipped)."""
    rows, bars_height = _layout(chart)
    height = bars_height + AXIS_HEIGHT + _legend_height(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(chart.title)}" font-family="{FONT}">'
    ]
    axis = LABEL_WIDTH
    for tick in (0, 25, 50, 75, 100):
        x = axis + BAR_WIDTH * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{bars_height}" stroke="#ccc" stroke-width="0.5"/>')
        label = vn_number(chart.maximum * tick / 100, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{bars_height + 11}" font-size="{FONT_SIZE}" text-anchor="middle">{label}</text>'
        )
    for row in rows:
        first = row.top + (row.height - LINE * len(row.lines)) / 2 + LINE - 2
        tspans = "".join(
            f'<tspan x="{LABEL_WIDTH - 6}" y="{first + i * LINE:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(row.lines)
        )
        parts.append(f'<text font-size="{FONT_SIZE}" text-anchor="end">{tspans}</text>')
        parts.append(
            f'<rect x="{axis}" y="{row.top + 3}" width="{BAR_WIDTH * row.share:.1f}" height="{row.height - 6}"'
            f' fill="{row.colour}"/>'
        )
        middle = row.top + row.height / 2 + 3
        parts.append(
            f'<text x="{axis + BAR_WIDTH + 4}" y="{middle:.1f}" font-size="{FONT_SIZE}">{escape(row.note)}</text>'
        )
    for i, (colour, label) in enumerate(chart.legend):
        x = (i % 3) * (WIDTH / 3)
        y = bars_height + AXIS_HEIGHT + 4 + (i // 3) * LEGEND_ROW
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="9" height="9" fill="{colour}"/>')
        parts.append(f'<text x="{x + 13:.1f}" y="{y + 8}" font-size="{FONT_SIZE}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_png(chart: Chart, *, scale: int = 3) -> bytes:
    """The same chart as a PNG (for Word), drawn at `scale` times the SVG's size for print."""
    rows, bars_height = _layout(chart)
    height = bars_height + AXIS_HEIGHT + _legend_height(chart)
    image = Image.new("RGB", (WIDTH * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)
    font = _font(FONT_SIZE * scale)

    def s(value: float) -> float:
        return value * scale

    axis = LABEL_WIDTH
    for tick in (0, 25, 50, 75, 100):
        x = axis + BAR_WIDTH * tick / 100
        draw.line([(s(x), 0), (s(x), s(bars_height))], fill="#cccccc", width=1)
        label = vn_number(chart.maximum * tick / 100, 0)
        draw.text((s(x), s(bars_height + 11)), label, font=font, fill="black", anchor="ms")
    for row in rows:
        first = row.top + (row.height - LINE * len(row.lines)) / 2 + LINE - 2
        for i, line in enumerate(row.lines):
            draw.text((s(LABEL_WIDTH - 6), s(first + i * LINE)), line, font=font, fill="black", anchor="rs")
        if row.share > 0:
            draw.rectangle(
                [s(axis), s(row.top + 3), s(axis + BAR_WIDTH * row.share), s(row.top + row.height - 3)],
                fill=row.colour,
            )
        draw.text(
            (s(axis + BAR_WIDTH + 4), s(row.top + row.height / 2 + 3)), row.note, font=font, fill="black", anchor="ls"
        )
    for i, (colour, label) in enumerate(chart.legend):
        x = (i % 3) * (WIDTH / 3)
        y = bars_height + AXIS_HEIGHT + 4 + (i // 3) * LEGEND_ROW
        draw.rectangle([s(x), s(y), s(x + 9), s(y + 9)], fill=colour)
        draw.text((s(x + 13), s(y + 8)), label, font=font, fill="black", anchor="ls")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def chart_size_mm(chart: Chart, width_mm: float) -> tuple[float, float]:
    """The chart's printed size at `width_mm` wide, keeping its proportions."""
    _rows, bars_height = _layout(chart)
    height = bars_height + AXIS_HEIGHT + _legend_height(chart)
    return width_mm, width_mm * height / WIDTH
