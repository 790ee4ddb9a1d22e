"""Dirty tracking and tasks: written with the change, enqueued on commit, idempotent, crash-safe."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from provinces.models import Province
from tracker.progress import services, tasks
from tracker.progress.models import ComputationRun, DirtyUnit, IndicatorValue, Level, RollupState
from tracker.progress.services import figures_changed, rollups_catalogue_changed, rollups_recompute_all
from tracker.reporting.models import DataValue, Submission

from .tables import computed_tables, empty_computed_tables

OCTOBER = (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))


@pytest.fixture
def catalogue(data_element_factory, indicator_factory, target_factory):
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    share = indicator_factory(
        code="DVC_ONLINE_SHARE", numerator="DVC_ONLINE", denominator="DVC_RECEIVED", factor=Decimal(100)
    )
    target_factory(indicator=share, value=Decimal(80), deadline=datetime.date(2030, 12, 31))
    return share


@pytest.fixture
def figures(an_giang, ha_noi, monthly_reports, catalogue):
    """Two years of An Giang's and Hà Nội's reports, across the merger."""
    former = {p.code: p for p in Province.objects.former()}
    for month in range(1, 13):
        monthly_reports.approved(former["89"], f"2024-{month:02d}", DVC_ONLINE=10 + month, DVC_RECEIVED=40)
        monthly_reports.approved(former["91"], f"2024-{month:02d}", DVC_ONLINE=5 + month, DVC_RECEIVED=30)
        monthly_reports.approved(former["01"], f"2024-{month:02d}", DVC_ONLINE=50, DVC_RECEIVED=100)
    for month in range(7, 13):
        monthly_reports.approved(an_giang, f"2025-{month:02d}", DVC_ONLINE=40, DVC_RECEIVED=80)
        monthly_reports.approved(ha_noi, f"2025-{month:02d}", DVC_ONLINE=70, DVC_RECEIVED=100)
    return catalogue


def october_value(share, an_giang):
    return IndicatorValue.objects.get(indicator=share, level=Level.PROVINCE, province=an_giang, period="2025-10").value


def approve_correction(an_giang, online):
    """What tracker.reporting does on approval: new official figures and the seam, in one transaction."""
    submission = Submission.objects.get(province=an_giang, period="2025-10")
    with transaction.atomic():
        DataValue.objects.filter(submission=submission, element__code="DVC_ONLINE").update(
            value=online, approved_value=online
        )
        figures_changed(province_id=an_giang.pk, period_start=OCTOBER[0], period_end=OCTOBER[1])


@pytest.mark.django_db
def test_a_change_is_recorded_in_the_callers_transaction_and_enqueued_on_commit(
    an_giang, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        figures_changed(province_id=an_giang.pk, period_start=OCTOBER[0], period_end=OCTOBER[1])
        assert list(DirtyUnit.objects.values_list("province_id", "period_start", "period_end")) == [
            (an_giang.pk, *OCTOBER)
        ]

    assert callbacks == [services.enqueue_recompute]


@pytest.mark.django_db
def test_a_change_rolled_back_leaves_nothing_dirty(an_giang, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        figures_changed(province_id=an_giang.pk, period_start=OCTOBER[0], period_end=OCTOBER[1])
        raise RuntimeError("approval refused")

    assert (DirtyUnit.objects.count(), callbacks) == (0, [])


@pytest.mark.django_db
def test_an_approval_updates_the_figures_once_committed(figures, an_giang, django_capture_on_commit_callbacks):
    # given
    rollups_recompute_all()
    assert october_value(figures, an_giang) == Decimal(50)

    # when: October's online dossiers corrected from 40 to 60 of 80
    with django_capture_on_commit_callbacks(execute=True):
        approve_correction(an_giang, 60)

    # then
    assert october_value(figures, an_giang) == Decimal(75)
    # the nation's fourth quarter: (60 + 40 + 40 + 3·70) / (3·80 + 3·100) = 350 / 540
    assert IndicatorValue.objects.get(indicator=figures, level=Level.NATIONAL, period="2025-Q4").value == Decimal(
        "64.8148148148"
    )
    assert DirtyUnit.objects.count() == 0
    assert RollupState.objects.get().last_incremental_at is not None
    run = ComputationRun.objects.get(kind=ComputationRun.Kind.INCREMENTAL)
    assert (run.status, run.dirty_processed) == ("done", 1)


@pytest.mark.django_db
def test_a_dead_broker_does_not_fail_the_approval_and_the_sweep_catches_up(
    figures, an_giang, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    # given
    rollups_recompute_all()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.recompute_dirty, "apply_async", broker_down)

    # when: the approval commits while the broker is down
    with django_capture_on_commit_callbacks(execute=True):
        approve_correction(an_giang, 60)

    # then: it stands, the change waits, and the sweep brings the figures up to date
    assert (
        DataValue.objects.get(
            submission__province=an_giang, submission__period="2025-10", element__code="DVC_ONLINE"
        ).approved_value
        == 60
    )
    assert "the periodic sweep will" in caplog.text
    assert (october_value(figures, an_giang), DirtyUnit.objects.count()) == (Decimal(50), 1)
    assert tasks.sweep_dirty.delay().get() == 1
    assert (october_value(figures, an_giang), DirtyUnit.objects.count()) == (Decimal(75), 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task", "args"),
    [
        (tasks.recompute_all, ()),
        (tasks.recompute_dirty, ()),
        (tasks.sweep_dirty, ()),
        (tasks.recompute_unit, ("AN_GIANG", "2025-10-01", "2025-10-31")),
    ],
    ids=["recompute_all", "recompute_dirty", "sweep_dirty", "recompute_unit"],
)
def test_every_task_run_twice_leaves_identical_tables(figures, an_giang, task, args):
    # given: figures rolled up, then a correction recorded but not yet rolled up
    rollups_recompute_all()
    DataValue.objects.filter(
        submission__province=an_giang, submission__period="2025-10", element__code="DVC_ONLINE"
    ).update(approved_value=65)
    DirtyUnit.objects.create(province=an_giang, period_start=OCTOBER[0], period_end=OCTOBER[1])
    args = tuple(an_giang.pk if a == "AN_GIANG" else a for a in args)

    # when
    task.delay(*args).get()
    first = computed_tables()
    task.delay(*args).get()

    # then
    assert computed_tables() == first
    assert IndicatorValue.objects.get(indicator=figures, province=an_giang, period="2025-10").numerator == 65


@pytest.mark.django_db(transaction=True)
def test_a_full_recompute_that_dies_half_way_is_redone_by_the_sweep(figures, monkeypatch):
    # given: what a clean run produces
    rollups_recompute_all()
    clean = computed_tables(with_identity=False)
    empty_computed_tables()

    # when: the run dies after its first year is committed
    def die():
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "_pause_between_years", die)
    with pytest.raises(SystemExit):
        rollups_recompute_all()
    half = computed_tables(with_identity=False)
    monkeypatch.undo()

    # then: its fill-state row is still pending, and the sweep finishes the job
    assert half != clean
    assert DirtyUnit.objects.filter(province__isnull=True).count() == 1
    runs = ComputationRun.objects.filter(kind=ComputationRun.Kind.FULL).order_by("id")
    assert [(run.status, run.chunks_done < run.chunks_total) for run in runs] == [("done", False), ("running", True)]
    tasks.sweep_dirty.delay().get()
    assert computed_tables(with_identity=False) == clean
    assert DirtyUnit.objects.count() == 0
    assert [run.status for run in runs.all()] == ["done", "abandoned", "done"]


@pytest.mark.django_db(transaction=True)
def test_an_incremental_recompute_that_fails_changes_nothing_and_stays_pending(figures, an_giang, monkeypatch):
    # given
    rollups_recompute_all()
    DataValue.objects.filter(
        submission__province=an_giang, submission__period="2025-10", element__code="DVC_ONLINE"
    ).update(approved_value=65)
    DirtyUnit.objects.create(province=an_giang, period_start=OCTOBER[0], period_end=OCTOBER[1])
    before = computed_tables()

    # when: it fails after writing the indicator values
    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "write_target_progress", fail)
    with pytest.raises(RuntimeError):
        services.rollups_recompute_dirty()
    monkeypatch.undo()

    # then
    assert computed_tables() == before
    assert DirtyUnit.objects.count() == 1
    services.rollups_recompute_dirty()
    assert october_value(figures, an_giang) == Decimal("81.25")


@pytest.mark.django_db
def test_a_catalogue_change_recomputes_everything(figures, an_giang, django_capture_on_commit_callbacks):
    # given
    rollups_recompute_all()

    # when: the formula changes from a percentage to a ratio, and the admin says so
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        figures.factor = Decimal(1)
        figures.save()
        rollups_catalogue_changed(reason="DVC_ONLINE_SHARE formula")

    # then
    assert october_value(figures, an_giang) == Decimal("0.5")
    assert DirtyUnit.objects.count() == 0
