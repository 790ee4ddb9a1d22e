"""The one vocabulary of standings: labels (vi, en through gettext), colours, symbols and the "as of"
wording used by the dashboards, the PDF, XLSX and CSV exports, the API and notifications.

Okabe-Ito colours stay distinguishable for the common forms of colour blindness; every status also
carries a text label and a symbol, so nothing is told by colour alone.

Besides the stored statuses (tracker.progress.models.ProgressStatus) two are only ever shown:
"no_data_this_period" (the unit has no value for the selected period; its latest earlier value is
shown beside it, with that value's period) and "not_applicable" (the target does not apply to the
unit, DESIGN §5.8).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from kpis.periods import InvalidPeriod, Period, Periodicity

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
LIGHT_GREY = "#E5E5E5"

NO_DATA_THIS_PERIOD = "no_data_this_period"
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: Promise
    colour: str
    symbol: str
    # The heatmap's z: 0 = not available ... 5 = achieved, then the statuses added later (a heatmap
    # cell's number must not change meaning between versions); STATUSES is in reading order.
    rank: int


STATUSES: tuple[StatusStyle, ...] = (
    StatusStyle(NOT_APPLICABLE, _("Không áp dụng"), LIGHT_GREY, "∅", 9),
    StatusStyle("not_available", _("Chưa đủ dữ liệu"), GREY, "–", 0),
    StatusStyle(NO_DATA_THIS_PERIOD, _("Chưa có số liệu kỳ này"), GREY, "…", 8),
    StatusStyle("data_quality", _("Số liệu cần kiểm tra"), REDDISH_PURPLE, "!", 7),
    StatusStyle("missed", _("Không đạt (quá hạn)"), BLACK, "✗", 6),
    StatusStyle("deterioration", _("Đi xuống"), VERMILLION, "↓", 1),
    StatusStyle("limited_progress", _("Chậm"), ORANGE, "↘", 2),
    StatusStyle("moderate_progress", _("Cần đẩy nhanh"), YELLOW, "→", 3),
    StatusStyle("substantial_progress", _("Đúng tiến độ"), SKY_BLUE, "↗", 4),
    StatusStyle("target_achieved", _("Đã đạt"), BLUISH_GREEN, "✓", 5),
)
BY_CODE = {style.code: style for style in STATUSES}
STATUS_CODES = tuple(style.code for style in STATUSES)
STATUSES_BEST_FIRST = tuple(reversed(STATUSES))
# Statuses that say how a unit progresses; the others say why there is no such statement.
PROGRESS_CODES = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "missed",
)

# Behind: progressing, but too slowly to reach the target in time, going the wrong way, or past
# the deadline without reaching it. The drill-down highlights the units standing so.
BEHIND_CODES = ("moderate_progress", "limited_progress", "deterioration", "missed")

FLAG_LABELS: dict[str, Promise] = {
    "beyond_limit": _("Giá trị vượt giới hạn tự nhiên"),
    "negative_total": _("Tổng số âm"),
}

# Reporting timeliness of one report (item 7 of issue 12; DESIGN §4 report forms).
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
NOT_DUE = "not_due"
TIMELINESS_LABELS: dict[str, Promise] = {
    ON_TIME: _("Đúng hạn"),
    LATE: _("Nộp muộn"),
    MISSING: _("Chưa nộp (quá hạn)"),
    NOT_DUE: _("Chưa đến hạn"),
}
TIMELINESS_COLOURS = {ON_TIME: BLUISH_GREEN, LATE: ORANGE, MISSING: VERMILLION, NOT_DUE: GREY}


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background (WCAG relative luminance): white on
    the black of "Không đạt (quá hạn)", black on the others."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): equal at L ≈ 0.179
    return BLACK if luminance > 0.179 else "#FFFFFF"


def status_style(code: str | None) -> StatusStyle:
    return BY_CODE.get(code or "", BY_CODE["not_available"])


def status_label(code: str | None) -> str:
    return str(status_style(code).label)


def status_labels() -> dict[str, str]:
    """{status: label} in the active language, translated once for a whole table."""
    return {style.code: str(style.label) for style in STATUSES}


def flag_label(code: str) -> str:
    label = FLAG_LABELS.get(code)
    return str(label) if label is not None else code


def timeliness_label(code: str) -> str:
    return str(TIMELINESS_LABELS[code])


def period_label(period: str) -> str:
    """A period as the reader's language writes it (as tracker.dashboards.formatting does):
    08/2026 (2026-08 in English), Quý 3/2026, Năm 2026."""
    try:
        parsed = Period.parse(period)
    except InvalidPeriod:
        return period
    if parsed.periodicity == Periodicity.MONTHLY:
        vietnamese = (get_language() or "vi").startswith("vi")
        return f"{parsed.index:02d}/{parsed.year}" if vietnamese else f"{parsed.year}-{parsed.index:02d}"
    if parsed.periodicity == Periodicity.QUARTERLY:
        return gettext("Quý %(quarter)s/%(year)s") % {"quarter": parsed.index, "year": parsed.year}
    return gettext("Năm %(year)s") % {"year": parsed.year}


def as_of(period: str) -> str:
    """ "số liệu kỳ 08/2026": the period a shown value belongs to, when it is not the selected one."""
    return gettext("số liệu kỳ %(period)s") % {"period": period_label(period)}
