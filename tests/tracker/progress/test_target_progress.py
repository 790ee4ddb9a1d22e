"""Target progress rows: which targets apply to which unit, where the base comes from, and what is stored."""

import datetime
from decimal import Decimal

import pytest

from provinces.models import Province
from tracker.progress.models import Level, TargetProgress
from tracker.progress.services import rollups_recompute_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def yearly_online_share(data_element_factory, indicator_factory):
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    return indicator_factory(
        code="DVC_ONLINE_SHARE",
        numerator="DVC_ONLINE",
        denominator="DVC_RECEIVED",
        factor=Decimal(100),
        periodicity="yearly",
        natural_limit=Decimal(100),
    )


@pytest.fixture
def history(two_provinces, monthly_reports, yearly_online_share):
    """2023: both provinces at 50 %; 2024: Hải Phòng 60 %, Cao Bằng 70 %, the nation 64 %."""
    former = {p.code: p for p in Province.objects.former()}
    monthly_reports.approved(former["31"], "2023-12", DVC_ONLINE=30, DVC_RECEIVED=60)
    monthly_reports.approved(former["04"], "2023-12", DVC_ONLINE=20, DVC_RECEIVED=40)
    monthly_reports.approved(former["31"], "2024-12", DVC_ONLINE=36, DVC_RECEIVED=60)
    monthly_reports.approved(former["04"], "2024-12", DVC_ONLINE=28, DVC_RECEIVED=40)
    return two_provinces


def progress(indicator, target, province=None):
    level = Level.NATIONAL if province is None else Level.PROVINCE
    return TargetProgress.objects.get(indicator=indicator, target=target, level=level, province=province)


def test_a_national_target_is_measured_for_the_nation_and_every_province(history, yearly_online_share, target_factory):
    # given: 80 % by the end of 2025, from 50 % in 2023 (QĐ 749 style)
    hai_phong, cao_bang = history
    target = target_factory(
        indicator=yearly_online_share,
        value=Decimal(80),
        baseline_value=Decimal(50),
        baseline_period="2023",
        deadline=datetime.date(2025, 12, 31),
    )

    # when
    rollups_recompute_all()

    # then: required growth sqrt(80/50) - 1 = 0.2649 a year; the nation grew 28 %, Hải Phòng 20 %, Cao Bằng 40 %
    nation = progress(yearly_online_share, target)
    assert (nation.status, nation.get_status_display()) == ("substantial_progress", "Đúng tiến độ")
    assert nation.progress_value == Decimal("1.0569584966")
    assert (nation.current_value, nation.current_period) == (Decimal(64), "2024")
    assert (nation.baseline_value, nation.baseline_period) == (Decimal(50), "2023")
    assert (nation.target_value, nation.deadline) == (Decimal(80), datetime.date(2025, 12, 31))
    assert nation.share_of_way == Decimal("0.4666666667")
    assert nation.projected_value == Decimal("81.92")
    assert nation.required_monthly_change == Decimal("1.3333333333")
    slow = progress(yearly_online_share, target, hai_phong)
    assert (slow.status, slow.get_status_display(), slow.progress_value) == (
        "moderate_progress",
        "Cần đẩy nhanh",
        Decimal("0.7549703547"),
    )
    assert progress(yearly_online_share, target, cao_bang).status == "substantial_progress"


def test_a_provincial_target_applies_to_its_province_with_its_own_baseline(
    history, yearly_online_share, target_factory
):
    # given: Cao Bằng's own, stricter target: 65 % by 2025 from 40 % in 2022
    _, cao_bang = history
    own = target_factory(
        indicator=yearly_online_share,
        province=cao_bang,
        value=Decimal(65),
        baseline_value=Decimal(40),
        baseline_period="2022",
        deadline=datetime.date(2025, 12, 31),
    )

    # when
    rollups_recompute_all()

    # then
    row = progress(yearly_online_share, own, cao_bang)
    assert (row.status, row.get_status_display()) == ("target_achieved", "Đã đạt")
    assert (row.baseline_value, row.baseline_period) == (Decimal(40), "2022")
    assert row.required_monthly_change == Decimal(0)
    assert not TargetProgress.objects.filter(target=own).exclude(province=cao_bang).exists()


def test_an_indicator_without_a_target_is_measured_along_its_trend(history, yearly_online_share):
    rollups_recompute_all()

    nation = progress(yearly_online_share, None)
    assert (nation.method, nation.status, nation.progress_value) == ("trend", "substantial_progress", Decimal("0.28"))
    # base 50 of a natural limit of 100: C = 1 - 0.5^4.44
    assert nation.coefficient == Decimal("0.9539290870")
    assert (nation.target_value, nation.share_of_way, nation.projected_value) == (None, None, None)


def test_a_province_without_figures_is_not_available(
    two_provinces, yearly_online_share, target_factory, monthly_reports
):
    target = target_factory(indicator=yearly_online_share, value=Decimal(80), deadline=datetime.date(2025, 12, 31))
    monthly_reports.approved(two_provinces[0], "2025-12", DVC_ONLINE=1, DVC_RECEIVED=2)

    rollups_recompute_all()

    row = progress(yearly_online_share, target, two_provinces[1])
    assert (row.status, row.get_status_display(), row.current_value) == ("not_available", "Chưa đủ dữ liệu", None)
