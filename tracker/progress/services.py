"""Roll-up services. The engine replaces this module; the seam below is its contract."""

import datetime


def figures_changed(*, province_id: int, period_start: datetime.date, period_end: datetime.date) -> None:
    """Record that official figures of a unit changed for a period, in the caller's transaction.

    Called by tracker.reporting when a submission is approved (or an approved correction lands).
    The roll-up engine writes a dirty row here and enqueues the recompute on commit.
    """
