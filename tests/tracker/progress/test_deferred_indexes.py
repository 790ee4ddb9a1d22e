"""A first fill builds the indicator-value indexes after the rows; an interrupted fill gets them back."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from provinces.models import Province
from tracker.progress import deferred_indexes, services
from tracker.progress.models import DirtyUnit, IndicatorValue, Level, RollupState
from tracker.progress.services import rollups_recompute_all

from .tables import index_definitions

pytestmark = [pytest.mark.django_db, pytest.mark.services]  # PostgreSQL DDL


def defer_now() -> bool:
    with transaction.atomic():
        return deferred_indexes.defer_if_empty(services._lock_state())


@pytest.fixture
def share(data_element_factory, indicator_factory):
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    return indicator_factory(
        code="DVC_ONLINE_SHARE", numerator="DVC_ONLINE", denominator="DVC_RECEIVED", factor=Decimal(100)
    )


@pytest.fixture
def figures(an_giang, monthly_reports, share):
    """Former An Giang and Kiên Giang in June 2025, the new An Giang in July."""
    former = {p.code: p for p in Province.objects.former()}
    monthly_reports.approved(former["89"], "2025-06", DVC_ONLINE=30, DVC_RECEIVED=40)
    monthly_reports.approved(former["91"], "2025-06", DVC_ONLINE=10, DVC_RECEIVED=30)
    monthly_reports.approved(an_giang, "2025-07", DVC_ONLINE=40, DVC_RECEIVED=80)
    return share


def test_deferring_drops_all_but_the_primary_key_and_rebuilding_restores_them_exactly(figures):
    # given: an empty table with the indexes the migrations made
    before = index_definitions()
    assert [name for name, _definition in before] == [
        "progress_indicator_value_national_unique",
        "progress_indicator_value_unique",
        "progress_indicatorvalue_pkey",
        "progress_indicatorvalue_province_id_6bee4668",
        "progress_iv_period_idx",
    ]

    # when
    dropped = defer_now()

    # then: only the primary key is left, and the statements to rebuild the rest are kept
    assert dropped is True
    assert [name for name, _definition in index_definitions()] == ["progress_indicatorvalue_pkey"]
    assert len(RollupState.objects.get().deferred_indexes) == 4

    # when
    with transaction.atomic():
        state = services._lock_state()
        with deferred_indexes.rebuilding(state, in_background=False):
            during = index_definitions()

    # then: built first (inside a caller's transaction), the constraints attached at the end
    assert len(during) == 5
    assert index_definitions() == before
    assert RollupState.objects.get().deferred_indexes == []


def test_a_full_run_on_an_empty_table_fills_it_with_the_indexes_back_and_the_right_figures(
    figures, an_giang, monkeypatch
):
    # given
    before = index_definitions()
    deferred = []
    defer = deferred_indexes.defer_if_empty
    monkeypatch.setattr(deferred_indexes, "defer_if_empty", lambda state: deferred.append(defer(state)))

    # when
    rollups_recompute_all()

    # then: the run filled the table without its indexes, then built them again
    assert deferred == [True]
    # and 2025 of the new An Giang = its predecessors' June + its own July, a ratio of sums
    assert index_definitions() == before
    assert RollupState.objects.get().deferred_indexes == []
    year = IndicatorValue.objects.get(indicator=figures, level=Level.PROVINCE, province=an_giang, period="2025")
    assert (year.numerator, year.denominator, year.value) == (Decimal(80), Decimal(150), Decimal("53.3333333333"))
    # and the unique constraint is enforced again
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.create(
            indicator=figures,
            level=Level.PROVINCE,
            province=an_giang,
            period="2025",
            periodicity="yearly",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            units_count=1,
            computed_at=timezone.now(),
        )


def test_a_fill_interrupted_after_dropping_the_indexes_gets_them_back_on_the_next_run(figures):
    # given: a fill that dropped the indexes and died before building them again
    before = index_definitions()
    assert defer_now() is True

    # when
    rollups_recompute_all()

    # then
    assert index_definitions() == before
    assert RollupState.objects.get().deferred_indexes == []
    assert IndicatorValue.objects.filter(indicator=figures, level=Level.NATIONAL, period="2025").count() == 1


def test_a_table_with_rows_keeps_its_indexes(figures):
    # given
    rollups_recompute_all()
    before = index_definitions()

    # when
    dropped = defer_now()

    # then
    assert dropped is False
    assert index_definitions() == before
    assert RollupState.objects.get().deferred_indexes == []


def test_an_approval_during_a_first_fill_waits_for_it_and_is_rolled_up_when_it_ends(
    figures, an_giang, monthly_reports, monkeypatch, django_capture_on_commit_callbacks
):
    # given: while the fill computes its years (its indexes dropped), An Giang's July is corrected
    # and approved, and the recompute of that approval runs
    compute_years = services._recompute_years
    during_fill = []

    def years_with_an_approval(*args):
        changed = compute_years(*args)
        monthly_reports.approved(an_giang, "2025-07", DVC_ONLINE=60, DVC_RECEIVED=80)
        DirtyUnit.objects.create(  # as the approval records it
            province=an_giang,
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2025, 7, 31),
            reason="figures_changed",
        )
        during_fill.append(services._recompute_dirty_batch())
        return changed

    monkeypatch.setattr(services, "_recompute_years", years_with_an_approval)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        rollups_recompute_all()

    # then: the approval's recompute left the change pending (the fill inserts rows unchecked) ...
    assert during_fill == [0]
    # ... and the end of the fill rolled it up: 2025 = June (30 + 10) / (40 + 30) + July 60 / 80
    assert not DirtyUnit.objects.exists()
    year = IndicatorValue.objects.get(indicator=figures, level=Level.PROVINCE, province=an_giang, period="2025")
    assert (year.numerator, year.denominator, year.value) == (Decimal(100), Decimal(150), Decimal("66.6666666667"))


def test_recomputing_one_unit_during_a_first_fill_leaves_it_to_the_sweep(figures, an_giang):
    # given: a first fill with its indexes dropped
    assert defer_now() is True

    # when
    changed = services.rollups_recompute_unit(
        province_id=an_giang.pk, period_start=datetime.date(2025, 7, 1), period_end=datetime.date(2025, 7, 31)
    )

    # then: nothing written beside the fill; the change waits as a dirty row
    assert changed == 0
    assert not IndicatorValue.objects.exists()
    assert list(DirtyUnit.objects.values_list("province_id", "period_start", "period_end")) == [
        (an_giang.pk, datetime.date(2025, 7, 1), datetime.date(2025, 7, 31))
    ]
