"""Colours and words for progress statuses and series.

Okabe-Ito colours stay distinguishable for the common forms of colour blindness; every status
also carries a text label and a symbol, so nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# Okabe & Ito (2008), "Color Universal Design".
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#BBBBBB"

# Continuous values: cividis is perceptually uniform and readable with any colour vision.
VALUE_SCALE = "Cividis"


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: Promise
    colour: str
    symbol: str
    rank: int  # 0 = no data ... 5 = achieved; orders the heatmap's colour steps


STATUSES: tuple[StatusStyle, ...] = (
    StatusStyle("not_available", _("Chưa đủ dữ liệu"), GREY, "–", 0),
    StatusStyle("deterioration", _("Đi xuống"), VERMILLION, "↓", 1),
    StatusStyle("limited_progress", _("Chậm"), ORANGE, "↘", 2),
    StatusStyle("moderate_progress", _("Cần đẩy nhanh"), YELLOW, "→", 3),
    StatusStyle("substantial_progress", _("Đúng tiến độ"), SKY_BLUE, "↗", 4),
    StatusStyle("target_achieved", _("Đã đạt"), BLUISH_GREEN, "✓", 5),
)
BY_CODE = {style.code: style for style in STATUSES}
STATUS_CODES = tuple(style.code for style in STATUSES)
# Best first, as people read a legend.
STATUSES_BEST_FIRST = tuple(reversed(STATUSES))


def status_style(code: str | None) -> StatusStyle:
    return BY_CODE.get(code or "", BY_CODE["not_available"])


def status_label(code: str | None) -> str:
    return str(status_style(code).label)


def status_labels() -> dict[str, str]:
    """{status: label} in the active language, translated once for a whole table."""
    return {style.code: str(style.label) for style in STATUSES}


def badge(code: str | None, label: str | None = None) -> SafeString:
    """The status as a coloured badge that also says it in words and a symbol."""
    style = status_style(code)
    text = escape(label if label is not None else str(style.label))
    return mark_safe(  # noqa: S308 - constants and an escaped label
        f'<span class="badge" style="background: {style.colour}" data-status="{style.code}">'
        f"{style.symbol} {text}</span>"
    )


def stepped_status_scale() -> list[list[float | str]]:
    """A colour scale for z = status rank (0..5) that paints each rank with one flat colour."""
    steps: list[list[float | str]] = []
    count = len(STATUSES)
    for style in STATUSES:
        steps.append([style.rank / count, style.colour])
        steps.append([(style.rank + 1) / count, style.colour])
    return steps


# Series on trend charts.
PROVINCE_COLOUR = BLUE
NATIONAL_COLOUR = BLACK
TARGET_COLOUR = BLUISH_GREEN
PROJECTION_COLOUR = VERMILLION
PREVIOUS_COLOUR = GREY
REPORTING_COLOURS = {"on_time": BLUISH_GREEN, "late": ORANGE, "missing": VERMILLION, "approved": BLUE}
