"""The one place the reports read a standing: which standing speaks for a unit and indicator in a
period, its status label and colour, and the period its figures reach ("as of").

Standings come from tracker.progress's per-period standings (`headline_as_of`, issue 12) and their
words and colours from its vocabulary, exactly as the dashboards read them, so a report and the
screen show the same status for the same unit and period.
"""

from __future__ import annotations

from kpis.periods import Period
from tracker.exports.periods import period_text
from tracker.progress import vocabulary
from tracker.progress.selectors import StandingView, headline_as_of

LAGGING = ("limited_progress", "deterioration")
BEHIND = ("moderate_progress", "limited_progress", "deterioration")
ACHIEVED = "target_achieved"
MISSED = "missed"
NOT_AVAILABLE = "not_available"


def headlines(
    period: Period, *, level: str, province_ids: list[int] | None = None
) -> dict[tuple[int, int | None], StandingView]:
    """{(indicator id, province id or None): the standing shown for the unit as of the period}."""
    return headline_as_of(period, level=level, province_ids=province_ids)


def status_of(view: StandingView | None) -> str:
    return view.status if view is not None else NOT_AVAILABLE


def status_label(status: str) -> str:
    return vocabulary.status_label(status)


def status_colour(status: str) -> str:
    return vocabulary.status_style(status).colour


def statuses_best_first() -> list[str]:
    """The vocabulary in the order a legend reads it (the screens' order)."""
    return [style.code for style in vocabulary.STATUSES_BEST_FIRST]


def progress_statuses() -> list[str]:
    """The statuses that say how a unit progresses, best first (the columns of a count table)."""
    return [code for code in statuses_best_first() if code in vocabulary.PROGRESS_CODES]


def as_of(view: StandingView | None) -> str:
    """The period the standing's figures reach, in words (empty without a standing)."""
    if view is None:
        return ""
    return period_text(view.value_period or view.period)


def flag_text(view: StandingView | None) -> str:
    return vocabulary.flag_label(view.flag) if view is not None and view.flag else ""
