"""bench_rollups --communes and --workers, at a tiny size: the commune data set is consistent (a
province's cell is the sum of its communes' figures) and every figure is printed."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from kpis.periods import Period
from provinces.models import Province
from tests.factories import CommuneFactory
from tracker.progress import benchmark, benchmark_scale
from tracker.progress.models import IndicatorValue
from tracker.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_communes():
    """The benchmark's synthetic provinces; two communes in the first current one, one in the second."""
    current, _former = benchmark.ensure_provinces()
    return [
        CommuneFactory(code="00001", province=current[0]),
        CommuneFactory(code="00002", province=current[0]),
        CommuneFactory(code="00003", province=current[1]),
    ]


@pytest.fixture
def recompute_here(monkeypatch):
    """`recompute_rollups --json` in this process: a process of its own would not see the test database."""

    def run(*args):
        out = io.StringIO()
        call_command("recompute_rollups", "--json", *args, stdout=out)
        return json.loads(out.getvalue().strip().splitlines()[-1])

    monkeypatch.setattr(benchmark_scale, "run_command", run)


def test_a_province_cell_is_the_sum_of_its_communes_figures(three_communes):
    # when
    months = [Period.month(2025, 7), Period.month(2025, 8)]
    counts = benchmark_scale.generate_communes(elements=4, months=months, communes=three_communes)

    # then: 3 communes x 4 elements x 2 months, and 2 provinces x 4 elements x 2 months
    assert (counts["commune figures"], counts["province cells"]) == (24, 16)
    first = three_communes[0].province
    cell = DataValue.objects.get(
        submission__province=first,
        submission__commune__isnull=True,
        submission__period="2025-08",
        element__code="BENCH_X004",
    )
    # element 4 is the second pair's "received"; communes 0 and 1 of the list, month index of 2025-08
    month = benchmark.month_index(Period.month(2025, 8))
    assert cell.approved_value == (
        benchmark_scale.commune_figure(0, 1, month)[1] + benchmark_scale.commune_figure(1, 1, month)[1]
    )
    assert Submission.objects.filter(commune__isnull=True, form__code="BENCH_XA").count() == 4


def test_the_commune_benchmark_prints_its_figures(three_communes, recompute_here, settings):
    # when: the province-level set from 2026-10 only, and the three communes
    out = io.StringIO()
    call_command("bench_rollups", "--communes", "--from", "2026-10", stdout=out)

    # then
    lines = out.getvalue().split("== bench_rollups summary ==\n")[1].splitlines()
    labels = [
        "database",
        "commune data set",
        "all approved figures in the database",
        "data sets ready in",
        "floor: GROUP BY of the province reports (what the recompute reads)",
        "floor: GROUP BY of every figure, commune reports included",
        "floor: the same, plus every commune's own cells (what the recompute writes)",
        "full recompute, empty tables (own process)",
        "CPU of the whole machine meanwhile",
        "rows computed",
        "full recompute, nothing changed (nightly)",
        "CPU of the whole machine meanwhile",
        "ratio to the floor of province reports (first fill / nightly)",
        "ratio to the floor of every figure (first fill / nightly)",
        "ratio to the floor of every figure and commune cell (first fill / nightly)",
        "peak memory of the recompute process (maxrss)",
        "approval of a commune report -> figures, real worker",
    ]
    assert len(lines) == len(labels)
    assert all(line.strip().startswith(label) for line, label in zip(lines, labels, strict=True))
    # the approval is measured with a real worker only, which needs a broker
    assert lines[-1].endswith("not measured (set REDIS_URL)")
    assert "3 communes, 20 commune-level elements, 17 months, 51 commune reports, 1020 commune figures" in lines[1]
    # the commune tables' rows are counted apart
    rows = next(line for line in lines if line.startswith("rows computed"))
    assert benchmark_scale.commune_rows() > 0
    assert rows.endswith(f" province and national, {benchmark_scale.commune_rows()} commune")
    # the province figures of the commune-level indicators: 2025-07 to 2026-11 for two provinces
    assert (
        IndicatorValue.objects.filter(indicator__code="BENCH_XI01", level="province", periodicity="monthly").count()
        == 2 * 17
    )
    national = IndicatorValue.objects.get(indicator__code="BENCH_XI01", level="national", period="2025-07")
    month = benchmark.month_index(Period.month(2025, 7))
    assert national.denominator == sum(benchmark_scale.commune_figure(n, 0, month)[1] for n in range(3))
    assert Province.objects.count() == 97


@pytest.mark.parametrize("workers", ["one,two", "0"])
def test_a_bad_worker_count_is_refused(workers):
    with pytest.raises(CommandError, match="--workers"):
        call_command("bench_rollups", "--workers", workers)


def test_workers_need_a_broker():
    # in-process tasks (no REDIS_URL in the tests' settings) have no worker to share the run with
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("bench_rollups", "--workers", "1,2")
