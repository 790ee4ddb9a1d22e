"""DESIGN §5 rules 1-4 with hand-computed figures: ratios of sums, flows/stocks/averages over time,
official figures only, and the lineage of merged provinces."""

from decimal import Decimal

import pytest

from kpis.periods import Period
from provinces.models import Province
from tracker.progress.models import IndicatorValue, Level
from tracker.progress.services import indicator_values_preview, rollups_recompute_all

pytestmark = pytest.mark.django_db


def row(indicator, period, *, level=Level.PROVINCE, province=None):
    return IndicatorValue.objects.get(indicator=indicator, level=level, province=province, period=period)


def values(indicator, period, *, level=Level.PROVINCE, province=None):
    found = row(indicator, period, level=level, province=province)
    return found.numerator, found.denominator, found.value


@pytest.fixture
def online_share(data_element_factory, indicator_factory):
    """Share of dossiers handled online: 100 · online / received (both flows)."""
    data_element_factory(code="DVC_ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="DVC_RECEIVED", time_aggregation="sum", space_aggregation="sum")
    return indicator_factory(
        code="DVC_ONLINE_SHARE", numerator="DVC_ONLINE", denominator="DVC_RECEIVED", factor=Decimal(100), unit="%"
    )


def former(code):
    return Province.objects.former().get(code=code)


def test_the_national_ratio_is_the_sum_of_numerators_over_the_sum_of_denominators(
    two_provinces, monthly_reports, online_share
):
    # given: Hải Phòng handles 30 of 100 dossiers online (30 %), Cao Bằng 10 of 40 (25 %)
    hai_phong, cao_bang = two_provinces
    monthly_reports.approved(hai_phong, "2025-10", DVC_ONLINE=30, DVC_RECEIVED=100)
    monthly_reports.approved(cao_bang, "2025-10", DVC_ONLINE=10, DVC_RECEIVED=40)

    # when
    rollups_recompute_all()

    # then: 40 / 140 = 28.5714285714 %, not the mean of ratios (27.5 %)
    assert values(online_share, "2025-10", level=Level.NATIONAL) == (
        Decimal("40"),
        Decimal("140"),
        Decimal("28.5714285714"),
    )
    assert row(online_share, "2025-10", level=Level.NATIONAL).units_count == 2
    assert values(online_share, "2025-10", province=hai_phong) == (Decimal(30), Decimal(100), Decimal(30))
    assert values(online_share, "2025-10", province=cao_bang) == (Decimal(10), Decimal(40), Decimal(25))


def test_flows_add_up_over_months_quarters_and_years(two_provinces, monthly_reports, online_share):
    # given
    hai_phong, _ = two_provinces
    for month, (online, received) in {"10": (10, 40), "11": (20, 50), "12": (30, 60)}.items():
        monthly_reports.approved(hai_phong, f"2025-{month}", DVC_ONLINE=online, DVC_RECEIVED=received)

    # when
    rollups_recompute_all()

    # then: the quarter and the year are 60 of 150 = 40 %
    assert values(online_share, "2025-Q4", province=hai_phong) == (Decimal(60), Decimal(150), Decimal(40))
    assert values(online_share, "2025", province=hai_phong) == (Decimal(60), Decimal(150), Decimal(40))
    assert row(online_share, "2025-Q4", province=hai_phong).periodicity == "quarterly"


def test_stocks_take_the_last_figure_of_the_period(
    two_provinces, monthly_reports, data_element_factory, indicator_factory
):
    # given: 5G base stations (a stock) reported in July and August, not in September
    data_element_factory(code="BTS_5G", time_aggregation="last", space_aggregation="sum")
    stations = indicator_factory(code="BTS_5G_COUNT", numerator="BTS_5G")
    hai_phong, cao_bang = two_provinces
    monthly_reports.approved(hai_phong, "2025-07", BTS_5G=100)
    monthly_reports.approved(hai_phong, "2025-08", BTS_5G=120)
    monthly_reports.approved(cao_bang, "2025-09", BTS_5G=7)
    monthly_reports.approved(cao_bang, "2025-07", BTS_5G=5)

    # when
    rollups_recompute_all()

    # then: each province's last figure of the quarter, then added across provinces
    assert row(stations, "2025-Q3", province=hai_phong).value == Decimal(120)
    assert row(stations, "2025-Q3", province=cao_bang).value == Decimal(7)
    assert row(stations, "2025-Q3", level=Level.NATIONAL).value == Decimal(127)
    assert row(stations, "2025-08", level=Level.NATIONAL).value == Decimal(120)


def test_averages_average_over_the_period(two_provinces, monthly_reports, data_element_factory, indicator_factory):
    # given: the share of dossiers signed digitally, averaged over the months reported
    data_element_factory(code="SIGNED_RATE", time_aggregation="average", space_aggregation="mean")
    signed = indicator_factory(code="SIGNED", numerator="SIGNED_RATE")
    hai_phong, _ = two_provinces
    for month, rate in {"01": "80", "02": "90", "03": "100"}.items():
        monthly_reports.approved(former("31"), f"2024-{month}", SIGNED_RATE=rate)
    monthly_reports.approved(former("04"), "2024-02", SIGNED_RATE="70")

    # when
    rollups_recompute_all()

    # then: Hải Phòng's quarter averages its months; the nation the provinces' averages
    assert row(signed, "2024-Q1", level=Level.FORMER, province=former("31")).value == Decimal(90)
    assert row(signed, "2024", province=hai_phong).value == Decimal(90)
    assert row(signed, "2024-Q1", level=Level.NATIONAL).value == Decimal(80)


def test_only_approved_figures_count_and_the_preview_adds_the_submitted_ones(
    two_provinces, monthly_reports, online_share, reviewer
):
    # given: Hải Phòng's October is approved, Cao Bằng's is only submitted
    hai_phong, cao_bang = two_provinces
    monthly_reports.approved(hai_phong, "2025-10", DVC_ONLINE=30, DVC_RECEIVED=100)
    monthly_reports.submitted(cao_bang, "2025-10", DVC_ONLINE=10, DVC_RECEIVED=40)

    # when
    rollups_recompute_all()
    preview = indicator_values_preview(
        user=reviewer, province=cao_bang, first=Period.parse("2025-10"), last=Period.parse("2025-10")
    )

    # then: the official tables know nothing of Cao Bằng's October; the preview does
    assert values(online_share, "2025-10", level=Level.NATIONAL) == (Decimal(30), Decimal(100), Decimal(30))
    assert not IndicatorValue.objects.filter(province=cao_bang).exists()
    assert [(p.period, p.value) for p in preview] == [
        ("2025-10", Decimal(25)),
        ("2025-Q4", Decimal(25)),
        ("2025", Decimal(25)),
    ]


def test_a_provincial_user_cannot_preview_another_province(two_provinces, monthly_reports, online_share, officer_01):
    from django.core.exceptions import PermissionDenied

    _, cao_bang = two_provinces
    with pytest.raises(PermissionDenied, match="chỉ xem trước được số liệu của tỉnh mình"):
        indicator_values_preview(
            user=officer_01, province=cao_bang, first=Period.parse("2025-10"), last=Period.parse("2025-10")
        )


def test_an_giang_2024_is_former_an_giang_plus_kien_giang(an_giang, monthly_reports, online_share):
    # given: the two former provinces' January and February 2024
    monthly_reports.approved(former("89"), "2024-01", DVC_ONLINE=300, DVC_RECEIVED=1000)
    monthly_reports.approved(former("89"), "2024-02", DVC_ONLINE=500, DVC_RECEIVED=1000)
    monthly_reports.approved(former("91"), "2024-01", DVC_ONLINE=100, DVC_RECEIVED=500)
    monthly_reports.approved(former("91"), "2024-02", DVC_ONLINE=100, DVC_RECEIVED=500)

    # when
    rollups_recompute_all()

    # then: the new An Giang (91) carries the combined series; the former ones keep their own rows
    assert values(online_share, "2024-01", province=an_giang) == (Decimal(400), Decimal(1500), Decimal("26.6666666667"))
    assert values(online_share, "2024", province=an_giang) == (Decimal(1000), Decimal(3000), Decimal("33.3333333333"))
    assert values(online_share, "2024", level=Level.FORMER, province=former("89")) == (
        Decimal(800),
        Decimal(2000),
        Decimal(40),
    )
    assert values(online_share, "2024", level=Level.FORMER, province=former("91")) == (
        Decimal(200),
        Decimal(1000),
        Decimal(20),
    )
    assert row(online_share, "2024", province=an_giang).units_count == 2


def test_an_index_type_value_of_a_merged_province_is_the_mean_of_its_predecessors(
    an_giang, yearly_reports, data_element_factory, indicator_factory
):
    # given: the DTI "digital government" component of 2024, published for the two former provinces
    data_element_factory(code="DTI_CQS", value_type="decimal", time_aggregation="last", space_aggregation="mean")
    cqs = indicator_factory(code="DTI_CQS", numerator="DTI_CQS")
    yearly_reports.approved(former("89"), "2024", DTI_CQS="0.5432")
    yearly_reports.approved(former("91"), "2024", DTI_CQS="0.6123")

    # when
    rollups_recompute_all()

    # then: (0.5432 + 0.6123) / 2, unweighted; no monthly or quarterly values exist for a yearly figure
    assert row(cqs, "2024", province=an_giang).value == Decimal("0.57775")
    # and each former province's own row is its figure (the mean of one unit)
    assert row(cqs, "2024", level=Level.FORMER, province=former("89")).value == Decimal("0.5432")
    assert row(cqs, "2024", level=Level.NATIONAL).value == Decimal("0.57775")
    assert not IndicatorValue.objects.filter(indicator=cqs).exclude(period="2024").exists()


def test_values_that_do_not_combine_stay_with_their_single_unit(
    an_giang, ha_noi, monthly_reports, data_element_factory, indicator_factory
):
    # given: a yes/no figure that means nothing added up
    data_element_factory(code="FEE_ZERO", value_type="boolean", time_aggregation="last", space_aggregation="none")
    fee_zero = indicator_factory(code="FEE_ZERO", numerator="FEE_ZERO")
    monthly_reports.approved(former("89"), "2024-12", FEE_ZERO=1)
    monthly_reports.approved(former("91"), "2024-12", FEE_ZERO=0)
    monthly_reports.approved(former("01"), "2024-12", FEE_ZERO=1)

    # when
    rollups_recompute_all()

    # then: former provinces and Hà Nội (one predecessor) keep it; An Giang (two) and the nation do not
    assert row(fee_zero, "2024-12", level=Level.FORMER, province=former("91")).value == Decimal(0)
    assert row(fee_zero, "2024-12", province=ha_noi).value == Decimal(1)
    assert not IndicatorValue.objects.filter(indicator=fee_zero, province=an_giang).exists()
    assert not IndicatorValue.objects.filter(indicator=fee_zero, level=Level.NATIONAL).exists()


def test_a_unit_counts_for_a_ratio_only_with_both_numerator_and_denominator(
    two_provinces, monthly_reports, online_share
):
    # given: Cao Bằng reported dossiers received but not how many went online
    hai_phong, cao_bang = two_provinces
    monthly_reports.approved(hai_phong, "2025-10", DVC_ONLINE=30, DVC_RECEIVED=100)
    monthly_reports.approved(cao_bang, "2025-10", DVC_RECEIVED=40)

    # when
    rollups_recompute_all()

    # then: Cao Bằng's 40 dossiers do not dilute the national share
    assert values(online_share, "2025-10", level=Level.NATIONAL) == (Decimal(30), Decimal(100), Decimal(30))


def test_a_zero_denominator_gives_no_value_but_keeps_the_figures(two_provinces, monthly_reports, online_share):
    hai_phong, _ = two_provinces
    monthly_reports.approved(hai_phong, "2025-10", DVC_ONLINE=0, DVC_RECEIVED=0)

    rollups_recompute_all()

    assert values(online_share, "2025-10", province=hai_phong) == (Decimal(0), Decimal(0), None)


def test_formulas_are_evaluated_on_aggregated_elements(
    two_provinces, monthly_reports, data_element_factory, indicator_factory
):
    # given: an average of two flows per thousand people (a stock)
    data_element_factory(code="A", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="B", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="POP", time_aggregation="last", space_aggregation="sum")
    per_thousand = indicator_factory(code="PER_1000", numerator="(A + B) / 2", denominator="POP / 1000")
    hai_phong, cao_bang = two_provinces
    monthly_reports.approved(hai_phong, "2025-11", A=10, B=30, POP=200000)
    monthly_reports.approved(hai_phong, "2025-12", A=20, B=40, POP=200000)
    monthly_reports.approved(cao_bang, "2025-12", A=5, B=5, POP=50000)

    # when
    rollups_recompute_all()

    # then: Q4 nation: ((35 + 75) / 2) / (250000 / 1000) = 55 / 250 = 0.22
    assert values(per_thousand, "2025-Q4", level=Level.NATIONAL) == (Decimal(55), Decimal(250), Decimal("0.22"))


def test_the_year_of_the_merger_joins_the_former_and_the_current_units(
    an_giang, monthly_reports, online_share, data_element_factory, indicator_factory
):
    # given: dossiers (flows) and base stations (a stock) before and after 1 July 2025
    data_element_factory(code="BTS_5G", time_aggregation="last", space_aggregation="sum")
    stations = indicator_factory(code="BTS_5G_COUNT", numerator="BTS_5G")
    monthly_reports.approved(former("89"), "2025-06", DVC_ONLINE=10, DVC_RECEIVED=20, BTS_5G=50)
    monthly_reports.approved(former("91"), "2025-06", DVC_ONLINE=10, DVC_RECEIVED=20, BTS_5G=40)
    monthly_reports.approved(an_giang, "2025-07", DVC_ONLINE=30, DVC_RECEIVED=40, BTS_5G=95)
    monthly_reports.approved(an_giang, "2025-08", DVC_ONLINE=30, DVC_RECEIVED=40, BTS_5G=100)

    # when
    rollups_recompute_all()

    # then: flows add across the merger; the stock is the last figure, the new province's
    assert values(online_share, "2025", province=an_giang) == (Decimal(80), Decimal(120), Decimal("66.6666666667"))
    assert values(online_share, "2025", level=Level.NATIONAL) == (Decimal(80), Decimal(120), Decimal("66.6666666667"))
    assert row(stations, "2025", province=an_giang).value == Decimal(100)
    assert row(stations, "2025", level=Level.NATIONAL).value == Decimal(100)
    assert row(stations, "2025-Q2", province=an_giang).value == Decimal(90)
    assert row(stations, "2025", level=Level.FORMER, province=former("89")).value == Decimal(50)


def test_averages_across_the_merger_are_weighted_by_the_months_each_side_covers(
    an_giang, monthly_reports, data_element_factory, indicator_factory
):
    # given: a monthly average figure, two months before the merger and four after
    data_element_factory(code="SIGNED_RATE", time_aggregation="average", space_aggregation="mean")
    signed = indicator_factory(code="SIGNED", numerator="SIGNED_RATE")
    monthly_reports.approved(former("89"), "2025-05", SIGNED_RATE=80)
    monthly_reports.approved(former("89"), "2025-06", SIGNED_RATE=90)
    monthly_reports.approved(former("91"), "2025-06", SIGNED_RATE=70)
    for month in ("07", "08", "09", "10"):
        monthly_reports.approved(an_giang, f"2025-{month}", SIGNED_RATE=100)

    # when
    rollups_recompute_all()

    # then: before the merger mean(85, 70) = 77.5 over two months, after it 100 over four
    assert row(signed, "2025-Q2", province=an_giang).value == Decimal("77.5")
    assert row(signed, "2025", province=an_giang).value == Decimal("92.5")
