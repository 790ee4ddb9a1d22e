"""Roll-up services: record that figures changed, recompute what changed, preview unapproved figures.

Freshness works in three layers, so that a lost message or a broker outage delays the figures
but loses nothing:

1. `figures_changed` (called by tracker.reporting inside the approval transaction) writes a
   DirtyUnit row in that same transaction and, on commit, enqueues `recompute_dirty`. If the
   broker is down the enqueue is logged and dropped; the approval stands.
2. `rollups_recompute_dirty` (tasks `recompute_dirty` and the periodic `sweep_dirty`) takes the
   pending rows, recomputes the years, units and periods they touch in one transaction and
   deletes exactly those rows in it. A crash rolls everything back and the rows stay pending.
3. `rollups_recompute_all` (nightly task `recompute_all`, and after catalogue edits) recomputes
   every year, one transaction per year. It first commits a DirtyUnit row without province
   (the fill state), removed only when the last year is done: a run killed half-way is redone
   by the next sweep.

Every write merges computed rows into the tables (unchanged rows untouched), so each service is
idempotent. Recomputations lock the RollupState row: incremental runs exclusively, the years of a
full run (disjoint rows, computed side by side on PostgreSQL) in shared mode, so an incremental
run never interleaves its writes with another recomputation.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.periods import Period, months_between
from provinces.models import Province
from tracker.progress import deferred_indexes
from tracker.progress.commune_rollups import provinces_of, write_commune_scopes
from tracker.progress.commune_standings import write_commune_standings
from tracker.progress.formulas import CompiledIndicator, load_indicators
from tracker.progress.index_scores import write_index_scores
from tracker.progress.indicator_values import IndicatorValueBuild
from tracker.progress.models import (
    REPORTING_CHANGED,
    CommuneIndicatorValue,
    CommuneReportingRate,
    ComputationRun,
    DirtyUnit,
    IndexScore,
    IndicatorValue,
    Level,
    ReportingRate,
    RollupState,
)
from tracker.progress.reporting_rates import write_reporting_rates
from tracker.progress.scope import (
    Change,
    Lineage,
    Scope,
    UnitKey,
    periods_around,
    periods_of_year,
    scopes_for_changes,
)
from tracker.progress.sql import Dialect
from tracker.progress.target_progress import compute_changed_standings, save_target_progress, write_target_progress
from tracker.reporting.models import Submission

logger = logging.getLogger(__name__)

# Publishing gives up after one quick retry: the web request must not wait for a dead broker.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
DIRTY_BATCH = 2000
# PostgreSQL advisory lock held for the whole of a full recompute; it dies with the connection,
# so a killed worker never leaves it behind.
FULL_RUN_LOCK = 7_011_826_303
_local_full_run = threading.Lock()


# -- recording changes ---------------------------------------------------------------------------


def figures_changed(*, province_id: int, period_start: datetime.date, period_end: datetime.date) -> None:
    """Record that official figures of a unit changed for a period, in the caller's transaction.

    Called by tracker.reporting when a submission is approved (or an approved correction lands).
    Writes a dirty row now and enqueues the recompute once the transaction commits.
    """
    DirtyUnit.objects.create(
        province_id=province_id, period_start=period_start, period_end=period_end, reason="figures_changed"
    )
    transaction.on_commit(enqueue_recompute)


def reporting_changed(*, province_id: int, period_start: datetime.date, period_end: datetime.date) -> None:
    """Record that a report was submitted or sent back, in the caller's transaction.

    Official figures do not change, so the next sweep (every 30 s) or approval recomputes only the
    reporting rates of the scope: a submitted report counts as received within the minute, not at
    its approval or in the nightly run. Nothing is enqueued, so that a submit stays as fast as a
    save even where tasks run in-process."""
    DirtyUnit.objects.create(
        province_id=province_id, period_start=period_start, period_end=period_end, reason=REPORTING_CHANGED
    )


def rollups_catalogue_changed(*, reason: str = "catalogue") -> None:
    """Mark every figure stale after a catalogue edit (a formula, an element's aggregation, an index
    version, a target, a lineage fix); the catalogue admin calls this when it saves such a change."""
    DirtyUnit.objects.create(province=None, reason=reason[:100])
    transaction.on_commit(enqueue_recompute)


def enqueue_recompute() -> None:
    from tracker.progress.tasks import recompute_dirty  # the tasks module imports this one

    try:
        recompute_dirty.apply_async(retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception:  # a dead broker, or (in-process mode) a failing recompute: the sweep catches up
        logger.warning("Could not run the roll-up recompute now; the periodic sweep will.", exc_info=True)


# -- recomputing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    lineage: Lineage
    indicators: Sequence[CompiledIndicator]

    @classmethod
    def load(cls) -> Catalogue:
        return cls(Lineage.load(), load_indicators())


def _lock_state(*, shared: bool = False) -> RollupState:
    """Lock the state row for this transaction. Incremental runs lock it exclusively; the years of a
    full run (disjoint rows) share it, so they run side by side but never beside an incremental run."""
    if not RollupState.objects.filter(pk=1).exists():
        with contextlib.suppress(IntegrityError), transaction.atomic():
            RollupState.objects.create(pk=1)
    if shared and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {RollupState._meta.db_table} WHERE id = 1 FOR SHARE")  # noqa: S608
        return RollupState.objects.get(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def _recompute(
    scopes: Sequence[Scope],
    catalogue: Catalogue,
    now: datetime.datetime,
    *,
    progress_keys: Sequence[UnitKey] | None,
    into_empty: bool = False,
    communes: bool = True,
) -> int:
    """Indicator values, reporting rates and index scores of the scopes; target progress of the units
    given; then, unless `communes` is False, the communes' tables (`_recompute_communes`). Runs
    inside the caller's transaction. `into_empty`: a first fill's year (see fill())."""
    dialect = Dialect(connection)
    today = timezone.localdate()
    changed = 0
    clock = _Stopwatch()
    with connection.cursor() as cursor:
        for scope in scopes:
            build = IndicatorValueBuild(
                dialect=dialect, indicators=catalogue.indicators, lineage=catalogue.lineage, scope=scope
            )
            if into_empty:
                changed += build.fill(cursor, now)
                clock.lap("indicator values filled")
            else:
                build.build(cursor)
                clock.lap("indicator values computed")
                changed += build.write(cursor, now)
                build.drop(cursor)
                clock.lap("indicator values merged")
            changed += write_reporting_rates(
                dialect=dialect, cursor=cursor, lineage=catalogue.lineage, scope=scope, today=today, now=now
            )
            clock.lap("reporting rates")
    changed += write_index_scores(periods=[p for scope in scopes for p in scope.periods], now=now)
    clock.lap("index scores")
    if progress_keys is None or progress_keys:
        keys = catalogue.lineage.all_keys() if progress_keys is None else progress_keys
        changed += write_target_progress(keys=keys, today=today, now=now, all_keys=catalogue.lineage.all_keys())
        clock.lap("target progress")
    if communes:
        changed += _recompute_communes(scopes, catalogue, now, progress_keys=progress_keys)
        clock.lap("communes")
    logger.debug("Recomputed %s: %s", [str(p) for s in scopes for p in s.periods][-1:], clock)
    return changed


def _recompute_communes(
    scopes: Sequence[Scope], catalogue: Catalogue, now: datetime.datetime, *, progress_keys: Sequence[UnitKey] | None
) -> int:
    """The communes of the scopes' current provinces (a commune report dirties its province): their
    values and reporting rates, and the standings of the provinces given. Read from the commune
    reports, never from the province rows, so they may follow in a transaction of their own."""
    today = timezone.localdate()
    changed = write_commune_scopes(scopes=scopes, today=today, now=now)
    if progress_keys is None or progress_keys:
        keys = catalogue.lineage.all_keys() if progress_keys is None else progress_keys
        # a standing as of a period ending before the first changed month reads no changed point
        since = min((p.start for scope in scopes for p in scope.periods if p.periodicity == "monthly"), default=None)
        changed += write_commune_standings(
            province_ids=provinces_of(None if progress_keys is None else keys), today=today, now=now, since=since
        )
    return changed


class _Stopwatch:
    """Seconds per phase, for the debug log of each recomputation."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.started
        self.started = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.laps.items())


def rollups_recompute_dirty() -> int:
    """Recompute everything pending; returns the number of dirty rows processed.

    Safe to run twice or concurrently: each batch locks the state row, reads the pending rows
    inside that lock and deletes exactly those rows in the same transaction.
    """
    processed = 0
    if DirtyUnit.objects.filter(province__isnull=True).exists():
        from tracker.progress import full_run  # it builds on this module

        if full_run.distributed():
            # Workers are there to share it: a split run, unless one is already under way.
            full_run.rollups_recompute_all_split(reason="sweep")
        else:
            processed += _recompute_all_if_free(reason="sweep")
    while True:
        done = _recompute_dirty_batch()
        if not done:
            return processed
        processed += done


def _recompute_dirty_batch() -> int:
    """One batch of dirty rows in two transactions: the province and national tables first, so that
    an approval's figures and standings are visible as soon as they are computed; then the
    communes' tables, which read the commune reports only, and the dirty rows deleted with them (a
    failure in between leaves the rows dirty: the next batch recomputes both, idempotently)."""
    started = timezone.now()
    with transaction.atomic():
        state = _lock_state()
        if state.deferred_indexes:
            # A first fill is inserting rows it assumes nobody else writes; its end takes these up.
            logger.info("A first fill of the roll-up tables is under way; changes wait for it.")
            return 0
        pending = list(
            DirtyUnit.objects.filter(province__isnull=False)
            .order_by("id")
            .values_list("id", "province_id", "period_start", "period_end", "reason")[:DIRTY_BATCH]
        )
        if not pending:
            return 0
        catalogue = Catalogue.load()
        changes, reporting = [], []
        for _id, unit_id, start, end, reason in pending:
            if start and end:
                (reporting if reason == REPORTING_CHANGED else changes).append(Change(unit_id, start, end))
        scopes = scopes_for_changes(changes, catalogue.lineage)
        rate_scopes = scopes_for_changes(reporting, catalogue.lineage)
        progress_keys = sorted({key for scope in scopes for key in (scope.keys or ())})
        now = timezone.now()
        changed = _recompute(scopes, catalogue, now, progress_keys=progress_keys, communes=False) if scopes else 0
        changed += _recompute_reporting_rates(rate_scopes, catalogue, now)
    with transaction.atomic():
        state = _lock_state()
        if state.deferred_indexes:
            return 0  # a first fill started meanwhile: it computes the communes and takes the rows up
        if scopes:
            changed += _recompute_communes(scopes, catalogue, now, progress_keys=progress_keys)
        scope_count = len(scopes) + len(rate_scopes)
        DirtyUnit.objects.filter(id__in=[row[0] for row in pending]).delete()
        state.last_incremental_at = now
        state.save(update_fields=["last_incremental_at"])
        ComputationRun.objects.create(
            kind=ComputationRun.Kind.INCREMENTAL,
            status=ComputationRun.Status.DONE,
            started_at=started,
            finished_at=timezone.now(),
            chunks_total=scope_count,
            chunks_done=scope_count,
            dirty_processed=len(pending),
            rows_changed=changed,
        )
    logger.info("Rolled up %d changes in %d scopes: %d rows changed.", len(pending), scope_count, changed)
    return len(pending)


def _recompute_reporting_rates(scopes: Sequence[Scope], catalogue: Catalogue, now: datetime.datetime) -> int:
    dialect, today = Dialect(connection), timezone.localdate()
    with connection.cursor() as cursor:
        changed = sum(
            write_reporting_rates(
                dialect=dialect, cursor=cursor, lineage=catalogue.lineage, scope=scope, today=today, now=now
            )
            for scope in scopes
        )
    return changed + write_commune_scopes(scopes=scopes, today=today, now=now, rates_only=True)


def rollups_recompute_unit(*, province_id: int, period_start: datetime.date, period_end: datetime.date) -> int:
    """Recompute what one unit's figures feed for a date range (no dirty row needed); rows changed."""
    with transaction.atomic():
        if _lock_state().deferred_indexes:  # a first fill is under way: its end takes the change up
            figures_changed(province_id=province_id, period_start=period_start, period_end=period_end)
            return 0
        catalogue = Catalogue.load()
        scopes = scopes_for_changes([Change(province_id, period_start, period_end)], catalogue.lineage)
        progress_keys = sorted({key for scope in scopes for key in (scope.keys or ())})
        return _recompute(scopes, catalogue, timezone.now(), progress_keys=progress_keys)


@contextlib.contextmanager
def _full_run_lock() -> Iterator[bool]:
    """True when no other full recompute is running (anywhere, on PostgreSQL)."""
    if not _local_full_run.acquire(blocking=False):
        yield False
        return
    try:
        if connection.vendor != "postgresql":
            yield True
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [FULL_RUN_LOCK])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [FULL_RUN_LOCK])
    finally:
        _local_full_run.release()


def rollups_recompute_all(*, reason: str = "full") -> int:
    """Recompute every computed table from scratch, year by year; returns rows changed.

    Safe to run twice (the second run changes nothing) and after a crash: the fill-state row
    committed first makes the sweep redo an interrupted run.
    """
    return _recompute_all_if_free(reason=reason)


def _recompute_all_if_free(*, reason: str) -> int:
    if connection.in_atomic_block:
        # Inside a caller's transaction (tests, shells) the per-year commits cannot happen;
        # run the same work in that transaction instead.
        return _recompute_all(reason=reason)
    with _full_run_lock() as free:
        from tracker.progress import full_run  # it builds on this module

        if not free or full_run.split_run_in_progress():
            logger.info("A full roll-up recompute is already running; not starting another.")
            return 0
        return _recompute_all(reason=reason)


def _years_to_recompute(today: datetime.date) -> list[int]:
    first_days, last_days = [], []
    span = Submission.objects.aggregate(first=Min("period_start"), last=Max("period_end"))
    if span["first"]:
        first_days.append(span["first"])
        last_days += [span["last"], today]
    for model in (IndicatorValue, ReportingRate, IndexScore, CommuneIndicatorValue, CommuneReportingRate):
        found = model._default_manager.aggregate(first=Min("period_start"), last=Max("period_start"))
        if found["first"]:
            first_days.append(found["first"])
            last_days.append(found["last"])
    if not first_days:
        return []
    return list(range(min(first_days).year, max(last_days).year + 1))


def _pause_between_years() -> None:
    # Operators may throttle a full run on a busy database; the crash tests use it to stop a
    # worker between two committed years.
    pause = float(os.environ.get("PROGRESS_CHUNK_PAUSE_SECONDS", "0") or 0)
    if pause > 0:
        time.sleep(pause)


def _recompute_year(year: int, catalogue: Catalogue, run_id: int, into_empty: bool) -> int:
    with transaction.atomic():
        _lock_state(shared=True)
        changed = _recompute(
            [Scope(periods_of_year(year))], catalogue, timezone.now(), progress_keys=[], into_empty=into_empty
        )
        ComputationRun.objects.filter(pk=run_id).update(
            chunks_done=F("chunks_done") + 1, rows_changed=F("rows_changed") + changed
        )
    _pause_between_years()
    return changed


def _in_own_connection(year: int, catalogue: Catalogue, run_id: int, into_empty: bool) -> int:
    try:
        return _recompute_year(year, catalogue, run_id, into_empty)
    finally:
        connection.close()  # this thread's connection


def _recompute_years(years: list[int], catalogue: Catalogue, run_id: int, into_empty: bool) -> int:
    """One transaction per year; on PostgreSQL several years at once, one connection each (the
    statements of one year cannot use parallel workers, since they write temporary tables)."""
    threads = int(os.environ.get("PROGRESS_FULL_RUN_THREADS", "2") or 1)
    if threads < 2 or len(years) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return sum(_recompute_year(year, catalogue, run_id, into_empty) for year in years)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rollup-year") as pool:
        futures = [
            pool.submit(_in_own_connection, year, catalogue, run_id, into_empty) for year in _largest_first(years)
        ]
        return sum(future.result() for future in futures)


def _largest_first(years: list[int]) -> list[int]:
    """The years with the most reports first, so that the small ones fill the gaps at the end and
    the threads finish together."""
    reports = dict(
        Submission.objects.annotate(year=ExtractYear("period_end"))
        .values("year")
        .annotate(count=Count("id"))
        .values_list("year", "count")
    )
    return sorted(years, key=lambda year: (-reports.get(year, 0), -year))


def complete_full_run(
    state: RollupState,
    catalogue: Catalogue,
    *,
    run_id: int,
    covered: Sequence[int],
    into_empty: bool,
    in_background: bool,
    changed: int,
) -> int:
    """The end of a full run, once every year's tables are written: the indexes a first fill dropped,
    target progress, the covered dirty rows cleared, the run done. Runs in the caller's transaction,
    which holds `state` exclusively; returns the rows it changed (`changed`: the run's so far)."""
    with connection.cursor() as cursor:
        Dialect(connection).prepare(cursor)  # target progress sorts every series: in memory, no JIT
    keys = catalogue.lineage.all_keys()
    with deferred_indexes.rebuilding(state, in_background=in_background):
        progress, standings_fingerprint = compute_changed_standings(keys=keys, today=timezone.localdate())
    now = timezone.now()
    saved = save_target_progress(progress, keys=keys, now=now)
    # The same rules and targets as the stored standings: only the commune series that changed.
    same_rules = state.standings_fingerprint == standings_fingerprint
    saved += write_commune_standings(province_ids=None, today=timezone.localdate(), now=now, changed_only=same_rules)
    state.standings_fingerprint = standings_fingerprint
    DirtyUnit.objects.filter(id__in=covered).delete()
    if into_empty and DirtyUnit.objects.exists():
        transaction.on_commit(enqueue_recompute)  # the changes that waited for the fill
    state.last_full_at = now
    state.save(update_fields=["last_full_at", "standings_fingerprint"])
    ComputationRun.objects.filter(pk=run_id).update(
        chunks_done=F("chunks_done") + 1,
        rows_changed=changed + saved,
        dirty_processed=len(covered),
        status=ComputationRun.Status.DONE,
        finished_at=timezone.now(),
    )
    return saved


def _recompute_all(*, reason: str) -> int:
    started = timezone.now()
    marker = DirtyUnit.objects.create(province=None, reason=f"{reason} (đang tính)"[:100])
    covered = list(DirtyUnit.objects.filter(id__lte=marker.id).values_list("id", flat=True))
    ComputationRun.objects.filter(kind=ComputationRun.Kind.FULL, status=ComputationRun.Status.RUNNING).update(
        status=ComputationRun.Status.ABANDONED
    )
    years = _years_to_recompute(timezone.localdate())
    run = ComputationRun.objects.create(kind=ComputationRun.Kind.FULL, started_at=started, chunks_total=len(years) + 1)
    catalogue = Catalogue.load()
    # Other connections can only build indexes over committed rows, not inside a caller's transaction.
    in_background = not connection.in_atomic_block
    changed = 0
    try:
        with transaction.atomic():
            state = _lock_state()
            with deferred_indexes.rebuilding(state, in_background=in_background):
                pass  # the indexes an interrupted first fill left unbuilt
            # An empty table is filled without indexes and without looking for existing rows;
            # incremental runs wait meanwhile (they would write rows of years not filled yet).
            into_empty = deferred_indexes.defer_if_empty(state)
        changed = _recompute_years(years, catalogue, run.pk, into_empty)
        with transaction.atomic():
            state = _lock_state()
            changed += complete_full_run(
                state,
                catalogue,
                run_id=run.pk,
                covered=covered,
                into_empty=into_empty,
                in_background=in_background,
                changed=changed,
            )
    except Exception as error:
        ComputationRun.objects.filter(pk=run.pk).update(
            status=ComputationRun.Status.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
        )
        raise
    logger.info("Full roll-up recompute of %d years: %d rows changed.", len(years), changed)
    return changed


# -- preview -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewValue:
    indicator_id: int
    level: str
    province_id: int | None
    period: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    units_count: int


def _decimal(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    value = raw if isinstance(raw, Decimal) else Decimal(repr(raw))
    return value.quantize(Decimal("1e-10"))


def indicator_values_preview(*, user: Any, province: Province, first: Period, last: Period) -> list[PreviewValue]:
    """Indicator values of one province as they would be if its submitted figures were approved.

    Computed on the fly by the same rules as the official tables and never stored. Ministry
    staff may preview any province; provincial users only their own.
    """
    allowed = getattr(user, "is_ministry", False) or (
        getattr(user, "is_provincial", False) and user.province_id == province.pk
    )
    if not allowed:
        raise PermissionDenied(_("Bạn chỉ xem trước được số liệu của tỉnh mình."))
    key = UnitKey(Level.PROVINCE if province.is_current else Level.FORMER, province.pk)
    scope = Scope(periods_around(months_between(first, last)), frozenset({key}))
    catalogue = Catalogue.load()
    build = IndicatorValueBuild(
        dialect=Dialect(connection),
        indicators=catalogue.indicators,
        lineage=catalogue.lineage,
        scope=scope,
        preview=True,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        build.build(cursor)
        rows = build.fetch(cursor)
        build.drop(cursor)
    granularity = {"monthly": 0, "quarterly": 1, "yearly": 2}
    rows.sort(key=lambda r: (r["indicator_id"], r["level"], r["unit"], granularity[r["periodicity"]], r["period"]))
    return [
        PreviewValue(
            indicator_id=row["indicator_id"],
            level=row["level"],
            province_id=row["unit"] or None,
            period=row["period"],
            numerator=_decimal(row["numerator"]),
            denominator=_decimal(row["denominator"]),
            value=_decimal(row["value"]),
            units_count=int(row["units_count"]),
        )
        for row in rows
    ]
