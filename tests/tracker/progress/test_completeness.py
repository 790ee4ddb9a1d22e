"""Issue 12: a national (or merged-province) value of a period whose units have not all reported is
provisional: marked "Tạm tính: 1/3 tỉnh", left out of standings until coverage reaches the
threshold (TRACKER_COMPLETE_COVERAGE_PERCENT, 90 % by default), drawn apart in charts; the headline
reads the latest complete period and says so."""

import datetime
from decimal import Decimal
from typing import cast

import pytest
from django.test import Client
from django.utils import translation

from kpis.periods import Period
from provinces.models import Province
from tests.factories import FormerProvinceFactory, ProvinceFactory
from tracker.dashboards import selectors as dashboard_selectors
from tracker.dashboards.formatting import number
from tracker.progress.completeness import Coverage, NationalHeadline, national_headlines
from tracker.progress.models import IndicatorValue, Level, Standing
from tracker.progress.services import rollups_recompute_all
from tracker.progress.standing_selectors import headline_as_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def online_share(data_element_factory, indicator_factory):
    data_element_factory(code="ONLINE", time_aggregation="sum", space_aggregation="sum")
    data_element_factory(code="RECEIVED", time_aggregation="sum", space_aggregation="sum")
    return indicator_factory(
        code="ONLINE_SHARE",
        name="Tỷ lệ hồ sơ trực tuyến",
        numerator="ONLINE",
        denominator="RECEIVED",
        factor=Decimal(100),
        unit="%",
        periodicity="monthly",
        natural_limit=Decimal(100),
    )


@pytest.fixture
def october_open(monthly_reports, online_share):
    """Three provinces; September complete (50, 60, 70 of 100 each: 180/300 = 60 %); October only
    Hải Phòng so far (80 of 100: 80 %, 1 of 3 provinces)."""
    hai_phong = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    cao_bang = ProvinceFactory(code="04", name="Tỉnh Cao Bằng")
    hue = ProvinceFactory(code="46", name="Thành phố Huế")
    for province, online in [(hai_phong, 50), (cao_bang, 60), (hue, 70)]:
        monthly_reports.approved(province, "2026-09", ONLINE=online, RECEIVED=100)
    monthly_reports.approved(hai_phong, "2026-10", ONLINE=80, RECEIVED=100)
    rollups_recompute_all()
    return hai_phong, cao_bang, hue


def national_periods(indicator):
    rows = Standing.objects.filter(indicator=indicator, level=Level.NATIONAL, periodicity="monthly")
    return sorted(rows.values_list("period", flat=True))


def test_the_coverage_label_in_both_languages():
    assert Coverage(6, 34).label == "Tạm tính: 6/34 tỉnh"
    assert Coverage(31, 34).label == ""  # 31/34 = 91,2 % >= 90 %
    assert Coverage(30, 34).label == "Tạm tính: 30/34 tỉnh"  # 88,2 %
    with translation.override("en"):
        assert Coverage(6, 34).label == "Provisional: 6/34 provinces"


def test_the_threshold_is_a_setting(settings):
    settings.TRACKER_COMPLETE_COVERAGE_PERCENT = 50
    assert Coverage(17, 34).complete is True
    assert Coverage(16, 34).complete is False


def test_a_provisional_national_value_is_kept_but_not_judged(october_open, online_share):
    # then: October's national value is computed from the one province that reported
    october = IndicatorValue.objects.get(indicator=online_share, level=Level.NATIONAL, period="2026-10")
    assert (october.value, october.units_count) == (Decimal(80), 1)
    # and it gets no standing: the nation's standing as of October is September's value, said so
    assert national_periods(online_share) == ["2026-09"]
    view = headline_as_of(Period.parse("2026-10"), indicator_ids=[online_share.pk], level=Level.NATIONAL)[
        (online_share.pk, None)
    ]
    assert (view.status, view.value, view.value_period, view.as_of, view.label) == (
        "no_data_this_period",
        Decimal(60),
        "2026-09",
        "số liệu kỳ 09/2026",
        "Chưa có số liệu kỳ này",
    )


def test_the_headline_reads_the_latest_complete_period_and_says_so(october_open, online_share):
    # when
    head = national_headlines({online_share.pk: Period.parse("2026-10")})[online_share.pk]

    # then
    assert head == NationalHeadline("2026-10", Decimal(80), Coverage(1, 3), Decimal(60), "2026-09")
    assert head.provisional == "Tạm tính: 1/3 tỉnh"
    assert head.text(lambda value: number(value) + " %") == (
        "60 % (số liệu kỳ 09/2026) · 10/2026: 80 % – Tạm tính: 1/3 tỉnh"
    )
    with translation.override("en"):
        assert head.text(lambda value: number(value) + " %") == (
            "60 % (data of 2026-09) · 2026-10: 80 % – Provisional: 1/3 provinces"
        )


def test_once_enough_provinces_reported_the_value_is_judged(october_open, online_share, monthly_reports):
    # given: the two others report October (90 and 100 of 100): 270/300 = 90 %
    _hai_phong, cao_bang, hue = october_open
    monthly_reports.approved(cao_bang, "2026-10", ONLINE=90, RECEIVED=100)
    monthly_reports.approved(hue, "2026-10", ONLINE=100, RECEIVED=100)

    # when
    rollups_recompute_all()

    # then
    assert national_periods(online_share) == ["2026-09", "2026-10"]
    head = national_headlines({online_share.pk: Period.parse("2026-10")})[online_share.pk]
    assert head == NationalHeadline("2026-10", Decimal(90), Coverage(3, 3), Decimal(90), "2026-10")
    assert head.provisional == ""
    assert head.text(lambda value: number(value) + " %") == "90 %"


def test_a_lower_threshold_judges_a_value_with_fewer_provinces(october_open, online_share, settings):
    # given: 1 of 3 provinces is 33,3 %
    settings.TRACKER_COMPLETE_COVERAGE_PERCENT = 30

    # when
    rollups_recompute_all()

    # then
    assert national_periods(online_share) == ["2026-09", "2026-10"]


def test_a_raised_threshold_withdraws_the_standing_of_a_value_no_longer_complete(october_open, online_share, settings):
    # given: October judged at a 30 % threshold (1 of 3 provinces)
    settings.TRACKER_COMPLETE_COVERAGE_PERCENT = 30
    rollups_recompute_all()
    assert national_periods(online_share) == ["2026-09", "2026-10"]

    # when: the threshold is raised back to 90 %
    settings.TRACKER_COMPLETE_COVERAGE_PERCENT = 90
    rollups_recompute_all()

    # then
    assert national_periods(online_share) == ["2026-09"]


def test_a_merged_province_with_one_predecessor_reported_is_provisional(monthly_reports, online_share):
    # given: An Giang merged former An Giang and Kiên Giang; in 01/2024 only Kiên Giang reported
    an_giang = cast(Province, ProvinceFactory(code="91", name="Tỉnh An Giang"))
    former_an_giang = FormerProvinceFactory(code="89", name="Tỉnh An Giang", successor=an_giang)
    kien_giang = FormerProvinceFactory(code="91", name="Tỉnh Kiên Giang", successor=an_giang)
    monthly_reports.approved(former_an_giang, "2023-12", ONLINE=40, RECEIVED=100)
    monthly_reports.approved(kien_giang, "2023-12", ONLINE=60, RECEIVED=100)
    monthly_reports.approved(kien_giang, "2024-01", ONLINE=70, RECEIVED=100)

    # when
    rollups_recompute_all()

    # then: the province's series marks January (1 of its 2 units), and only December is judged
    points = dashboard_selectors.series(
        online_share.pk, level=Level.PROVINCE, province_id=an_giang.pk, periodicity="monthly"
    )
    assert [(p.period, p.value, p.provisional) for p in points] == [
        ("2023-12", Decimal(50), ""),
        ("2024-01", Decimal(70), "Tạm tính: 1/2 tỉnh"),
    ]
    provincial = Standing.objects.filter(indicator=online_share, province=an_giang, periodicity="monthly")
    assert sorted(provincial.values_list("period", flat=True)) == ["2023-12"]


def test_the_indicator_page_shows_the_headline_and_draws_the_provisional_point_apart(
    october_open, online_share, reviewer, monkeypatch
):
    # given
    monkeypatch.setattr(dashboard_selectors, "today", lambda: datetime.date(2026, 11, 3))
    client = Client()
    client.force_login(reviewer)

    # when
    response = client.get("/bang-dieu-khien/chi-tieu/ONLINE_SHARE/?period=2026-10")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cả nước: 60 % (số liệu kỳ 09/2026) · 10/2026: 80 % – Tạm tính: 1/3 tỉnh" in html
    series = next(item for item in response.context["charts"] if item.key == "ca-nuoc")
    traces = series.figure["data"]
    assert [trace["name"] for trace in traces] == ["Cả nước", "Cả nước (tạm tính)"]
    assert traces[0]["y"] == [60.0]
    assert traces[1]["y"] == [60.0, 80.0]
    assert traces[1]["marker"]["symbol"] == ["circle", "circle-open"]
    assert traces[1]["line"]["dash"] == "dash"
    assert traces[1]["customdata"] == ["09/2026", "10/2026 · Tạm tính: 1/3 tỉnh"]
    assert series.table.rows == [["09/2026", Decimal(60), ""], ["10/2026", Decimal(80), "Tạm tính: 1/3 tỉnh"]]
    # the provinces are not compared with a provisional national value
    assert response.context["national_value"] is None
