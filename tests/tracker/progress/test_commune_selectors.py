"""A province's communes, ranked and judged as of a period, from the commune tables
(tests/tracker/dashboards/commune_dataset.py gives the hand-computed figures)."""

from decimal import Decimal

import pytest

from kpis.periods import Period
from tests.tracker.dashboards import commune_dataset
from tracker.progress import commune_selectors as communes

OCTOBER = Period.parse("2025-10")


@pytest.fixture
def data(db):
    return commune_dataset.build()


def test_ranking_shares_ranks_on_ties_and_puts_communes_without_value_last(data):
    ranking = communes.commune_ranking(data.an_giang, data.indicator, OCTOBER)

    assert [(row.code, row.rank, row.value, row.previous_value, row.change) for row in ranking.rows] == [
        ("30001", 1, Decimal("85"), Decimal("60"), 1),
        ("30002", 2, Decimal("70"), Decimal("75"), -1),
        ("30003", 2, Decimal("70"), Decimal("50"), 1),
        ("30004", None, None, Decimal("40"), None),
    ]
    assert (ranking.total, ranking.with_value, ranking.behind) == (4, 3, 2)
    assert str(ranking.period) == "2025-10"
    assert str(ranking.previous) == "2025-09"


def test_ranking_marks_the_communes_behind_and_the_one_without_data(data):
    ranking = communes.commune_ranking(data.an_giang, data.indicator, OCTOBER)

    assert [(row.code, row.status, row.behind) for row in ranking.rows] == [
        ("30001", "target_achieved", False),
        ("30002", "limited_progress", True),
        ("30003", "moderate_progress", True),
        ("30004", "no_data_this_period", False),
    ]
    no_data = ranking.rows[3].standing
    assert no_data is not None
    assert (no_data.value, no_data.value_period, no_data.period, no_data.as_of) == (
        Decimal("40"),
        "2025-09",
        "2025-10",
        "số liệu kỳ 09/2025",
    )


def test_ranking_of_lower_is_better_puts_the_smallest_first(data):
    data.indicator.direction = "lower"
    data.indicator.save()

    ranking = communes.commune_ranking(data.an_giang, data.indicator, OCTOBER)

    assert [(row.code, row.rank) for row in ranking.rows] == [
        ("30002", 1),
        ("30003", 1),
        ("30001", 3),
        ("30004", None),
    ]


def test_ranking_leaves_out_the_communes_of_other_provinces(data):
    ranking = communes.commune_ranking(data.ha_noi, data.indicator, OCTOBER)

    assert [(row.code, row.rank, row.status) for row in ranking.rows] == [("00004", 1, "substantial_progress")]


def test_headline_prefers_the_province_target_over_the_national_one(data):
    headlines = communes.commune_headlines(
        OCTOBER, province_id=data.an_giang.pk, commune_ids=[data.communes["30001"].pk]
    )

    view = headlines[(data.indicator.pk, data.communes["30001"].pk)]
    assert (view.status, view.target_id, view.target_value) == ("target_achieved", data.province_target.pk, Decimal(80))
    assert list(headlines) == [(data.indicator.pk, data.communes["30001"].pk)]


def test_standings_as_of_a_later_period_say_no_data_with_the_latest_value(data):
    november = Period.parse("2025-11")

    views = communes.commune_standings_as_of(november, province_id=data.an_giang.pk)

    assert [(v.commune_id, v.target_id, v.status, v.value, v.value_period) for v in views] == [
        (data.communes["30001"].pk, data.province_target.pk, "no_data_this_period", Decimal("85"), "2025-10"),
        (data.communes["30001"].pk, data.national_target.pk, "no_data_this_period", Decimal("85"), "2025-10"),
        (data.communes["30002"].pk, data.province_target.pk, "no_data_this_period", Decimal("70"), "2025-10"),
        (data.communes["30003"].pk, data.province_target.pk, "no_data_this_period", Decimal("70"), "2025-10"),
        (data.communes["30004"].pk, data.province_target.pk, "no_data_this_period", Decimal("40"), "2025-09"),
    ]


def test_reporting_gives_the_province_total_and_each_commune(data):
    rates = communes.commune_reporting(data.an_giang.pk, OCTOBER)

    total = rates.total
    assert (total.expected, total.received, total.on_time, total.approved, total.late, total.missing) == (
        4,
        3,
        2,
        3,
        1,
        1,
    )
    assert {pk: (r.expected, r.received, r.on_time, r.approved) for pk, r in rates.by_commune.items()} == {
        data.communes["30001"].pk: (1, 1, 1, 1),
        data.communes["30002"].pk: (1, 1, 1, 1),
        data.communes["30003"].pk: (1, 1, 0, 1),
        data.communes["30004"].pk: (1, 0, 0, 0),
    }


def test_reporting_of_one_commune_reads_that_commune_and_the_total(data):
    rates = communes.commune_reporting(data.an_giang.pk, OCTOBER, commune_id=data.communes["30003"].pk)

    assert list(rates.by_commune) == [data.communes["30003"].pk]
    assert (rates.total.expected, rates.total.approved) == (4, 3)


def test_a_quarter_sums_the_months_of_reporting(data):
    rates = communes.commune_reporting(data.an_giang.pk, Period.parse("2025-Q4"))

    assert (rates.total.expected, rates.total.approved) == (4, 3)


def test_ranking_reads_a_fixed_number_of_queries(data, django_assert_num_queries):
    with django_assert_num_queries(6):
        communes.commune_ranking(data.an_giang, data.indicator, OCTOBER)
