"""Colours and words for progress statuses (from tracker.progress.vocabulary) and for series."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

# The colours, labels and symbols of statuses live in one place for every presenter.
from tracker.progress.vocabulary import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    BY_CODE,
    GREY,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    STATUS_CODES,
    STATUSES,
    STATUSES_BEST_FIRST,
    VERMILLION,
    YELLOW,
    StatusStyle,
    status_label,
    status_labels,
    status_style,
    text_colour,
)

__all__ = [
    "BLACK",
    "BLUE",
    "BLUISH_GREEN",
    "BY_CODE",
    "GREY",
    "ORANGE",
    "REDDISH_PURPLE",
    "SKY_BLUE",
    "STATUSES",
    "STATUSES_BEST_FIRST",
    "STATUS_CODES",
    "VERMILLION",
    "YELLOW",
    "StatusStyle",
    "status_label",
    "status_labels",
    "status_style",
]

# Continuous values: cividis is perceptually uniform and readable with any colour vision.
VALUE_SCALE = "Cividis"


def badge(code: str | None, label: str | None = None) -> SafeString:
    """The status as a coloured badge that also says it in words and a symbol."""
    style = status_style(code)
    text = escape(label if label is not None else str(style.label))
    return mark_safe(  # noqa: S308 - constants and an escaped label
        f'<span class="badge" style="background: {style.colour}; color: {text_colour(style.colour)}" '
        f'data-status="{style.code}">'
        f"{style.symbol} {text}</span>"
    )


def stepped_status_scale() -> list[list[float | str]]:
    """A colour scale for z = status rank that paints each rank with one flat colour."""
    steps: list[list[float | str]] = []
    count = len(STATUSES)
    for style in sorted(STATUSES, key=lambda style: style.rank):
        steps.append([style.rank / count, style.colour])
        steps.append([(style.rank + 1) / count, style.colour])
    return steps


# Series on trend charts.
PROVINCE_COLOUR = BLUE
NATIONAL_COLOUR = BLACK
TARGET_COLOUR = BLUISH_GREEN
PROJECTION_COLOUR = VERMILLION
PREVIOUS_COLOUR = GREY
REPORTING_COLOURS = {"on_time": BLUISH_GREEN, "late": ORANGE, "missing": VERMILLION, "not_due": GREY, "approved": BLUE}
