"""What bench_rollups measures besides wall time: the machine's CPU use, and settled tables."""

import io
import json
import time

import psutil
import pytest
from django.core.management import call_command
from django.db import connection

from kpis.periods import Period
from tracker.progress import benchmark
from tracker.progress.management.commands.recompute_rollups import busy_core_seconds
from tracker.reporting.models import DataValue


def test_cpu_use_says_how_much_of_the_machine_was_busy():
    # given: 9.6 core-seconds on 2 cores in 6 seconds
    use = benchmark.CpuUse(busy=9.6, cores=2, seconds=6.0)

    # then
    assert str(use) == "9.6 core-s of 2 cores x 6.00 s (80 % busy)"


def test_busy_core_seconds_count_the_work_of_the_machine():
    # given: work that keeps one core busy
    def spin():
        total = 0
        for number in range(3_000_000):
            total += number * number
        return total

    # when
    before, started = busy_core_seconds(), time.perf_counter()
    spin()
    busy, seconds = busy_core_seconds() - before, time.perf_counter() - started

    # then: at least the core it kept busy for most of its wall time, at most every core all along
    assert 0.5 * seconds <= busy <= (psutil.cpu_count() or 1) * seconds + 0.05


@pytest.mark.django_db
def test_the_recompute_reports_the_machine_cpu_it_used():
    # given: a month of the benchmark's figures
    benchmark.generate(seed=1, first=Period.month(2026, 9), last=Period.month(2026, 9))

    # when
    out = io.StringIO()
    call_command("recompute_rollups", "--all", "--json", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])

    # then
    assert result["cores"] == psutil.cpu_count()
    assert 0 <= result["cpu_busy"] <= result["cores"] * result["seconds"] + 0.05
    assert str(benchmark.CpuUse.of(result)).startswith(f"{result['cpu_busy']:.1f} core-s of {result['cores']} cores")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_settling_vacuums_the_figures_the_floors_and_recomputes_read():
    # given: a month of the benchmark's figures, just written
    benchmark.generate(seed=1, first=Period.month(2026, 9), last=Period.month(2026, 9))
    assert DataValue.objects.exists()

    # when
    benchmark.settle()

    # then: VACUUM marked the pages all-visible and ANALYZE counted the rows
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relallvisible, reltuples FROM pg_class WHERE oid = %s::regclass", [DataValue._meta.db_table]
        )
        all_visible, tuples = cursor.fetchone()
    assert all_visible > 0
    assert tuples == DataValue.objects.count()
