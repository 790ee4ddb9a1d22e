"""A national-scale roll-up benchmark: data set, timings, memory, and the GROUP BY floor.

The data set: 63 former units reporting monthly from 2020-01 to June 2025, 34 current units
from July 2025 to the last completed month (synthetic units when the database has none), a
synthetic catalogue of 100 data elements (92 monthly, 8 yearly DTI-like components), 46 ratio
indicators (flows, stocks and averages), 8 index components and a composite index, and a
national target per ratio indicator. Everything the benchmark creates is named BENCH_*, so it
can run next to a real catalogue; still, give it a database of its own.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psutil
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from kpis.models import (
    CompositeIndex,
    CompositeIndexComponent,
    CompositeIndexVersion,
    DataElement,
    Directive,
    Indicator,
    ReportForm,
    ReportFormElement,
    Target,
)
from kpis.periods import Period, months_between
from provinces.models import MERGER_DATE, Province
from seeds.demo_facts import unit_facts
from seeds.demo_series import Series, month_index, share, wave
from tracker.progress.models import DirtyUnit, IndexScore, IndicatorValue, ReportingRate, Standing, TargetProgress
from tracker.progress.scope import Lineage, periods_of_year
from tracker.progress.services import figures_changed
from tracker.progress.sql import Dialect, values_list
from tracker.reporting.models import DataValue, Submission

PREFIX = "BENCH"
MONTHLY_ELEMENTS = 92
DTI_WEIGHTS = [100, 100, 100, 100, 100, 200, 150, 150]
FIRST_MONTH = Period.month(2020, 1)


def last_completed_month() -> Period:
    return Period.month(timezone.localdate().year, timezone.localdate().month).previous()


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)

    def add(self, label: str, value: str) -> None:
        line = f"{label:<58} {value}"
        self.lines.append(line)
        print(line, flush=True)


# -- data set --------------------------------------------------------------------------------------


def ensure_provinces() -> tuple[list[Province], list[Province]]:
    current = list(Province.objects.current().order_by("code"))
    former = list(Province.objects.former().order_by("code"))
    if not current and not former:
        current = [
            Province.objects.create(code=f"{i:02d}", name=f"Tỉnh {i:02d}", kind="tinh", valid_from=MERGER_DATE)
            for i in range(1, 35)
        ]
        former = [
            Province.objects.create(
                code=f"{i:02d}",
                name=f"Tỉnh {i:02d} (cũ)",
                kind="tinh",
                valid_from=datetime.date(2008, 8, 1),
                valid_to=MERGER_DATE - datetime.timedelta(days=1),
                successor=current[(i - 1) % 34],
            )
            for i in range(1, 64)
        ]
    if (len(current), len(former)) != (34, 63):
        raise RuntimeError(f"Expected 34 current and 63 former units, found {len(current)} and {len(former)}.")
    return current, former


def ensure_catalogue() -> tuple[ReportForm, ReportForm]:
    directive, _ = Directive.objects.get_or_create(
        code="bench", defaults={"kind": Directive.Kind.DECISION, "title": "Benchmark"}
    )
    monthly, _ = ReportForm.objects.get_or_create(code=f"{PREFIX}_M", defaults={"name": "Benchmark monthly"})
    yearly, _ = ReportForm.objects.get_or_create(
        code=f"{PREFIX}_Y", defaults={"name": "Benchmark yearly", "periodicity": "yearly"}
    )
    rules = [("sum", "sum"), ("last", "sum"), ("average", "mean")]
    for k in range(1, MONTHLY_ELEMENTS // 2 + 1):
        time_rule, space_rule = rules[k % 3]
        codes = []
        for j in (2 * k - 1, 2 * k):
            element, _ = DataElement.objects.get_or_create(
                code=f"{PREFIX}_E{j:03d}",
                defaults={
                    "name": f"Benchmark element {j}",
                    "value_type": "integer",
                    "time_aggregation": time_rule,
                    "space_aggregation": space_rule,
                },
            )
            ReportFormElement.objects.get_or_create(form=monthly, element=element, defaults={"order": j})
            codes.append(element.code)
        indicator, _ = Indicator.objects.get_or_create(
            code=f"{PREFIX}_I{k:02d}",
            defaults={
                "name": f"Benchmark indicator {k}",
                "numerator": codes[0],
                "denominator": codes[1],
                "factor": Decimal(100),
                "natural_limit": Decimal(100),
            },
        )
        Target.objects.get_or_create(
            indicator=indicator,
            province=None,
            deadline=datetime.date(2030, 12, 31),
            source=directive,
            defaults={"value": Decimal(90), "baseline_period": "2020"},
        )
    index, _ = CompositeIndex.objects.get_or_create(
        code=f"{PREFIX}_DTI", defaults={"name": "Benchmark DTI", "source": directive}
    )
    version, _ = CompositeIndexVersion.objects.get_or_create(
        index=index, valid_from="2020", defaults={"divisor": Decimal(1000)}
    )
    for position, weight in enumerate(DTI_WEIGHTS, start=1):
        element, _ = DataElement.objects.get_or_create(
            code=f"{PREFIX}_DTI{position}",
            defaults={
                "name": f"Benchmark DTI component {position}",
                "value_type": "decimal",
                "time_aggregation": "last",
                "space_aggregation": "mean",
            },
        )
        ReportFormElement.objects.get_or_create(form=yearly, element=element, defaults={"order": position})
        indicator, _ = Indicator.objects.get_or_create(
            code=f"{PREFIX}_DTI{position}",
            defaults={"name": f"DTI {position}", "numerator": element.code, "periodicity": "yearly"},
        )
        CompositeIndexComponent.objects.get_or_create(
            version=version, indicator=indicator, defaults={"weight": Decimal(weight), "order": position}
        )
    return monthly, yearly


def _reporting_periods(
    current: list[Province], former: list[Province], periods: list[Period]
) -> Iterator[tuple[Province, Period]]:
    for period in periods:
        for unit in former if period.end < MERGER_DATE else current:
            yield unit, period


def _submissions(form: ReportForm, pairs: list[tuple[Province, Period]]) -> list[Submission]:
    rows = []
    for unit, period in pairs:
        moment = timezone.make_aware(
            datetime.datetime.combine(period.end + datetime.timedelta(days=3), datetime.time(9))
        )
        rows.append(
            Submission(
                province=unit,
                form=form,
                period=str(period),
                period_start=period.start,
                period_end=period.end,
                status=Submission.Status.APPROVED,
                has_official_values=True,
                submitted_at=moment,
                first_submitted_at=moment,
                approved_at=moment,
            )
        )
    return Submission.objects.bulk_create(rows, batch_size=2000)


def _values(submissions: list[Submission], elements: list[DataElement], series: Series) -> Iterator[tuple]:
    """Pairs of (share of a flow, the flow), sized by each unit's population and moving at its own
    pace: the demo generator's figures (seeds.demo_series), on the benchmark's synthetic elements."""
    now = timezone.now()
    for submission in submissions:
        facts = series.facts[submission.province_id]
        profile = series.profiles[facts.profile_code]
        period = Period.parse(submission.period)
        m = month_index(period)
        for position in range(0, len(elements) - 1, 2):
            pair = position // 2
            size = facts.population / (400 + 60 * pair) * wave(f"{facts.key}|{pair}", m, 0.04)
            denominator = max(1, int(size))
            numerator = int(denominator * share(profile, m, 0.3 + 0.01 * (pair % 20), 0.97))
            for element, value in ((elements[position], numerator), (elements[position + 1], denominator)):
                yield (value, value, "", now, element.pk, submission.pk)


def _dti_values(submissions: list[Submission], elements: list[DataElement], series: Series) -> Iterator[tuple]:
    now = timezone.now()
    for submission in submissions:
        facts = series.facts[submission.province_id]
        profile = series.profiles[facts.profile_code]
        m = month_index(Period.parse(submission.period).months()[-1])
        for offset, element in enumerate(elements):
            value = Decimal(str(round(share(profile, m, 0.35 + 0.02 * offset, 0.9, 0.35), 4)))
            yield (value, value, "", now, element.pk, submission.pk)


def _insert_values(rows: Iterator[tuple]) -> int:
    count = 0
    columns = "value, approved_value, comment, updated_at, element_id, submission_id"
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {DataValue._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch: list[DataValue] = []
    for value, approved, comment, updated, element_id, submission_id in rows:
        batch.append(
            DataValue(
                value=value,
                approved_value=approved,
                comment=comment,
                updated_at=updated,
                element_id=element_id,
                submission_id=submission_id,
            )
        )
        if len(batch) == 5000:
            DataValue.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    DataValue.objects.bulk_create(batch)
    return count + len(batch)


def generate(*, seed: int, first: Period, last: Period) -> dict[str, int]:
    """Create the data set unless it is already there; returns counts of what exists."""
    current, former = ensure_provinces()
    monthly, yearly = ensure_catalogue()
    if not Submission.objects.filter(form=monthly).exists():
        # One generator for the demo and the benchmarks; `seed` is kept for the command line,
        # the figures are keyed by unit and period so that any subset is reproducible.
        series = Series(unit_facts(current, former))
        months = months_between(first, last)
        monthly_elements = list(DataElement.objects.filter(code__startswith=f"{PREFIX}_E").order_by("code"))
        with transaction.atomic():
            subs = _submissions(monthly, list(_reporting_periods(current, former, months)))
            _insert_values(_values(subs, monthly_elements, series))
            years = [Period.of_year(y) for y in range(first.year, last.year) if Period.of_year(y).end <= last.end]
            dti_elements = list(DataElement.objects.filter(code__startswith=f"{PREFIX}_DTI").order_by("code"))
            yearly_subs = _submissions(yearly, list(_reporting_periods(current, former, years)))
            _insert_values(_dti_values(yearly_subs, dti_elements, series))
    return {
        "current units": len(current),
        "former units": len(former),
        "data elements": DataElement.objects.filter(code__startswith=PREFIX).count(),
        "indicators": Indicator.objects.filter(code__startswith=PREFIX).count(),
        "submissions": Submission.objects.filter(form__in=[monthly, yearly]).count(),
        "data values": DataValue.objects.filter(submission__form__in=[monthly, yearly]).count(),
    }


# -- measurements ----------------------------------------------------------------------------------


def floor_seconds(
    *,
    per_unit: bool,
    serial: bool = False,
    repeats: int = 3,
    province_reports_only: bool = False,
    commune_cells: bool = False,
) -> tuple[float, int]:
    """The raw GROUP BY over the same figures into the same (unit, element, period) cells the engine
    fills (every level: former units, current units with their predecessors, the nation), or only
    per reporting unit. Best of `repeats`. PostgreSQL runs it with parallel workers unless `serial`
    (the engine's statements write temporary tables, which PostgreSQL never parallelises).
    `province_reports_only`: leave commune reports out (the engine reads their province's cells).
    `commune_cells`: also group the commune reports into each commune's own cells, which the
    engine fills too (CommuneIndicatorValue)."""
    dialect = Dialect(connection)
    first = Submission.objects.order_by("period_start").values_list("period_start", flat=True).first()
    last = Submission.objects.aggregate(last=Max("period_end"))["last"]
    if first is None or last is None:
        return 0.0, 0
    periods = [p for year in range(first.year, last.year + 1) for p in periods_of_year(year)]
    p_sql, p_params = values_list(
        [(str(p), dialect.date(p.start), dialect.date(p.end)) for p in periods],
        ["%s", dialect.date_placeholder, dialect.date_placeholder],
    )
    lineage = Lineage.load()
    if per_unit:
        target, join, params = "s.province_id", "", list(p_params)
    else:
        members = lineage.members(lineage.all_keys())
        m_sql, m_params = values_list([(m.key.level, m.key.sql_id, m.unit.id) for m in members], ["%s"] * 3)
        target = "m.level, m.tgt"
        join = f"JOIN (VALUES {m_sql}) AS m (level, tgt, u) ON m.u = s.province_id"
        params = [*p_params, *m_params]
    commune_groups = ""
    if commune_cells:
        # the same columns as the groups above: (level, target) or the reporting unit
        unit = "'commune', s.commune_id" if not per_unit else "s.commune_id"
        commune_groups = f"""UNION ALL
          SELECT {unit}, dv.element_id, p.pkey, SUM(dv.approved_value)
          FROM {DataValue._meta.db_table} dv
          JOIN {Submission._meta.db_table} s ON s.id = dv.submission_id
          JOIN (VALUES {p_sql}) AS p (pkey, ps, pe) ON s.period_start >= p.ps AND s.period_end <= p.pe
          WHERE dv.approved_value IS NOT NULL AND s.commune_id IS NOT NULL
          GROUP BY s.commune_id, dv.element_id, p.pkey"""  # noqa: S608 - constants and placeholders only
        params = [*params, *p_params]
    sql = f"""
        SELECT COUNT(*) FROM (
          SELECT {target}, dv.element_id, p.pkey, SUM(dv.approved_value)
          FROM {DataValue._meta.db_table} dv
          JOIN {Submission._meta.db_table} s ON s.id = dv.submission_id
          JOIN (VALUES {p_sql}) AS p (pkey, ps, pe) ON s.period_start >= p.ps AND s.period_end <= p.pe
          {join}
          WHERE dv.approved_value IS NOT NULL {"AND s.commune_id IS NULL" if province_reports_only else ""}
          GROUP BY {target}, dv.element_id, p.pkey
          {commune_groups}) cells
    """  # noqa: S608 - constants and placeholders only
    best, cells = float("inf"), 0
    for _ in range(repeats):
        with transaction.atomic(), connection.cursor() as cursor:
            dialect.prepare(cursor)
            if dialect.is_postgres:
                # PostgreSQL's best case: enough memory to hash every group.
                cursor.execute("SET LOCAL work_mem = '512MB'")
                if serial:
                    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            started = time.perf_counter()
            cursor.execute(sql, params)
            cells = cursor.fetchone()[0]
            best = min(best, time.perf_counter() - started)
    return best, cells


def settle() -> None:
    """VACUUM ANALYZE the reports and figures (PostgreSQL, outside a transaction), so that the floors
    and the recomputes read the same settled tables. Autovacuum would otherwise visit a data set just
    written about a minute later, in the middle of the measurements, and slow whichever it met: on
    one machine, floor 1.59 s and first fill 6.84 s right after generating; 1.40 s and 5.84 s on the
    same tables settled. A production database's figures have long been vacuumed."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {DataValue._meta.db_table}, {Submission._meta.db_table}")


@dataclass(frozen=True)
class CpuUse:
    """How busy the whole machine's CPUs were while a recompute ran (`recompute_rollups --json`): its
    process, its threads and the database's backends alike, so measure on an idle machine."""

    busy: float  # core-seconds
    cores: int
    seconds: float  # wall time

    @classmethod
    def of(cls, result: dict[str, Any]) -> CpuUse:
        return cls(result["cpu_busy"], result["cores"], result["seconds"])

    def __str__(self) -> str:
        capacity = self.cores * self.seconds
        share = 100 * self.busy / capacity if capacity else 0.0
        return f"{self.busy:.1f} core-s of {self.cores} cores x {self.seconds:.2f} s ({share:.0f} % busy)"


def run_command(*args: str) -> dict[str, Any]:
    """`manage.py recompute_rollups` in a process of its own, as a worker would run it."""
    output = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "recompute_rollups", "--json", *args],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def empty_tables(models: Sequence[type[Model]]) -> None:
    """Computed tables emptied for a first fill: truncated on PostgreSQL, so that a benchmark run
    again on the same database fills tables without the dead rows of the last run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in models)}")
        return
    for model in models:
        model._default_manager.all().delete()


def computed_rows() -> int:
    return sum(m.objects.count() for m in (IndicatorValue, TargetProgress, Standing, IndexScore, ReportingRate))


def _approve_one(rng: random.Random, current: list[Province], last: Period) -> tuple[Province, Period]:
    """A correction of one figure, committed with its dirty row, as tracker.reporting approves."""
    province = rng.choice(current)
    period = rng.choice([last, last.previous(), last.previous().previous()])
    submission = Submission.objects.get(province=province, form__code=f"{PREFIX}_M", period=str(period))
    with transaction.atomic():
        value = DataValue.objects.select_for_update().get(submission=submission, element__code=f"{PREFIX}_E001")
        value.value = value.approved_value = (value.approved_value or 0) + 1
        value.save(update_fields=["value", "approved_value"])
        figures_changed(province_id=province.pk, period_start=period.start, period_end=period.end)
    return province, period


def incremental_seconds(*, samples: int, seed: int) -> list[float]:
    """Approval committed -> figures recomputed, in-process (the recompute runs on commit)."""
    from tracker.celery import app

    current, _ = ensure_provinces()
    rng = random.Random(seed)
    last = last_completed_month()
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        timings = []
        for _ in range(samples):
            started = time.perf_counter()
            _approve_one(rng, current, last)
            timings.append(time.perf_counter() - started)
        return timings
    finally:
        app.conf.task_always_eager = saved


def worker_seconds(*, samples: int, seed: int) -> tuple[list[float], int]:
    """Approval committed -> figures visible, with a real Celery worker on REDIS_URL; and the worker's
    peak resident memory (bytes) sampled while it worked."""
    from tracker.celery import app

    if app.conf.task_always_eager:
        raise RuntimeError("Set REDIS_URL: the worker measurement needs a broker.")
    DirtyUnit.objects.all().delete()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tracker", "worker", "-P", "solo", "-c", "1", "--loglevel=WARNING"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    peak = 0
    try:
        process = psutil.Process(worker.pid)
        _wait(lambda: app.control.ping(timeout=0.5), 60)
        current, _ = ensure_provinces()
        rng = random.Random(seed)
        last = last_completed_month()
        indicator = Indicator.objects.get(code=f"{PREFIX}_I01")
        timings = []
        for _ in range(samples):
            before = timezone.now()
            province, period = _approve_one(rng, current, last)
            started = time.perf_counter()

            def fresh(
                province: Province = province, period: Period = period, before: datetime.datetime = before
            ) -> bool:
                return IndicatorValue.objects.filter(
                    indicator=indicator, province=province, period=str(period), computed_at__gte=before
                ).exists()

            _wait(fresh, 60, poll=0.01)
            timings.append(time.perf_counter() - started)
            peak = max(peak, process.memory_info().rss)
        return timings, peak
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def _wait(condition: Callable[[], Any], timeout: float, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("The benchmark waited too long.")
        time.sleep(poll)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def run(*, samples: int, seed: int, worker: bool, first: Period | None = None) -> Report:
    report = Report()
    last = last_completed_month()
    started = time.perf_counter()
    counts = generate(seed=seed, first=first or FIRST_MONTH, last=last)
    settle()
    report.add("database", f"{connection.vendor} {connection.settings_dict.get('NAME')}")
    report.add("data set", ", ".join(f"{v} {k}" for k, v in counts.items()))
    report.add("data set ready in", f"{time.perf_counter() - started:.1f} s")

    floor_all, cells_all = floor_seconds(per_unit=False)
    floor_serial, _cells = floor_seconds(per_unit=False, serial=True)
    floor_unit, cells_unit = floor_seconds(per_unit=True)
    report.add("floor: GROUP BY into every level's cells (best of 3)", f"{floor_all:.2f} s ({cells_all} cells)")
    report.add("  the same without parallel workers", f"{floor_serial:.2f} s")
    report.add("floor: GROUP BY per reporting unit only (best of 3)", f"{floor_unit:.2f} s ({cells_unit} cells)")

    empty_tables([IndicatorValue, TargetProgress, Standing, IndexScore, ReportingRate])
    fill = run_command("--all")
    report.add("full recompute, empty tables (own process)", f"{fill['seconds']:.2f} s")
    report.add("  CPU of the whole machine meanwhile", str(CpuUse.of(fill)))
    report.add("rows computed", str(computed_rows()))
    if floor_all and floor_serial:
        report.add(
            "  ratio to the every-level floor (parallel / serial)",
            f"{fill['seconds'] / floor_all:.1f}x / {fill['seconds'] / floor_serial:.1f}x",
        )
    report.add("peak memory of the recompute process (RSS)", f"{fill['peak_kib'] / 1024:.0f} MiB")
    nightly = run_command("--all")
    report.add(
        "full recompute again, nothing changed (nightly)",
        f"{nightly['seconds']:.2f} s, {nightly['count']} rows changed",
    )
    report.add("  CPU of the whole machine meanwhile", str(CpuUse.of(nightly)))
    if floor_all and floor_serial:
        report.add(
            "  ratio to the every-level floor (parallel / serial)",
            f"{nightly['seconds'] / floor_all:.1f}x / {nightly['seconds'] / floor_serial:.1f}x",
        )

    timings = incremental_seconds(samples=samples, seed=seed)
    report.add(
        f"approval -> figures, in-process ({samples} approvals)",
        f"median {statistics.median(timings):.3f} s, p95 {p95(timings):.3f} s, max {max(timings):.3f} s",
    )
    if worker:
        timings, peak = worker_seconds(samples=samples, seed=seed + 1)
        report.add(
            f"approval -> figures, real Celery worker ({samples} approvals)",
            f"median {statistics.median(timings):.3f} s, p95 {p95(timings):.3f} s, max {max(timings):.3f} s",
        )
        report.add("peak memory of the worker (RSS, sampled)", f"{peak / 2**20:.0f} MiB")
    report.add(
        "peak memory of this process (RSS)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print("\n== bench_rollups summary ==\n" + "\n".join(report.lines), flush=True)
    return report
