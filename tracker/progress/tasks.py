"""Celery tasks of the roll-up engine: thin wrappers around services.

Every task is safe to run twice, concurrently, or again after a worker died half-way: the
services merge computed rows (a second run finds nothing to change), recompute each scope in
one transaction, and clear dirty rows only in the transaction that recomputed them.
Without REDIS_URL they run in-process (settings turn on eager mode).
"""

from __future__ import annotations

import datetime

from celery import shared_task

from tracker.progress import full_run, services


@shared_task(name="tracker.progress.tasks.recompute_dirty")
def recompute_dirty() -> int:
    """Roll up every pending change. Twice is safe: the second run finds no pending rows."""
    return services.rollups_recompute_dirty()


@shared_task(name="tracker.progress.tasks.sweep_dirty")
def sweep_dirty() -> int:
    """Periodic (celery beat): pick up changes whose message was lost or never sent.

    The same work as recompute_dirty, so running both, or twice, is safe.
    """
    return services.rollups_recompute_dirty()


@shared_task(name="tracker.progress.tasks.recompute_all")
def recompute_all() -> int:
    """Nightly full recompute. Twice is safe: the second run changes no row; a run that died
    half-way left its fill-state row, so the sweep redoes it.

    With workers (a broker) it is split into chunk tasks that they share; in-process the years
    run one after another in this process (one process gains nothing from the split)."""
    if full_run.distributed():
        return full_run.rollups_recompute_all_split(reason="nightly")
    return services.rollups_recompute_all(reason="nightly")


@shared_task(name="tracker.progress.tasks.recompute_chunk")
def recompute_chunk(chunk_id: int) -> int:
    """One chunk of a split full run. Twice is safe: a chunk is committed once, with its done mark."""
    return full_run.rollups_recompute_chunk(chunk_id)


@shared_task(name="tracker.progress.tasks.finish_full_run")
def finish_full_run(run_id: int) -> int:
    """The end of a split full run (enqueued by its last chunk). Twice is safe: the run is done."""
    return full_run.rollups_finish_full_run(run_id)


@shared_task(name="tracker.progress.tasks.recompute_unit")
def recompute_unit(province_id: int, period_start: str, period_end: str) -> int:
    """Recompute what one unit feeds for a date range (ISO dates). Twice is safe: rows are merged."""
    return services.rollups_recompute_unit(
        province_id=province_id,
        period_start=datetime.date.fromisoformat(period_start),
        period_end=datetime.date.fromisoformat(period_end),
    )
