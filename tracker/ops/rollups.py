"""How many roll-ups wait to be recomputed: the progress app's dirty rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone


@dataclass(frozen=True)
class Pending:
    count: int
    oldest_seconds: float | None


def pending_rollups() -> Pending | None:
    """Figure changes waiting to be rolled up; None if the progress app is not installed.

    Rows that only refresh reporting rates (a report submitted or sent back) are left out: they
    wait for the next sweep by design, and where no beat runs (the embedded default) for the next
    approval, which is no sign of trouble."""
    try:
        from tracker.progress.models import DirtyUnit
        from tracker.progress.services import REPORTING_CHANGED
    except ImportError:
        return None
    figures = DirtyUnit.objects.exclude(reason=REPORTING_CHANGED)
    summary = figures.aggregate(oldest=Min("created_at"))
    count = figures.count()
    oldest = summary["oldest"]
    return Pending(count=count, oldest_seconds=(timezone.now() - oldest).total_seconds() if oldest else None)
