"""Standings as of every period (DESIGN §5.7-5.9): stored per (indicator, unit, target, period), read
as of a selected period, final after the deadline, applicable only where they may apply."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kpis.periods import Period
from provinces.models import Province
from tracker.progress.models import Level, Standing, TargetProgress
from tracker.progress.services import rollups_recompute_all
from tracker.progress.standing_selectors import (
    headline_as_of,
    rank_rows,
    standings_as_of,
    target_applies,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def online_share(data_element_factory, indicator_factory):
    data_element_factory(code="ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="RECEIVED", time_aggregation="sum", space_aggregation="sum")
    return indicator_factory(
        code="ONLINE_SHARE",
        numerator="ONLINE",
        denominator="RECEIVED",
        factor=Decimal(100),
        periodicity="monthly",
        natural_limit=Decimal(100),
    )


@pytest.fixture
def months(two_provinces, monthly_reports, online_share):
    """Hải Phòng 50 %, 55 %, (no March), 60 % in 2024-01..04, then 90 % in 2025-01;
    Cao Bằng 40 %, 44 %, 50 % in 2024-01..03."""
    former = {p.code: p for p in Province.objects.former()}
    for period, online in [("2024-01", 50), ("2024-02", 55), ("2024-04", 60), ("2025-01", 90)]:
        monthly_reports.approved(former["31"], period, ONLINE=online, RECEIVED=100)
    for period, online in [("2024-01", 40), ("2024-02", 44), ("2024-03", 50)]:
        monthly_reports.approved(former["04"], period, ONLINE=online, RECEIVED=100)
    return two_provinces


def standings(indicator, province, target, periodicity="monthly"):
    rows = Standing.objects.filter(
        indicator=indicator, province=province, target=target, periodicity=periodicity
    ).order_by("period_end")
    return [(row.period, row.status, row.value, row.value_period, row.share_of_way, row.final) for row in rows]


def test_every_period_with_a_value_gets_its_own_standing_from_the_series_up_to_it(months, online_share, target_factory):
    # given: 80 % by 31/12/2024; no baseline, so the base is the first value at or after 2015 (2024-01)
    hai_phong, _cao_bang = months
    target = target_factory(indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))

    # when
    rollups_recompute_all()

    # then: 2024-01 is the base itself (one point); 2024-02 grew 10 % in a month; 2025-01 is past the
    # deadline: final, from the value at the deadline (2024-04, 60 % of 80 %)
    assert standings(online_share, hai_phong, target) == [
        ("2024-01", "not_available", Decimal(50), "2024-01", Decimal(0), False),
        ("2024-02", "substantial_progress", Decimal(55), "2024-02", Decimal("0.1666666667"), False),
        ("2024-04", "substantial_progress", Decimal(60), "2024-04", Decimal("0.3333333333"), False),
        ("2025-01", "missed", Decimal(60), "2024-04", Decimal("0.3333333333"), True),
    ]
    # the year 2024 ends in the deadline's month: 55 % (165 of 300) is final, and missed; the yearly
    # series starts there, so it is its own base (no way gone); 2025 keeps that final standing
    assert standings(online_share, hai_phong, target, "yearly") == [
        ("2024", "missed", Decimal(55), "2024", Decimal(0), True),
        ("2025", "missed", Decimal(55), "2024", Decimal(0), True),
    ]
    # the latest standing is what TargetProgress keeps
    latest = TargetProgress.objects.get(indicator=online_share, target=target, province=hai_phong)
    assert (latest.status, latest.current_value, latest.current_period) == ("missed", Decimal(60), "2024-04")


def test_recomputing_changes_no_standing(months, online_share, target_factory):
    target_factory(indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    rollups_recompute_all()
    before = list(Standing.objects.order_by("pk").values_list("pk", "computed_at", "status"))

    assert rollups_recompute_all() == 0
    assert list(Standing.objects.order_by("pk").values_list("pk", "computed_at", "status")) == before


def test_a_period_without_a_value_shows_no_status_but_the_latest_earlier_value(months, online_share, target_factory):
    hai_phong, cao_bang = months
    target = target_factory(indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    rollups_recompute_all()

    views = {
        view.province_id: view
        for view in standings_as_of(Period.parse("2024-03"), indicator_ids=[online_share.pk], level=Level.PROVINCE)
    }

    # Hải Phòng has no March: its February value, and no judgement of February's
    assert (views[hai_phong.pk].status, views[hai_phong.pk].label) == ("no_data_this_period", "Chưa có số liệu kỳ này")
    assert (views[hai_phong.pk].value, views[hai_phong.pk].value_period) == (Decimal(55), "2024-02")
    assert views[hai_phong.pk].share_of_way is None
    assert views[hai_phong.pk].as_of == "số liệu kỳ 02/2024"
    assert views[hai_phong.pk].target_id == target.pk
    # Cao Bằng has March: its own standing, and no "as of" remark
    assert (views[cao_bang.pk].status, views[cao_bang.pk].value, views[cao_bang.pk].as_of) == (
        "substantial_progress",
        Decimal(50),
        "",
    )
    with translation.override("en"):
        assert (views[hai_phong.pk].label, views[hai_phong.pk].as_of) == ("No data for this period", "data of 2024-02")


def test_after_the_deadline_the_next_target_becomes_the_headline(months, online_share, target_factory):
    hai_phong, _cao_bang = months
    first = target_factory(indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    second = target_factory(indicator=online_share, value=Decimal(95), deadline=datetime.date(2030, 12, 31))
    rollups_recompute_all()

    april = headline_as_of(Period.parse("2024-04"), indicator_ids=[online_share.pk])[(online_share.pk, hai_phong.pk)]
    january = headline_as_of(Period.parse("2025-01"), indicator_ids=[online_share.pk])[(online_share.pk, hai_phong.pk)]

    assert (april.target_id, april.status) == (first.pk, "substantial_progress")
    # 2025-01 against 2030: 90 % from 50 % in a year (+80 %) against the (95/50)^(12/83) - 1 = 9.7 % required
    assert (january.target_id, january.status, january.value) == (second.pk, "substantial_progress", Decimal(90))


@pytest.fixture
def stations(data_element_factory, indicator_factory):
    data_element_factory(code="TRAM", time_aggregation="last", space_aggregation="sum")
    return indicator_factory(code="TRAM_5G", numerator="TRAM", periodicity="monthly")


def test_a_national_target_on_a_total_applies_to_the_nation_only(
    two_provinces, monthly_reports, stations, target_factory
):
    # given: 1 000 stations nationwide by 2026 (a count that adds up over provinces)
    hai_phong, cao_bang = two_provinces
    former = {p.code: p for p in Province.objects.former()}
    monthly_reports.approved(former["31"], "2024-01", TRAM=300)
    monthly_reports.approved(former["04"], "2024-01", TRAM=100)
    target = target_factory(indicator=stations, value=Decimal(1000), deadline=datetime.date(2026, 12, 31))

    # when
    rollups_recompute_all()

    # then: the nation against the target, each province along its own trend
    assert sorted(
        TargetProgress.objects.filter(indicator=stations).values_list("level", "province_id", "target_id")
    ) == sorted([("national", None, target.pk), ("province", hai_phong.pk, None), ("province", cao_bang.pk, None)])
    assert (target_applies(target, None), target_applies(target, hai_phong.pk)) == (True, False)


def test_a_national_total_target_cannot_be_given_to_every_province(stations, target_factory):
    target = target_factory(indicator=stations, value=Decimal(1000), applies_to="every_unit")

    with pytest.raises(ValidationError) as raised:
        target.full_clean()

    assert "không áp dụng cho từng đơn vị cấp dưới" in str(raised.value.message_dict["applies_to"][0])


def test_an_intensive_national_target_can_be_kept_to_the_nation(months, online_share, target_factory):
    target = target_factory(
        indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31), applies_to="own_unit"
    )
    rollups_recompute_all()

    assert sorted(
        TargetProgress.objects.filter(indicator=online_share).values_list("level", "target_id"), key=str
    ) == sorted([("national", target.pk), ("province", None), ("province", None)], key=str)


@pytest.fixture
def yearly_trend(two_provinces, yearly_reports, data_element_factory, indicator_factory):
    data_element_factory(code="PEOPLE", time_aggregation="sum", space_aggregation="sum")
    indicator = indicator_factory(code="PEOPLE_TRAINED", numerator="PEOPLE", periodicity="yearly")
    former = {p.code: p for p in Province.objects.former()}
    for period, people in [("2014", 10), ("2016", 20), ("2017", 22)]:
        yearly_reports.approved(former["31"], period, PEOPLE=people)
    return indicator


def test_without_a_target_the_trend_runs_from_the_first_value_at_or_after_2015(yearly_trend):
    # given: 10 (2014), 20 (2016), 22 (2017); the catalogue-wide base period is 2015
    hai_phong = Province.objects.current().get(code="31")

    # when
    rollups_recompute_all()

    # then: sdg-build's base_year 2015 is not in the data, so the base is 2016: P = 22/20 - 1 = 0.1
    row = Standing.objects.get(indicator=yearly_trend, province=hai_phong, period="2017")
    assert (row.baseline_period, row.baseline_value, row.progress_value, row.status) == (
        "2016",
        Decimal(20),
        Decimal("0.1"),
        "substantial_progress",
    )
    # 2014 itself lies before the base: one point, nothing to measure
    assert Standing.objects.get(indicator=yearly_trend, province=hai_phong, period="2014").status == "not_available"


def test_an_indicator_base_period_overrides_the_catalogue_default(yearly_trend):
    yearly_trend.base_period = "2014"
    yearly_trend.save()
    hai_phong = Province.objects.current().get(code="31")

    rollups_recompute_all()

    # from 10 in 2014 to 22 in 2017: (2.2)^(1/3) - 1 = 0.30059144685...
    row = Standing.objects.get(indicator=yearly_trend, province=hai_phong, period="2017")
    assert (row.baseline_period, row.progress_value) == ("2014", Decimal("0.3005914469"))


def test_rankings_list_every_unit_share_ties_and_compare_only_units_ranked_twice():
    units = [(1, "01", "A"), (2, "02", "B"), (3, "03", "C"), (4, "04", "D"), (5, "05", "E")]
    now = {1: Decimal(90), 2: Decimal(80), 3: Decimal(80), 4: Decimal(70)}
    before = {2: Decimal(95), 3: Decimal(60), 4: Decimal(50), 5: Decimal(99)}

    rows = rank_rows(units, now, before, lower_is_better=False)

    # E has no value now: last, unranked; A was not ranked before: no change. Among B, C, D (ranked in
    # both) B fell from 1st to a shared 1st, C rose from 2nd to a shared 1st, D stayed 3rd.
    assert [(r.code, r.rank, r.previous_rank, r.change, r.has_value) for r in rows] == [
        ("01", 1, None, None, True),
        ("02", 2, 1, 0, True),
        ("03", 2, 2, 1, True),
        ("04", 4, 3, 0, True),
        ("05", None, None, None, False),
    ]


def test_computed_standings_contradict_nothing(months, online_share, target_factory):
    from tracker.progress.consistency import contradictions

    target_factory(indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    target_factory(indicator=online_share, value=Decimal(95), deadline=datetime.date(2030, 12, 31))
    rollups_recompute_all()

    # points: Hải Phòng 4 months + 3 quarters + 2 years, Cao Bằng 3 + 1 + 1, the nation 2 + 1 + 1 (its
    # other 6 points have 1 of 2 provinces, or 1 of 4 units for 2025: provisional, not judged); two targets each
    assert Standing.objects.count() == (9 + 5 + 4) * 2
    assert contradictions() == []


def test_a_full_run_recomputes_the_series_whose_values_changed_and_all_after_a_target_edit(
    months, online_share, target_factory, monthly_reports
):
    # given: a clean run, after which no series differs from its values
    from django.utils import timezone

    from tracker.progress.standing_store import changed_pairs

    _hai_phong, cao_bang = months
    target = target_factory(indicator=online_share, value=Decimal(80), deadline=datetime.date(2024, 12, 31))
    rollups_recompute_all()
    assert changed_pairs(timezone.localdate()) == set()

    # when: Cao Bằng's April arrives; then the target is raised
    former = Province.objects.former().get(code="04")
    monthly_reports.approved(former, "2024-04", ONLINE=56, RECEIVED=100)
    rollups_recompute_all()
    april = Standing.objects.get(indicator=online_share, province=cao_bang, target=target, period="2024-04")
    target.value = Decimal(90)
    target.save()
    rollups_recompute_all()

    # then
    assert (april.value, april.status) == (Decimal(56), "substantial_progress")
    assert set(Standing.objects.filter(target=target).values_list("target_value", flat=True)) == {Decimal(90)}
