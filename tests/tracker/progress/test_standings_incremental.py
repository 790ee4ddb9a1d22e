"""The incremental path (one approval at a time) keeps exactly the standings a full recompute stores:
same rows, same statuses, same values to the 10 decimals kept, whatever the order of the approvals."""

import datetime
import random
from decimal import Decimal

import pytest

from kpis.periods import Period
from provinces.models import Province
from tracker.progress.models import Standing, TargetProgress
from tracker.progress.services import figures_changed, rollups_recompute_all, rollups_recompute_dirty

from .tables import empty_computed_tables

pytestmark = pytest.mark.django_db

# (former unit code, period, online, received, people): Hải Phòng with a gap (2024-03), a value beyond
# the natural limit (2024-07: 120 of 100) and values after the 2024 deadline; Cao Bằng with fewer.
REPORTS = [
    ("31", "2024-01", 50, 100, 10),
    ("31", "2024-02", 55, 100, 12),
    ("31", "2024-04", 60, 100, 11),
    ("31", "2024-05", 62, 100, 15),
    ("31", "2024-07", 120, 100, 16),
    ("31", "2024-11", 79, 100, 18),
    ("31", "2024-12", 81, 100, 17),
    ("31", "2025-01", 78, 100, 21),
    ("31", "2025-03", 85, 100, 20),
    ("04", "2024-01", 40, 100, 5),
    ("04", "2024-02", 44, 100, 4),
    ("04", "2024-03", 50, 100, 6),
    ("04", "2024-12", 70, 100, 9),
    ("04", "2025-02", 0, 100, 0),
]
# approved again later with other figures: an early month, the deadline's month, the last month
CORRECTIONS = [("31", "2024-02", 30, 100, 14), ("04", "2024-12", 82, 100, 9), ("31", "2025-03", 99, 100, 25)]


@pytest.fixture
def catalogue(two_provinces, data_element_factory, indicator_factory, target_factory):
    """A rate with a national target whose deadline passed, a later national target and Hải Phòng's
    own target with a catalogue baseline; a total measured along its trend."""
    data_element_factory(code="ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="RECEIVED", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="PEOPLE", time_aggregation="sum", space_aggregation="sum")
    share = indicator_factory(
        code="ONLINE_SHARE",
        numerator="ONLINE",
        denominator="RECEIVED",
        factor=Decimal(100),
        periodicity="monthly",
        natural_limit=Decimal(100),
    )
    indicator_factory(code="PEOPLE_TRAINED", numerator="PEOPLE", periodicity="monthly")
    target_factory(indicator=share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    target_factory(indicator=share, value=Decimal(95), deadline=datetime.date(2030, 12, 31))
    hai_phong, _cao_bang = two_provinces
    target_factory(
        indicator=share,
        province=hai_phong,
        value=Decimal(75),
        deadline=datetime.date(2025, 1, 31),
        baseline_value=Decimal(45),
        baseline_period="2023",
    )
    return share


def _approve(monthly_reports, code: str, period: str, online: int, received: int, people: int) -> None:
    former = Province.objects.former().get(code=code)
    monthly_reports.approved(former, period, ONLINE=online, RECEIVED=received, PEOPLE=people)
    parsed = Period.parse(period)
    figures_changed(province_id=former.pk, period_start=parsed.start, period_end=parsed.end)


def _stored() -> dict[str, list[tuple]]:
    out = {}
    for model in (Standing, TargetProgress):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "computed_at")]
        out[model.__name__] = sorted(model.objects.values_list(*names), key=repr)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_approvals_one_by_one_in_any_order_store_the_standings_of_a_full_recompute(catalogue, monthly_reports, seed):
    # given: empty tables filled once (nothing approved yet), then every report approved one at a
    # time in a shuffled order, each followed by the incremental recompute, then three corrections
    rollups_recompute_all()
    order = list(REPORTS)
    random.Random(seed).shuffle(order)
    for report in [*order, *CORRECTIONS]:
        _approve(monthly_reports, *report)
        rollups_recompute_dirty()
    incremental = _stored()

    # when: the same figures recomputed from scratch
    empty_computed_tables()
    rollups_recompute_all()

    # then: the same rows, to the last decimal; and they are not trivial
    full = _stored()
    assert incremental == full
    statuses = {row.status for row in Standing.objects.all()}
    assert {"missed", "data_quality", "target_achieved", "not_available"} <= statuses
    assert Standing.objects.count() == len(full["Standing"])
