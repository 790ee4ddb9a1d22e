"""A full recompute split into independent Celery tasks, so that workers on other machines share it.

The tables of one year are independent of every other year's, and within a year the rows of a
province (with its predecessors) are independent of every other province's; the nation's rows
read every unit's figures but no computed row. So a split run is:

1. a start (one transaction): the fill-state row (a DirtyUnit without province, as for the
   in-process run), the indexes of an empty table dropped for a first fill, and one
   ComputationChunk row per (year × group of provinces) and per (year, nation);
2. one `recompute_chunk` task per chunk, in any order, on any worker: the chunk's steps
   (`CHUNK_STEPS`: indicator values, reporting rates, and whatever else is computed per
   provinces and years) in one transaction, which also marks the chunk done;
3. `finish_full_run`, enqueued by the chunk that completes the count: index scores (ranks need
   every province of a year), target progress, the indexes built again, the dirty rows cleared.

Surviving a lost worker: a chunk commits its rows and its "done" mark together, and a copy of the
task finds the mark and does nothing, so a task delivered twice (acks late) is harmless even on a
first fill, where rows are inserted without looking for existing ones. A chunk that fails marks
the run failed; a run that makes no progress for PROGRESS_RUN_STALE_SECONDS is taken as lost.
Either way the fill-state row stays, and the periodic sweep starts a new run.

Locks: each chunk shares the RollupState row (as the years of an in-process run do) so chunks run
side by side but never beside an incremental run, which locks it exclusively; the start and the
finish lock it exclusively. One full run at a time: the start takes the in-process run's advisory
lock for its transaction and refuses while a split run is in progress; the in-process run refuses
while one is (services._recompute_all_if_free).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone

from tracker.progress import deferred_indexes
from tracker.progress.commune_rollups import recompute_commune_tables
from tracker.progress.index_scores import write_index_scores
from tracker.progress.indicator_values import IndicatorValueBuild
from tracker.progress.models import ComputationChunk, ComputationRun, DirtyUnit, RollupState
from tracker.progress.reporting_rates import write_reporting_rates
from tracker.progress.scope import NATIONAL, Lineage, Scope, Unit, UnitKey, periods_of_year
from tracker.progress.services import (
    FULL_RUN_LOCK,
    PUBLISH_RETRY_POLICY,
    Catalogue,
    _lock_state,
    _pause_between_years,
    _years_to_recompute,
    complete_full_run,
)
from tracker.progress.sql import Dialect
from tracker.reporting.models import Submission

logger = logging.getLogger(__name__)


def province_groups() -> int:
    """Groups of provinces per year (PROGRESS_PROVINCE_GROUPS, default 4): with the national chunk,
    five chunks a year, enough for a few workers to finish together on six or seven years."""
    return max(1, int(os.environ.get("PROGRESS_PROVINCE_GROUPS", "4") or 1))


def stale_seconds() -> float:
    """A run whose last chunk finished longer ago than this lost its workers (default: the tasks'
    hard time limit, 30 minutes, so a chunk still running is never taken for lost)."""
    return float(os.environ.get("PROGRESS_RUN_STALE_SECONDS", "1800") or 1800)


def chunk_queue() -> str | None:
    """PROGRESS_CHUNK_QUEUE sends chunks to a queue of their own (workers started with -Q); unset,
    they go to the default queue like every other task."""
    return os.environ.get("PROGRESS_CHUNK_QUEUE") or None


def distributed() -> bool:
    """True when tasks go to a broker (REDIS_URL); in-process (eager) they run one after another."""
    from tracker.celery import app

    return not app.conf.task_always_eager


# -- the steps of a chunk ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChunkWork:
    """What one chunk computes: a year's periods for some row owners, in the chunk's transaction."""

    year: int
    # The current provinces of the chunk (empty for the nation's chunk).
    province_ids: tuple[int, ...]
    scope: Scope
    catalogue: Catalogue
    into_empty: bool
    now: datetime.datetime

    @property
    def years(self) -> tuple[int, ...]:
        return (self.year,)


ChunkStep = Callable[[ChunkWork], int]


def indicator_values_step(work: ChunkWork) -> int:
    build = IndicatorValueBuild(
        dialect=Dialect(connection),
        indicators=work.catalogue.indicators,
        lineage=work.catalogue.lineage,
        scope=work.scope,
    )
    with connection.cursor() as cursor:
        if work.into_empty:
            return build.fill(cursor, work.now)
        build.build(cursor)
        changed = build.write(cursor, work.now)
        build.drop(cursor)
        return changed


def reporting_rates_step(work: ChunkWork) -> int:
    with connection.cursor() as cursor:
        return write_reporting_rates(
            dialect=Dialect(connection),
            cursor=cursor,
            lineage=work.catalogue.lineage,
            scope=work.scope,
            today=timezone.localdate(),
            now=work.now,
        )


def commune_tables_step(work: ChunkWork) -> int:
    """The communes of the chunk's provinces: values and reporting rates of its year (merged). Their
    standings read every year of a series, so the finish computes them once for all provinces."""
    if not work.province_ids:
        return 0  # the nation's chunk: communes belong to provinces
    return recompute_commune_tables(work.province_ids, work.years, standings=False)


# Every chunk runs these, in this order, in its transaction; each returns the rows it changed.
# A step must be idempotent: merge, or fill when `work.into_empty` (the nation's chunk has no
# province ids).
CHUNK_STEPS: list[ChunkStep] = [indicator_values_step, reporting_rates_step, commune_tables_step]


# -- planning ------------------------------------------------------------------------------------


def _root(unit: Unit, lineage: Lineage) -> int:
    """The last successor of a unit: the current province its figures roll up into (or itself)."""
    seen = {unit.id}
    while unit.successor_id is not None and unit.successor_id in lineage.units and unit.successor_id not in seen:
        unit = lineage.units[unit.successor_id]
        seen.add(unit.id)
    return unit.id


def plan_groups(lineage: Lineage, groups: int) -> list[list[int]]:
    """Root units (current provinces, and former units without a current successor) in `groups`
    groups of about the same number of reporting units; a root's predecessors go with it."""
    units_of: dict[int, int] = defaultdict(int)
    for unit in lineage.units.values():
        units_of[_root(unit, lineage)] += 1
    count = min(groups, len(units_of))
    if not count:
        return []
    plan: list[list[int]] = [[] for _ in range(count)]
    weight = [0] * count
    for root in sorted(units_of, key=lambda r: (-units_of[r], r)):
        lightest = weight.index(min(weight))
        plan[lightest].append(root)
        weight[lightest] += units_of[root]
    return [sorted(group) for group in plan]


def chunk_keys(roots: Sequence[int], lineage: Lineage) -> frozenset[UnitKey]:
    wanted = set(roots)
    return frozenset(unit.own_key for unit in lineage.units.values() if _root(unit, lineage) in wanted)


def _busiest_first(years: list[int]) -> list[int]:
    reports = dict(
        Submission.objects.annotate(year=ExtractYear("period_end"))
        .values("year")
        .annotate(count=Count("id"))
        .values_list("year", "count")
    )
    return sorted(years, key=lambda year: (-reports.get(year, 0), -year))


def _new_chunks(run: ComputationRun, years: list[int], lineage: Lineage) -> list[ComputationChunk]:
    """The nation's chunk of each year first (it reads every unit, the longest), the years with the
    most reports first, so that the short chunks fill the gaps at the end."""
    groups = plan_groups(lineage, province_groups())
    ordered = _busiest_first(years)
    chunks = [ComputationChunk(run=run, year=year, national=True) for year in ordered]
    chunks += [ComputationChunk(run=run, year=year, province_ids=group) for year in ordered for group in groups]
    return ComputationChunk.objects.bulk_create(chunks)


# -- running -------------------------------------------------------------------------------------


def split_run_in_progress() -> ComputationRun | None:
    """The split run still making progress, if any."""
    fresh = timezone.now() - datetime.timedelta(seconds=stale_seconds())
    return (
        ComputationRun.objects.filter(
            kind=ComputationRun.Kind.FULL, status=ComputationRun.Status.RUNNING, progress_at__gte=fresh
        )
        .filter(chunks__isnull=False)
        .first()
    )


def _full_run_lock_free() -> bool:
    """The in-process run's advisory lock, for this transaction (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FULL_RUN_LOCK])
        return bool(cursor.fetchone()[0])


def start_split_run(*, reason: str) -> tuple[ComputationRun, list[ComputationChunk]] | None:
    """Plan a split run and commit it (with its fill-state row); None when a full run is going on."""
    if split_run_in_progress():
        return None
    in_background = not connection.in_atomic_block
    with transaction.atomic():
        state = _lock_state()
        if not _full_run_lock_free() or split_run_in_progress():
            return None
        now = timezone.now()
        marker = DirtyUnit.objects.create(province=None, reason=f"{reason} (đang tính)"[:100])
        ComputationRun.objects.filter(kind=ComputationRun.Kind.FULL, status=ComputationRun.Status.RUNNING).update(
            status=ComputationRun.Status.ABANDONED
        )
        with deferred_indexes.rebuilding(state, in_background=in_background):
            pass  # the indexes an interrupted first fill left unbuilt
        into_empty = deferred_indexes.defer_if_empty(state)
        years = _years_to_recompute(timezone.localdate())
        run = ComputationRun.objects.create(
            kind=ComputationRun.Kind.FULL,
            started_at=now,
            progress_at=now,
            dirty_upto=marker.id,
            into_empty=into_empty,
        )
        chunks = _new_chunks(run, years, Lineage.load())
        run.chunks_total = len(chunks) + 1  # and the finish
        run.save(update_fields=["chunks_total"])
    return run, chunks


class _AlreadyDone(Exception):
    """Another copy of the chunk's task committed it first."""


def _execute_chunk(chunk_id: int) -> tuple[int, bool]:
    """The chunk's steps and its done mark, in the caller's transaction: (rows changed, whether it
    was the last chunk of its run). Raises _AlreadyDone when a copy of it was committed first."""
    chunk = ComputationChunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None or chunk.done_at is not None or chunk.run.status != ComputationRun.Status.RUNNING:
        raise _AlreadyDone
    _lock_state(shared=True)
    catalogue = Catalogue.load()
    lineage = catalogue.lineage
    keys = frozenset({NATIONAL}) if chunk.national else chunk_keys(chunk.province_ids, lineage)
    current = tuple(pid for pid in chunk.province_ids if pid in lineage.units and lineage.units[pid].is_current)
    now = timezone.now()
    work = ChunkWork(
        chunk.year, current, Scope(periods_of_year(chunk.year), keys), catalogue, chunk.run.into_empty, now
    )
    changed = sum(step(work) for step in CHUNK_STEPS)
    # The done mark waits for a copy of this chunk committing meanwhile, then finds it done.
    marked = ComputationChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(
        done_at=timezone.now(), rows_changed=changed, worker=f"{socket.gethostname()}:{os.getpid()}"
    )
    if not marked:
        raise _AlreadyDone
    # Counting in the run's row serialises the chunks' last statements: exactly one sees the total.
    ComputationRun.objects.filter(pk=chunk.run_id).update(
        chunks_done=F("chunks_done") + 1, rows_changed=F("rows_changed") + changed, progress_at=timezone.now()
    )
    run = ComputationRun.objects.only("chunks_done", "chunks_total").get(pk=chunk.run_id)
    return changed, run.chunks_done == run.chunks_total - 1


def rollups_recompute_chunk(chunk_id: int) -> int:
    """Run one chunk (a task); the chunk completing its run enqueues the finish. Twice is safe."""
    try:
        with transaction.atomic():
            changed, last = _execute_chunk(chunk_id)
            if last:
                run_id = ComputationChunk.objects.values_list("run_id", flat=True).get(pk=chunk_id)
                transaction.on_commit(lambda: enqueue_finish(run_id))
    except _AlreadyDone:
        return 0
    except Exception as error:
        _failed(ComputationChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first(), error)
        raise
    _pause_between_years()
    return changed


def rollups_finish_full_run(run_id: int) -> int:
    """Index scores, target progress and the end of the run, once every chunk is done. Twice is safe:
    the second finds the run done."""
    in_background = not connection.in_atomic_block
    try:
        with transaction.atomic():
            state = _lock_state()
            run = ComputationRun.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.status != ComputationRun.Status.RUNNING or run.chunks_done < run.chunks_total - 1:
                return 0
            return _finish(state, run, in_background)
    except Exception as error:
        _failed(run_id, error)
        raise


def _finish(state: RollupState, run: ComputationRun, in_background: bool) -> int:
    catalogue = Catalogue.load()
    years = sorted(set(run.chunks.values_list("year", flat=True)))
    now = timezone.now()
    changed = write_index_scores(periods=[p for year in years for p in periods_of_year(year)], now=now)
    covered = list(DirtyUnit.objects.filter(id__lte=run.dirty_upto or 0).values_list("id", flat=True))
    changed += complete_full_run(
        state,
        catalogue,
        run_id=run.pk,
        covered=covered,
        into_empty=run.into_empty,
        in_background=in_background,
        changed=run.rows_changed + changed,
    )
    logger.info(
        "Split full roll-up recompute of %d years done: %d rows changed.", len(years), run.rows_changed + changed
    )
    return changed


def _failed(run_id: int | None, error: Exception) -> None:
    if run_id is not None:
        ComputationRun.objects.filter(pk=run_id, status=ComputationRun.Status.RUNNING).update(
            status=ComputationRun.Status.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )


def enqueue_finish(run_id: int) -> None:
    from tracker.progress.tasks import finish_full_run  # the tasks module imports this one

    try:
        finish_full_run.apply_async((run_id,), queue=chunk_queue(), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception:
        if not distributed():
            raise  # the finish itself failed in-process (and marked the run failed)
        # A dead broker: the run stops making progress and the sweep starts another.
        logger.warning("Could not queue the end of the full recompute.", exc_info=True)


def enqueue_chunks(chunks: Sequence[ComputationChunk]) -> None:
    from tracker.progress.tasks import recompute_chunk

    for chunk in chunks:
        recompute_chunk.apply_async((chunk.pk,), queue=chunk_queue(), retry=True, retry_policy=PUBLISH_RETRY_POLICY)


def rollups_recompute_all_split(*, reason: str = "full") -> int:
    """Start a split full run and hand its chunks to the workers; rows changed when they ran here.

    With a broker the call returns once the chunks are queued (0). In-process (eager) the chunks
    and the finish run one after another before it returns. Inside a caller's transaction (tests,
    shells) nothing can be committed per chunk: the same chunks run in that transaction."""
    if connection.in_atomic_block:
        return _run_here(reason=reason)
    started = start_split_run(reason=reason)
    if started is None:
        logger.info("A full roll-up recompute is already running; not starting another.")
        return 0
    run, chunks = started
    try:
        enqueue_chunks(chunks)
        if not chunks:
            enqueue_finish(run.pk)
    except Exception:
        if not distributed():
            raise  # a chunk that failed in-process: the run is marked failed, the sweep redoes it
        logger.warning("Could not queue the full recompute; the sweep starts another.", exc_info=True)
        _failed(run.pk, RuntimeError("chunks not queued"))
        return 0
    run.refresh_from_db()
    return run.rows_changed if run.status == ComputationRun.Status.DONE else 0


def _run_here(*, reason: str) -> int:
    started = start_split_run(reason=reason)
    if started is None:
        return 0
    run, chunks = started
    for chunk in chunks:
        with transaction.atomic():
            _execute_chunk(chunk.pk)
    rollups_finish_full_run(run.pk)
    return ComputationRun.objects.get(pk=run.pk).rows_changed
