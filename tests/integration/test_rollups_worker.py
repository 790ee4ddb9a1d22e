"""The roll-ups with real processes: a Celery worker on Redis, a worker killed half-way, a broker outage.

Each test runs its own redis-server on a spare port and its own workers (stopped in teardown);
the machine's shared services are never stopped.
"""

from decimal import Decimal

import pytest

from provinces.models import Province
from tests.factories import FormerProvinceFactory, ProvinceFactory
from tests.integration.processes import wait_for
from tests.tracker.progress.conftest import Reports
from tests.tracker.progress.tables import computed_tables, empty_computed_tables, index_definitions
from tracker.progress.models import ComputationChunk, ComputationRun, DirtyUnit, IndicatorValue, Level, RollupState
from tracker.progress.services import rollups_recompute_all
from tracker.reporting.models import Submission

pytestmark = [pytest.mark.integration, pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def figures(an_giang, ha_noi, data_element_factory, indicator_factory, report_form_factory):
    """Two years of monthly reports from An Giang's lineage, Hà Nội's and four more provinces'."""
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    share = indicator_factory(
        code="DVC_ONLINE_SHARE", numerator="DVC_ONLINE", denominator="DVC_RECEIVED", factor=Decimal(100)
    )
    for code in ("22", "24", "25", "26"):
        FormerProvinceFactory(code=code, successor=ProvinceFactory(code=code))
    reports = Reports(report_form_factory(code="BC_THANG"))
    for month in range(1, 25):
        year, m = 2024 + (month - 1) // 12, (month - 1) % 12 + 1
        units = Province.objects.former() if (year, m) < (2025, 7) else Province.objects.current()
        for unit in units:
            reports.approved(unit, f"{year}-{m:02d}", DVC_ONLINE=10 + m, DVC_RECEIVED=40)
    october = Submission.objects.get(province=an_giang, period="2025-10")
    return share, october


def october_share(share, an_giang):
    row = IndicatorValue.objects.filter(indicator=share, level=Level.PROVINCE, province=an_giang, period="2025-10")
    return row.values_list("value", flat=True).first()


def test_an_approval_reaches_the_figures_through_a_real_worker(stack, figures, an_giang):
    # given: figures rolled up, a worker running
    share, october = figures
    rollups_recompute_all()
    assert october_share(share, an_giang) == Decimal(50)
    stack.start_worker()

    # when: another process approves October's corrected figure (36 of 40 dossiers online)
    done = stack.run("approve", str(october.pk), "DVC_ONLINE", "36")

    # then
    assert (done.returncode, done.stdout.strip()) == (0, "approved"), done.stderr
    wait_for(lambda: october_share(share, an_giang) == Decimal(90), timeout=60, what="the new figure")
    wait_for(lambda: not DirtyUnit.objects.exists(), timeout=30, what="the dirty row to clear")
    national = IndicatorValue.objects.get(indicator=share, level=Level.NATIONAL, period="2025-10")
    assert national.numerator == Decimal(20 * 6 + 16)  # five provinces at 20 of 40, An Giang now 36
    assert RollupState.objects.get().last_incremental_at is not None


def test_a_worker_killed_half_way_through_a_recompute_is_redone_to_a_clean_result(stack, figures):
    # given: what a clean run (a first fill, indexes built after the rows) produces, then empty tables
    indexes = index_definitions()
    rollups_recompute_all()
    assert index_definitions() == indexes
    clean = computed_tables(with_identity=False)
    empty_computed_tables()
    ComputationRun.objects.all().delete()

    # when: the full run is split into chunk tasks; the worker, which pauses after each chunk, is
    # killed once its first chunk is committed (its other chunks are still queued)
    slow = stack.start_worker(PROGRESS_CHUNK_PAUSE_SECONDS="30")
    assert stack.run("enqueue", "recompute_all").returncode == 0
    wait_for(
        lambda: ComputationRun.objects.filter(kind="full", status="running", chunks_done__gte=1).exists(),
        timeout=90,
        what="the first chunk to be committed",
    )
    stack.kill_worker(slow)

    # then: half the tables, the fill state still pending, the indexes not yet built again
    assert computed_tables(with_identity=False) != clean
    assert DirtyUnit.objects.filter(province__isnull=True).exists()
    assert index_definitions() != indexes
    assert len(RollupState.objects.get().deferred_indexes) == 4

    # when: a new worker takes the queued chunks, and runs the periodic sweep (sent every few
    # seconds, as beat would), which leaves the run in progress alone
    stack.start_worker()

    def swept() -> bool:
        if DirtyUnit.objects.exists():
            assert stack.run("enqueue", "sweep_dirty").returncode == 0
            return False
        return True

    # then: the tables are exactly those of a clean run
    wait_for(swept, timeout=180, interval=5, what="the sweep to finish")
    assert computed_tables(with_identity=False) == clean
    assert index_definitions() == indexes
    assert RollupState.objects.get().deferred_indexes == []
    # the killed worker's run, finished by the other worker: every chunk committed once
    run = ComputationRun.objects.get(kind="full")
    assert (run.status, run.chunks_done) == ("done", run.chunks_total)
    assert not ComputationChunk.objects.filter(run=run, done_at__isnull=True).exists()
    assert len(set(ComputationChunk.objects.filter(run=run).values_list("worker", flat=True))) == 2


def test_an_approval_during_a_broker_outage_succeeds_and_the_sweep_catches_up(stack, figures, an_giang, redis_server):
    # given
    share, october = figures
    rollups_recompute_all()
    stack.start_worker()

    # when: Redis goes down and October's correction is approved meanwhile
    redis_server.stop()
    done = stack.run("approve", str(october.pk), "DVC_ONLINE", "36")

    # then: the approval stands, the change is pending, the figures are not updated yet
    assert (done.returncode, done.stdout.strip()) == (0, "approved"), done.stderr
    assert "the periodic sweep will" in done.stderr
    assert Submission.objects.get(pk=october.pk).status == Submission.Status.APPROVED
    assert DirtyUnit.objects.count() == 1
    assert october_share(share, an_giang) == Decimal(50)

    # when: Redis is back and beat sends the sweep
    redis_server.start()
    assert stack.run("enqueue", "sweep_dirty").returncode == 0

    # then
    wait_for(lambda: october_share(share, an_giang) == Decimal(90), timeout=120, what="the sweep")
    # the figures commit before the dirty rows go (the communes' transaction), as in the test above
    wait_for(lambda: not DirtyUnit.objects.exists(), timeout=30, what="the dirty row to clear")
