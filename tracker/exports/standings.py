"""The one place the reports read a standing: which progress row speaks for a unit and indicator,
its status label and the period its figures reach ("as of").

The reports choose exactly as the dashboards do (tracker.dashboards.selectors: the unit's own
target before a national one, a target before the trend, the nearest deadline still ahead), so a
report and the screen show the same status for the same unit. When per-period standings arrive
(issue 12), only this module changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.dashboards import palette
from tracker.dashboards import selectors as dashboards
from tracker.exports.periods import period_text
from tracker.progress.models import ProgressStatus, TargetProgress

LAGGING = (ProgressStatus.LIMITED, ProgressStatus.DETERIORATION)
BEHIND = (ProgressStatus.MODERATE, ProgressStatus.LIMITED, ProgressStatus.DETERIORATION)


def choose(rows: Iterable[TargetProgress]) -> TargetProgress | None:
    """The standing the dashboards show among one unit's rows for one indicator."""
    reference = dashboards.today().toordinal()
    best: TargetProgress | None = None
    best_key: tuple[int, int, int] | None = None
    for row in rows:
        target_province_id = row.target.province_id if row.target_id is not None and row.target else None
        key = dashboards._preference(row.province_id, row.target_id, target_province_id, row.deadline, reference)
        if key is not None and (best_key is None or key < best_key):
            best, best_key = row, key
    return best


def status_of(row: TargetProgress | None) -> str:
    return row.status if row is not None else ProgressStatus.NOT_AVAILABLE


def status_label(status: str) -> str:
    return str(palette.BY_CODE[status].label)


def status_colour(status: str) -> str:
    return palette.BY_CODE[status].colour


def statuses_best_first() -> list[str]:
    """The vocabulary in the order a legend reads it (the screens' order)."""
    return [style.code for style in palette.STATUSES_BEST_FIRST]


def as_of(row: TargetProgress | None) -> str:
    """The period the standing's figures reach, in words (empty without one)."""
    return period_text(row.current_period) if row is not None and row.current_period else ""
