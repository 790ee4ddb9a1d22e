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
    """None if the progress app keeps no dirty rows (it is not installed)."""
    try:
        from tracker.progress.models import DirtyUnit
    except ImportError:
        return None
    summary = DirtyUnit.objects.aggregate(oldest=Min("created_at"))
    count = DirtyUnit.objects.count()
    oldest = summary["oldest"]
    return Pending(count=count, oldest_seconds=(timezone.now() - oldest).total_seconds() if oldest else None)
