"""Scale benchmarks of the roll-up engine: the full recompute shared by 1, 2… worker processes, and
the commune-scale data set (3.321 communes reporting monthly), with the GROUP BY floor and memory.

Both build on the national-scale data set of tracker/progress/benchmark.py and, like it, write
everything under BENCH_* names: give them a database of their own.
"""

from __future__ import annotations

import datetime
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from typing import Any

import psutil
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from kpis.models import DataElement, Indicator, ReportForm, ReportFormElement
from kpis.periods import Period, months_between
from provinces.models import Commune, Province
from tracker.progress import benchmark, full_run
from tracker.progress.benchmark import PREFIX, Report, computed_rows, floor_seconds, p95, run_command
from tracker.progress.models import (
    CommuneIndicatorValue,
    CommuneReportingRate,
    CommuneStanding,
    ComputationRun,
    DirtyUnit,
    IndexScore,
    IndicatorValue,
    ReportingRate,
    Standing,
    TargetProgress,
)
from tracker.progress.sql import values_list
from tracker.reporting.commune_rollup import refresh_province_cells
from tracker.reporting.models import DataValue, Submission

COMMUNE_FORM = f"{PREFIX}_XA"
COMMUNE_FROM = Period.month(2025, 7)
COMMUNE_LAST = Period.month(2026, 11)
STRESS_ELEMENTS, STRESS_MONTHS = 60, 60


COMMUNE_TABLES = (CommuneIndicatorValue, CommuneStanding, CommuneReportingRate)


def commune_rows() -> int:
    return sum(m.objects.count() for m in COMMUNE_TABLES)


def _empty_tables() -> None:
    benchmark.empty_tables([IndicatorValue, TargetProgress, Standing, IndexScore, ReportingRate, *COMMUNE_TABLES])


# -- workers ---------------------------------------------------------------------------------------


def _start_workers(count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(  # noqa: S603 - our own interpreter and Celery
            [
                sys.executable,
                *("-m", "celery", "-A", "tracker", "worker", "-P", "solo", "-c", "1"),
                *("-n", f"bench{i}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"),
                *(["-Q", full_run.chunk_queue() or "celery"]),
            ],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for i in range(count)
    ]


def _stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)


def split_run_seconds(workers: int, *, empty: bool) -> dict[str, Any]:
    """A split full recompute run by `workers` Celery worker processes on REDIS_URL: wall time from
    the start to the run done, the chunks each worker ran, the workers' peak resident memory."""
    from tracker.celery import app

    if not full_run.distributed():
        raise RuntimeError("Set REDIS_URL: the worker measurement needs a broker.")
    app.control.purge()
    # The benchmark owns its database: a run an interrupted benchmark left behind is given up.
    ComputationRun.objects.filter(kind=ComputationRun.Kind.FULL, status=ComputationRun.Status.RUNNING).update(
        status=ComputationRun.Status.ABANDONED
    )
    if empty:
        _empty_tables()
    processes = _start_workers(workers)
    peak = 0
    try:
        benchmark._wait(lambda: len(app.control.ping(timeout=0.5) or []) >= workers, 120)
        started = time.perf_counter()
        planned = full_run.start_split_run(reason="bench_rollups --workers")
        if planned is None:
            raise RuntimeError("Another full recompute is running.")
        run, chunks = planned
        full_run.enqueue_chunks(chunks)
        watched = [psutil.Process(p.pid) for p in processes]
        while True:
            run.refresh_from_db(fields=["status"])
            if run.status != ComputationRun.Status.RUNNING:
                break
            peak = max([peak, *(p.memory_info().rss for p in watched if p.is_running())])
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        if run.status != ComputationRun.Status.DONE:
            raise RuntimeError(f"The split run ended {run.status}: {ComputationRun.objects.get(pk=run.pk).error}")
    finally:
        _stop_workers(processes)
    per_worker: dict[str, int] = {}
    for worker in run.chunks.values_list("worker", flat=True):
        per_worker[worker] = per_worker.get(worker, 0) + 1
    return {"seconds": seconds, "chunks": len(chunks), "per_worker": sorted(per_worker.values()), "peak": peak}


def workers_report(report: Report, counts: list[int]) -> None:
    """Full recompute by 1, 2… worker processes, into empty tables and again with nothing changed."""
    for empty, label in ((True, "into empty tables"), (False, "nothing changed (nightly)")):
        if empty:
            _empty_tables()
        reference = run_command("--all")
        report.add(f"in-process full recompute, {label} (own process)", f"{reference['seconds']:.2f} s")
        base = None
        for count in counts:
            measured = split_run_seconds(count, empty=empty)
            base = base or measured["seconds"]
            report.add(
                f"split full recompute, {label}, {count} worker(s)",
                f"{measured['seconds']:.2f} s, speed-up {base / measured['seconds']:.2f}x "
                f"({measured['chunks']} chunks, per worker {measured['per_worker']}, "
                f"peak RSS {measured['peak'] / 2**20:.0f} MiB)",
            )


# -- the commune-scale data set --------------------------------------------------------------------


def ensure_communes() -> list[Commune]:
    """The 3.321 units of QĐ 19/2025/QĐ-TTg, loaded with the real catalogue when missing (the
    database must then have no provinces, or the real ones)."""
    if not Commune.objects.exists():
        if Province.objects.exists() and not Province.objects.filter(code="91", valid_to__isnull=True).exists():
            raise RuntimeError("The database has provinces but no communes: give the benchmark a new database.")
        call_command("load_catalogue", verbosity=0)
    return list(Commune.objects.current().order_by("code"))


def ensure_commune_form(elements: int) -> tuple[ReportForm, list[DataElement]]:
    """A monthly form reported by communes from 2025-07, its commune-level elements in pairs
    (dossiers processed online / received), one ratio indicator per pair."""
    form, _ = ReportForm.objects.get_or_create(
        code=COMMUNE_FORM, defaults={"name": "Benchmark communes", "commune_reporting_from": str(COMMUNE_FROM)}
    )
    out = []
    for j in range(1, elements + 1):
        element, _ = DataElement.objects.get_or_create(
            code=f"{PREFIX}_X{j:03d}",
            defaults={
                "name": f"Benchmark commune element {j}",
                "value_type": "integer",
                "time_aggregation": "sum",
                "space_aggregation": "sum",
            },
        )
        ReportFormElement.objects.get_or_create(
            form=form, element=element, defaults={"order": j, "commune_level": True}
        )
        out.append(element)
        if j % 2 == 0:
            Indicator.objects.get_or_create(
                code=f"{PREFIX}_XI{j // 2:02d}",
                defaults={
                    "name": f"Benchmark commune indicator {j // 2}",
                    "numerator": out[-2].code,
                    "denominator": element.code,
                    "factor": 100,
                    "natural_limit": 100,
                },
            )
    return form, out


def _approved(**fields: Any) -> Submission:
    moment = timezone.make_aware(datetime.datetime.combine(fields["period_end"], datetime.time(9)))
    return Submission(
        status=Submission.Status.APPROVED,
        has_official_values=True,
        submitted_at=moment,
        first_submitted_at=moment,
        approved_at=moment,
        **fields,
    )


def commune_figure(commune: int, pair: int, month: int) -> tuple[int, int]:
    """(processed online, received) of a commune, a pair of elements and a month: deterministic."""
    received = 20 + (commune * 37 + pair * 11) % 180 + month % 12
    return received * (30 + (commune + 7 * pair + 3 * month) % 65) // 100, received


def generate_communes(*, elements: int, months: list[Period], communes: list[Commune]) -> dict[str, int]:
    """Approved commune reports, and each province's report whose commune-level cells are the sums
    of its communes' figures (what tracker.reporting's roll-up stores), unless already there."""
    form, form_elements = ensure_commune_form(elements)
    if not Submission.objects.filter(form=form).exists():
        with transaction.atomic():
            rows = [
                _approved(
                    province_id=c.province_id,
                    commune=c,
                    form=form,
                    period=str(m),
                    period_start=m.start,
                    period_end=m.end,
                )
                for m in months
                for c in communes
            ]
            subs = Submission.objects.bulk_create(rows, batch_size=5000)
            position = {c.pk: n for n, c in enumerate(communes)}
            now = timezone.now()

            def values() -> Any:
                for s in subs:
                    n, m = position[s.commune_id or 0], benchmark.month_index(Period.parse(s.period))
                    for pair in range(elements // 2):
                        online, received = commune_figure(n, pair, m)
                        yield (online, online, "", now, form_elements[2 * pair].pk, s.pk)
                        yield (received, received, "", now, form_elements[2 * pair + 1].pk, s.pk)

            if connection.vendor == "postgresql":
                _insert_commune_figures_in_sql(form, form_elements, position, months, now)
            else:
                benchmark._insert_values(values())
            provinces = sorted({c.province_id for c in communes})
            Submission.objects.bulk_create(
                [
                    _approved(province_id=p, form=form, period=str(m), period_start=m.start, period_end=m.end)
                    for m in months
                    for p in provinces
                ],
                batch_size=5000,
            )
            _province_cells(form)
    return {
        "communes": len(communes),
        "commune-level elements": elements,
        "months": len(months),
        "commune reports": Submission.objects.filter(form=form, commune__isnull=False).count(),
        "commune figures": DataValue.objects.filter(submission__form=form, submission__commune__isnull=False).count(),
        "province cells": DataValue.objects.filter(submission__form=form, submission__commune__isnull=True).count(),
    }


def _insert_commune_figures_in_sql(
    form: ReportForm,
    elements: list[DataElement],
    position: dict[int, int],
    months: list[Period],
    now: datetime.datetime,
) -> None:
    """The figures of commune_figure(), computed by PostgreSQL itself: 12 million rows never pass
    through Python (the stress set), only the communes', elements' and months' numbers do."""
    c_sql, c_params = values_list(sorted(position.items()), ["%s", "%s"])
    e_rows = [(element.pk, j // 2, j % 2) for j, element in enumerate(elements)]
    e_sql, e_params = values_list(e_rows, ["%s", "%s", "%s"])
    m_sql, m_params = values_list([(str(m), benchmark.month_index(m)) for m in months], ["%s", "%s"])
    received = "(20 + (c.n * 37 + e.pair * 11) %% 180 + mm.m %% 12)"  # %% : the modulo, not a placeholder
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {DataValue._meta.db_table}
                  (value, approved_value, comment, updated_at, element_id, submission_id)
                SELECT f.v, f.v, '', %s, f.eid, f.sid FROM (
                  SELECT s.id AS sid, e.eid AS eid,
                         CASE WHEN e.received = 1 THEN {received}
                              ELSE {received} * (30 + (c.n + 7 * e.pair + 3 * mm.m) %% 65) / 100 END AS v
                  FROM {Submission._meta.db_table} s
                  JOIN (VALUES {c_sql}) AS c (cid, n) ON c.cid = s.commune_id
                  JOIN (VALUES {m_sql}) AS mm (period, m) ON mm.period = s.period
                  CROSS JOIN (VALUES {e_sql}) AS e (eid, pair, received)
                  WHERE s.form_id = %s) f""",  # noqa: S608 - table names and placeholders only
            [now, *c_params, *m_params, *e_params, form.pk],
        )


def _province_cells(form: ReportForm) -> None:
    """Each province report's cell = the sum of its communes' approved figures (sum elements)."""
    sub, dv = Submission._meta.db_table, DataValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {dv} (value, approved_value, comment, updated_at, element_id, submission_id)
                SELECT SUM(v.approved_value), SUM(v.approved_value), '', MAX(v.updated_at), v.element_id, ps.id
                FROM {dv} v
                JOIN {sub} cs ON cs.id = v.submission_id AND cs.commune_id IS NOT NULL
                JOIN {sub} ps ON ps.province_id = cs.province_id AND ps.form_id = cs.form_id
                             AND ps.period = cs.period AND ps.commune_id IS NULL
                WHERE cs.form_id = %s
                GROUP BY v.element_id, ps.id""",  # noqa: S608 - table names only
            [form.pk],
        )


# -- the commune-scale measurements ----------------------------------------------------------------


def approval_seconds(*, samples: int, seed: int, form: ReportForm, communes: list[Commune]) -> list[float]:
    """Approval of one commune report -> its province's and the nation's figures updated, with a real
    worker: the province report's cells rolled up as tracker.reporting does on approval."""
    rng = random.Random(seed)
    element = DataElement.objects.get(code=f"{PREFIX}_X001")
    indicator = Indicator.objects.get(code=f"{PREFIX}_XI01")
    timings = []
    for _ in range(samples):
        commune = rng.choice(communes)
        period = rng.choice([COMMUNE_LAST, COMMUNE_LAST.previous()])
        submission = Submission.objects.get(commune=commune, form=form, period=str(period))
        before = timezone.now()
        with transaction.atomic():
            value = DataValue.objects.select_for_update().get(submission=submission, element=element)
            value.value = value.approved_value = (value.approved_value or 0) + 1
            value.save(update_fields=["value", "approved_value"])
            refresh_province_cells(commune.province, form, period)
        started = time.perf_counter()

        def fresh(before: datetime.datetime = before, period: Period = period) -> bool:
            return IndicatorValue.objects.filter(
                indicator=indicator, level="national", period=str(period), computed_at__gte=before
            ).exists()

        benchmark._wait(fresh, 60, poll=0.01)
        timings.append(time.perf_counter() - started)
        # The communes' tables follow in a transaction of their own: each approval is timed on an
        # idle worker, not behind the tail of the one before.
        benchmark._wait(lambda: not DirtyUnit.objects.exists(), 60, poll=0.01)
    return timings


def communes_report(
    report: Report, *, stress: bool, samples: int, seed: int, workers: bool, first: Period | None = None
) -> None:
    started = time.perf_counter()
    communes = ensure_communes()
    benchmark.generate(seed=seed, first=first or benchmark.FIRST_MONTH, last=benchmark.last_completed_month())
    elements, months = (
        (STRESS_ELEMENTS, months_between(COMMUNE_FROM, _plus_months(COMMUNE_FROM, STRESS_MONTHS - 1)))
        if stress
        else (20, months_between(COMMUNE_FROM, COMMUNE_LAST))
    )
    counts = generate_communes(elements=elements, months=months, communes=communes)
    benchmark.settle()
    report.add("database", f"{connection.vendor} {connection.settings_dict.get('NAME')}")
    report.add("commune data set", ", ".join(f"{v} {k}" for k, v in counts.items()))
    report.add("all approved figures in the database", str(DataValue.objects.count()))
    report.add("data sets ready in", f"{time.perf_counter() - started:.1f} s")

    # The floor's statement (VALUES with column names) is PostgreSQL's; SQLite only checks the flow.
    postgres = connection.vendor == "postgresql"
    repeats = 1 if stress else 3  # 12 million figures: one pass each is long enough
    floor_read, cells_read = (
        floor_seconds(per_unit=False, province_reports_only=True, repeats=repeats) if postgres else (0.0, 0)
    )
    floor_all, cells_all = floor_seconds(per_unit=False, repeats=repeats) if postgres else (0.0, 0)
    floor_cells, cells_cells = (
        floor_seconds(per_unit=False, repeats=repeats, commune_cells=True) if postgres else (0.0, 0)
    )
    report.add(
        "floor: GROUP BY of the province reports (what the recompute reads)",
        f"{floor_read:.2f} s ({cells_read} cells)" if postgres else "PostgreSQL only",
    )
    report.add(
        "floor: GROUP BY of every figure, commune reports included",
        f"{floor_all:.2f} s ({cells_all} cells)" if postgres else "PostgreSQL only",
    )
    report.add(
        "floor: the same, plus every commune's own cells (what the recompute writes)",
        f"{floor_cells:.2f} s ({cells_cells} cells)" if postgres else "PostgreSQL only",
    )
    _empty_tables()
    fill = run_command("--all")
    report.add("full recompute, empty tables (own process)", f"{fill['seconds']:.2f} s")
    report.add("  CPU of the whole machine meanwhile", str(benchmark.CpuUse.of(fill)))
    report.add("rows computed", f"{computed_rows()} province and national, {commune_rows()} commune")
    nightly = run_command("--all")
    report.add("full recompute, nothing changed (nightly)", f"{nightly['seconds']:.2f} s")
    report.add("  CPU of the whole machine meanwhile", str(benchmark.CpuUse.of(nightly)))
    for what, floor in (
        ("province reports", floor_read),
        ("every figure", floor_all),
        ("every figure and commune cell", floor_cells),
    ):
        report.add(
            f"  ratio to the floor of {what} (first fill / nightly)",
            f"{fill['seconds'] / floor:.1f}x / {nightly['seconds'] / floor:.1f}x (goal <= 3x)" if floor else "-",
        )
    report.add(
        "peak memory of the recompute process (maxrss)",
        f"{max(fill['peak_kib'], nightly['peak_kib']) / 1024:.0f} MiB (goal < 1024 MiB)",
    )
    label = "approval of a commune report -> figures, real worker"
    if not workers:
        report.add(label, "not measured (set REDIS_URL)")
    else:
        form = ReportForm.objects.get(code=COMMUNE_FORM)
        processes = _start_workers(1)
        try:
            from tracker.celery import app

            benchmark._wait(lambda: app.control.ping(timeout=0.5), 120)
            timings = approval_seconds(samples=samples, seed=seed, form=form, communes=communes)
        finally:
            _stop_workers(processes)
        report.add(
            f"{label} ({samples})",
            f"median {statistics.median(timings):.3f} s, p95 {p95(timings):.3f} s (goal < 1 s)",
        )


def _plus_months(period: Period, count: int) -> Period:
    for _ in range(count):
        period = period.next()
    return period
