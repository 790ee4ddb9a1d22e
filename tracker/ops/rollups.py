"""How many roll-ups wait to be recomputed, for the health check."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from tracker.progress.selectors import figure_changes_pending


@dataclass(frozen=True)
class Pending:
    count: int
    oldest_seconds: float | None


def pending_rollups() -> Pending:
    count, oldest = figure_changes_pending()
    return Pending(count=count, oldest_seconds=(timezone.now() - oldest).total_seconds() if oldest else None)
