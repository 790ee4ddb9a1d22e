"""Roll-ups at commune level (issue 17 item 3): commune indicator values from approved commune
figures, standings against the targets that apply to a commune, commune reporting rates, kept
current by the full and the incremental recompute."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from kpis.models import DataElement
from kpis.periods import Period
from tests.factories import CommuneFactory, ProvinceFactory, ReportFormElementFactory, ReportFormFactory
from tracker.progress import commune_standings as standings_engine
from tracker.progress.commune_rates import commune_rates, province_coverage
from tracker.progress.commune_rollups import recompute_commune_tables
from tracker.progress.commune_selectors import commune_headlines, commune_ranking, commune_values
from tracker.progress.commune_standings import commune_target_applies
from tracker.progress.commune_values import commune_indicators
from tracker.progress.models import CommuneIndicatorValue, CommuneReportingRate, CommuneStanding, DirtyUnit
from tracker.progress.services import figures_changed, reporting_changed, rollups_recompute_all, rollups_recompute_dirty
from tracker.reporting.models import DataValue, Submission

pytestmark = pytest.mark.django_db


def _nine_am(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


class CommuneReports:
    """Commune reports of one form, built directly (the approval workflow is tested elsewhere)."""

    def __init__(self, form):
        self.form = form

    def _report(self, commune, period, status, moment, **extra):
        parsed = Period.parse(period)
        submission, _ = Submission.objects.update_or_create(
            commune=commune,
            form=self.form,
            period=period,
            defaults={
                "province": commune.province,
                "period_start": parsed.start,
                "period_end": parsed.end,
                "status": status,
                "submitted_at": moment,
                "first_submitted_at": moment,
                **extra,
            },
        )
        return submission

    def approved(self, commune, period, submitted_on=None, **values):
        moment = _nine_am(submitted_on or Period.parse(period).end)
        submission = self._report(
            commune, period, Submission.Status.APPROVED, moment, has_official_values=True, approved_at=moment
        )
        for code, value in values.items():
            DataValue.objects.update_or_create(
                submission=submission,
                element=DataElement.objects.get(code=code),
                defaults={"value": Decimal(value), "approved_value": Decimal(value)},
            )
        return submission

    def submitted(self, commune, period, submitted_on=None, **values):
        moment = _nine_am(submitted_on or Period.parse(period).end)
        submission = self._report(commune, period, Submission.Status.SUBMITTED, moment)
        for code, value in values.items():
            DataValue.objects.update_or_create(
                submission=submission,
                element=DataElement.objects.get(code=code),
                defaults={"value": Decimal(value), "approved_value": None},
            )
        return submission


@pytest.fixture
def catalogue(data_element_factory, indicator_factory):
    """A monthly form whose dossier and team elements are reported by communes from 2025-07."""
    received = data_element_factory(code="HS_TIEP_NHAN")
    online = data_element_factory(code="HS_TRUC_TUYEN")
    team = data_element_factory(code="TO_CNS", time_aggregation="last")
    province_only = data_element_factory(code="TRAM_5G", time_aggregation="last")
    form = ReportFormFactory(code="BC_XA", periodicity="monthly", due_day=5, commune_reporting_from="2025-07")
    for element in (received, online, team):
        ReportFormElementFactory(form=form, element=element, commune_level=True)
    ReportFormElementFactory(form=form, element=province_only)
    indicators = {
        "share": indicator_factory(
            code="TL_TRUC_TUYEN",
            numerator="HS_TRUC_TUYEN",
            denominator="HS_TIEP_NHAN",
            factor=Decimal(100),
            periodicity="monthly",
            natural_limit=Decimal(100),
        ),
        "team": indicator_factory(code="SO_THANH_VIEN", numerator="TO_CNS", periodicity="monthly"),
        "dossiers": indicator_factory(code="SO_HO_SO", numerator="HS_TIEP_NHAN", periodicity="monthly"),
        "stations": indicator_factory(code="SO_TRAM_5G", numerator="TRAM_5G", periodicity="monthly"),
    }
    return form, indicators


@pytest.fixture
def units(db):
    """Province 91 with communes A and B; province 04 with commune C."""
    an_giang = ProvinceFactory(code="91", name="Tỉnh An Giang")
    cao_bang = ProvinceFactory(code="04", name="Tỉnh Cao Bằng")
    a = CommuneFactory(code="30001", name="Xã A", province=an_giang)
    b = CommuneFactory(code="30002", name="Xã B", province=an_giang)
    c = CommuneFactory(code="01001", name="Xã C", province=cao_bang)
    return an_giang, cao_bang, a, b, c


@pytest.fixture
def reports(catalogue, units):
    """A: 40 of 100 online in July, 30 of 50 in August and September, 70 of 100 in January 2026;
    5 then 7 team members (none reported in September). B: 10 of 10 in July, nothing in August,
    5 of 20 in September (sent on 10 October, late); 3 team members in September."""
    form, _indicators = catalogue
    _an_giang, _cao_bang, a, b, _c = units
    commune_reports = CommuneReports(form)
    commune_reports.approved(a, "2025-07", HS_TIEP_NHAN=100, HS_TRUC_TUYEN=40, TO_CNS=5)
    commune_reports.approved(a, "2025-08", HS_TIEP_NHAN=50, HS_TRUC_TUYEN=30, TO_CNS=7)
    commune_reports.approved(a, "2025-09", HS_TIEP_NHAN=50, HS_TRUC_TUYEN=30)
    commune_reports.approved(a, "2026-01", HS_TIEP_NHAN=100, HS_TRUC_TUYEN=70)
    commune_reports.approved(b, "2025-07", HS_TIEP_NHAN=10, HS_TRUC_TUYEN=10)
    commune_reports.approved(
        b, "2025-09", submitted_on=datetime.date(2025, 10, 10), HS_TIEP_NHAN=20, HS_TRUC_TUYEN=5, TO_CNS=3
    )
    return commune_reports


def values_of(indicator, commune):
    rows = CommuneIndicatorValue.objects.filter(indicator=indicator, commune=commune).order_by(
        "period_start", "period_end"
    )
    return {row.period: row.value for row in rows}


def test_a_ratio_is_the_sum_of_the_communes_numerators_over_the_sum_of_its_denominators(catalogue, units, reports):
    # given
    _form, indicators = catalogue
    an_giang, _cao_bang, a, b, _c = units

    # when
    rollups_recompute_all()

    # then: A's quarter is (40 + 30 + 30) / (100 + 50 + 50) = 50 %, not the mean of 40, 60, 60 %;
    # B's is (10 + 5) / (10 + 20) = 50 %. The year 2025 is reported by communes from July only: no value.
    assert values_of(indicators["share"], a) == {
        "2025-07": Decimal(40),
        "2025-08": Decimal(60),
        "2025-09": Decimal(60),
        "2025-Q3": Decimal(50),
        "2026-01": Decimal(70),
        "2026-Q1": Decimal(70),
        "2026": Decimal(70),
    }
    assert values_of(indicators["share"], b) == {
        "2025-07": Decimal(100),
        "2025-09": Decimal(25),
        "2025-Q3": Decimal(50),
    }
    row = CommuneIndicatorValue.objects.get(indicator=indicators["share"], commune=a, period="2025-Q3")
    assert (row.numerator, row.denominator, row.province_id, row.periodicity) == (
        Decimal(100),
        Decimal(200),
        an_giang.pk,
        "quarterly",
    )
    # an element the province reports itself has no commune values
    assert not CommuneIndicatorValue.objects.filter(indicator=indicators["stations"]).exists()
    assert commune_indicators() == {
        indicators["share"].pk: "2025-07",
        indicators["team"].pk: "2025-07",
        indicators["dossiers"].pk: "2025-07",
    }


def test_a_last_element_takes_each_communes_latest_month_with_a_figure(catalogue, units, reports):
    # given
    _form, indicators = catalogue
    _an_giang, _cao_bang, a, b, _c = units

    # when
    rollups_recompute_all()

    # then: A reported 5 then 7 members and nothing in September: the quarter is 7; B's is 3
    assert values_of(indicators["team"], a) == {"2025-07": Decimal(5), "2025-08": Decimal(7), "2025-Q3": Decimal(7)}
    assert values_of(indicators["team"], b) == {"2025-09": Decimal(3), "2025-Q3": Decimal(3)}


def test_figures_not_yet_approved_are_not_counted(catalogue, units, reports):
    # given: C sent July, not approved yet
    _form, indicators = catalogue
    *_rest, c = units
    reports.submitted(c, "2025-07", HS_TIEP_NHAN=10, HS_TRUC_TUYEN=10)

    # when
    rollups_recompute_all()

    # then
    assert values_of(indicators["share"], c) == {}


@pytest.fixture
def targets(catalogue, units, target_factory):
    """An Giang: 80 % online by December 2025, and 500 team members (a total) by 2026; the nation: 90 %
    online by 2030."""
    _form, indicators = catalogue
    an_giang, *_rest = units
    return {
        "province_share": target_factory(
            indicator=indicators["share"], province=an_giang, value=Decimal(80), deadline=datetime.date(2025, 12, 31)
        ),
        "province_team": target_factory(
            indicator=indicators["team"], province=an_giang, value=Decimal(500), deadline=datetime.date(2026, 12, 31)
        ),
        "national_share": target_factory(
            indicator=indicators["share"], province=None, value=Decimal(90), deadline=datetime.date(2030, 12, 31)
        ),
    }


def commune_standings(indicator, commune, target):
    rows = CommuneStanding.objects.filter(
        indicator=indicator, commune=commune, target=target, periodicity="monthly"
    ).order_by("period_end")
    return [(r.period, r.status, r.value, r.value_period, r.share_of_way, r.final) for r in rows]


def test_a_provincial_target_of_a_rate_applies_to_its_communes_and_is_final_after_its_deadline(
    catalogue, units, reports, targets
):
    # given
    _form, indicators = catalogue
    an_giang, _cao_bang, a, b, _c = units

    # when
    rollups_recompute_all()

    # then: A's base is its first month (40 %); August is half-way to 80 % (share (60 - 40) / (80 - 40))
    # after a month of five, September stays there; January 2026 is past the deadline: final, from the
    # value at the deadline (September, 60 %), missed
    assert commune_standings(indicators["share"], a, targets["province_share"]) == [
        ("2025-07", "not_available", Decimal(40), "2025-07", Decimal(0), False),
        ("2025-08", "substantial_progress", Decimal(60), "2025-08", Decimal("0.5"), False),
        ("2025-09", "substantial_progress", Decimal(60), "2025-09", Decimal("0.5"), False),
        ("2026-01", "missed", Decimal(60), "2025-09", Decimal("0.5"), True),
    ]
    # B met 80 % in July (100 %) and fell to 25 % in September: moving away from the target
    assert [row[0:2] for row in commune_standings(indicators["share"], b, targets["province_share"])] == [
        ("2025-07", "target_achieved"),
        ("2025-09", "deterioration"),
    ]
    # the nation's 90 % target for a rate applies to every commune as well
    assert set(
        CommuneStanding.objects.filter(indicator=indicators["share"], commune=a).values_list("target_id", flat=True)
    ) == {
        targets["province_share"].pk,
        targets["national_share"].pk,
    }
    headline = commune_headlines(Period.parse("2025-08"), province_id=an_giang.pk)[(indicators["share"].pk, a.pk)]
    assert (headline.target_id, headline.status, headline.share_of_way) == (
        targets["province_share"].pk,
        "substantial_progress",
        Decimal("0.5"),
    )


def test_a_provincial_total_does_not_apply_to_a_commune_which_is_measured_along_its_trend(
    catalogue, units, reports, targets
):
    # given
    _form, indicators = catalogue
    an_giang, cao_bang, a, _b, c = units

    # when
    rollups_recompute_all()

    # then: 500 team members is An Giang's sum, never a commune's: no target row ("Không áp dụng"), the trend
    assert set(
        CommuneStanding.objects.filter(indicator=indicators["team"], commune=a).values_list("target_id", flat=True)
    ) == {None}
    assert commune_target_applies(targets["province_team"], an_giang.pk) is False
    assert commune_target_applies(targets["province_share"], an_giang.pk) is True
    # another province's target never applies; the nation's does
    assert commune_target_applies(targets["province_share"], cao_bang.pk) is False
    assert commune_target_applies(targets["national_share"], cao_bang.pk) is True
    assert not CommuneStanding.objects.filter(commune=c).exists()  # C has no approved figures


def rate(form, period, province, commune=None):
    found = CommuneReportingRate.objects.get(form=form, province=province, commune=commune, period=period)
    return found.expected, found.received, found.on_time, found.approved, found.not_due


def test_reporting_rates_per_commune_and_per_province(catalogue, units, reports, monkeypatch):
    # given: today is 3 October 2025, so September (due 5 October) is not due yet
    form, _indicators = catalogue
    an_giang, cao_bang, a, b, c = units
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2025, 10, 3))

    # when
    rollups_recompute_all()

    # then: (expected, received, on time, approved, not due)
    assert rate(form, "2025-07", an_giang, a) == (1, 1, 1, 1, 0)
    assert rate(form, "2025-08", an_giang, b) == (1, 0, 0, 0, 0)  # missing
    assert rate(form, "2025-Q3", an_giang, a) == (3, 3, 3, 3, 0)
    # B's September came late (10 October); C sent nothing and its September is not due yet
    assert rate(form, "2025-Q3", an_giang, b) == (3, 2, 1, 2, 0)
    assert rate(form, "2025-Q3", cao_bang, c) == (3, 0, 0, 0, 1)
    assert rate(form, "2025-Q3", an_giang) == (6, 5, 4, 5, 0)
    assert rate(form, "2025-Q3", cao_bang) == (3, 0, 0, 0, 1)
    # nothing owed before the form's commune reporting starts, nor for periods not ended
    assert not CommuneReportingRate.objects.filter(period__in=["2025-06", "2025-10"]).exists()
    assert rate(form, "2025", an_giang) == (6, 5, 4, 5, 0)

    # when: a week later
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2025, 10, 12))
    rollups_recompute_all()

    # then: C's September is now missing
    assert rate(form, "2025-Q3", cao_bang, c) == (3, 0, 0, 0, 0)
    assert province_coverage(form_id=form.pk, period="2025-09") == {an_giang.pk: (2, 2), cao_bang.pk: (0, 1)}
    selected = commune_rates(province_id=an_giang.pk, period="2025-Q3")
    # B: August missing, September late
    assert (selected[(form.pk, None)].approved, selected[(form.pk, b.pk)].late_or_missing) == (5, 2)


def test_a_rerun_changes_no_row(catalogue, units, reports, targets):
    # given
    an_giang, cao_bang, *_communes = units
    first = rollups_recompute_all()
    counts = (
        CommuneIndicatorValue.objects.count(),
        CommuneStanding.objects.count(),
        CommuneReportingRate.objects.count(),
    )
    stamps = set(CommuneIndicatorValue.objects.values_list("id", "computed_at"))

    # when
    again = rollups_recompute_all()
    chunk = recompute_commune_tables([an_giang.pk, cao_bang.pk], [2025, 2026])

    # then
    assert first > 0
    assert (again, chunk) == (0, 0)
    assert counts[0] > 0 and counts[1] > 0 and counts[2] > 0
    assert set(CommuneIndicatorValue.objects.values_list("id", "computed_at")) == stamps


def test_a_full_run_writes_the_same_commune_standings_a_province_at_a_time(
    catalogue, units, reports, targets, monkeypatch
):
    # given: communes reporting in both provinces; the standings of all computed at once
    _an_giang, _cao_bang, _a, _b, c = units
    reports.approved(c, "2025-07", HS_TIEP_NHAN=80, HS_TRUC_TUYEN=20, TO_CNS=2)
    reports.approved(c, "2025-08", HS_TIEP_NHAN=80, HS_TRUC_TUYEN=60)
    rollups_recompute_all()
    columns = ("indicator_id", "commune_id", "province_id", "target_id", "period", "status", "value", "share_of_way")
    at_once = sorted(CommuneStanding.objects.values_list(*columns))

    # when: computed again from nothing, one province per group
    CommuneStanding.objects.all().delete()
    monkeypatch.setattr(standings_engine, "PROVINCES_AT_ONCE", 1)
    rollups_recompute_all()

    # then
    assert {row[2] for row in at_once} == {units[0].pk, units[1].pk}
    assert sorted(CommuneStanding.objects.values_list(*columns)) == at_once


def test_a_chunk_recomputes_only_its_provinces_communes(catalogue, units, reports):
    # given: C's figures approved, nothing computed yet
    _form, indicators = catalogue
    an_giang, _cao_bang, a, _b, c = units
    reports.approved(c, "2025-07", HS_TIEP_NHAN=4, HS_TRUC_TUYEN=1)

    # when
    recompute_commune_tables([an_giang.pk], [2025])

    # then
    assert values_of(indicators["share"], a)["2025-Q3"] == Decimal(50)
    assert values_of(indicators["share"], c) == {}
    assert set(CommuneReportingRate.objects.values_list("province_id", flat=True)) == {an_giang.pk}


def test_an_approval_in_a_commune_updates_its_values_standings_and_rates_incrementally(
    catalogue, units, reports, targets
):
    # given: everything computed; then B's August is approved (10 online of 40) and its province dirtied,
    # as the commune report services do
    form, indicators = catalogue
    an_giang, _cao_bang, _a, b, _c = units
    rollups_recompute_all()
    reports.approved(b, "2025-08", HS_TIEP_NHAN=40, HS_TRUC_TUYEN=10)
    figures_changed(
        province_id=an_giang.pk, period_start=datetime.date(2025, 8, 1), period_end=datetime.date(2025, 8, 31)
    )

    # when
    processed = rollups_recompute_dirty()

    # then: B's quarter is (10 + 10 + 5) / (10 + 40 + 20) = 25 / 70
    assert processed == 1
    assert not DirtyUnit.objects.exists()
    assert values_of(indicators["share"], b)["2025-08"] == Decimal(25)
    assert values_of(indicators["share"], b)["2025-Q3"] == Decimal("35.7142857143")
    assert rate(form, "2025-08", an_giang, b)[:4] == (1, 1, 1, 1)
    assert ("2025-08", "deterioration") in [
        row[0:2] for row in commune_standings(indicators["share"], b, targets["province_share"])
    ]
    august = Period.parse("2025-08")
    assert commune_values(an_giang.pk, [august])[(indicators["share"].pk, b.pk, "2025-08")] == Decimal(25)


def test_a_submission_in_a_commune_moves_the_rates_at_the_next_sweep(catalogue, units, reports):
    # given
    form, _indicators = catalogue
    an_giang, *_rest, c = units
    _cao_bang = c.province
    rollups_recompute_all()
    reports.submitted(c, "2025-08", HS_TIEP_NHAN=1, HS_TRUC_TUYEN=1)
    reporting_changed(
        province_id=c.province_id, period_start=datetime.date(2025, 8, 1), period_end=datetime.date(2025, 8, 31)
    )

    # when
    rollups_recompute_dirty()

    # then: received, on time, not approved
    assert rate(form, "2025-08", c.province, c)[:4] == (1, 1, 1, 0)
    assert rate(form, "2025-08", an_giang)[:4] == (2, 1, 1, 1)


@pytest.fixture
def province_cells(catalogue, units, reports, monthly_reports_of):
    """C's July approved (4 dossiers, 1 online); each province's report carries the roll-up of its
    communes' approved figures, as tracker.reporting stores it."""
    an_giang, cao_bang, *_a_b, c = units
    reports.approved(c, "2025-07", HS_TIEP_NHAN=4, HS_TRUC_TUYEN=1)
    province_reports = monthly_reports_of(catalogue[0])
    province_reports.approved(an_giang, "2025-07", HS_TIEP_NHAN=110, HS_TRUC_TUYEN=50)
    province_reports.approved(an_giang, "2025-08", HS_TIEP_NHAN=50, HS_TRUC_TUYEN=30)
    province_reports.approved(an_giang, "2025-09", HS_TIEP_NHAN=70, HS_TRUC_TUYEN=35)
    province_reports.approved(an_giang, "2026-01", HS_TIEP_NHAN=100, HS_TRUC_TUYEN=70)
    province_reports.approved(cao_bang, "2025-07", HS_TIEP_NHAN=4, HS_TRUC_TUYEN=1)
    return province_reports


@pytest.fixture
def monthly_reports_of():
    from tests.tracker.progress.conftest import Reports

    class ProvinceReports(Reports):
        """Province reports only (the shared helper looks a report up without its commune)."""

        def _submission(self, province, period, status, **extra):
            parsed = Period.parse(period)
            submission, _ = Submission.objects.update_or_create(
                province=province,
                commune=None,
                form=self.form,
                period=period,
                defaults={"period_start": parsed.start, "period_end": parsed.end, "status": status, **extra},
            )
            return submission

    return ProvinceReports


def sums(indicator, period):
    from tracker.progress.models import IndicatorValue, Level

    national = IndicatorValue.objects.get(indicator=indicator, level=Level.NATIONAL, period=period).value
    provinces = sum(
        IndicatorValue.objects.filter(indicator=indicator, level=Level.PROVINCE, period=period).values_list(
            "value", flat=True
        )
    )
    communes = sum(
        CommuneIndicatorValue.objects.filter(indicator=indicator, period=period).values_list("value", flat=True)
    )
    return national, provinces, communes


def test_the_national_count_is_the_sum_of_the_provinces_and_the_sum_of_the_communes(catalogue, units, province_cells):
    # given
    _form, indicators = catalogue
    from tracker.progress.consistency import contradictions

    # when
    rollups_recompute_all()

    # then: July 100 + 10 (An Giang) + 4 (Cao Bằng); the quarter adds August's 50 and September's 50 + 20
    assert sums(indicators["dossiers"], "2025-07") == (Decimal(114), Decimal(114), Decimal(114))
    assert sums(indicators["dossiers"], "2025-Q3") == (Decimal(234), Decimal(234), Decimal(234))
    # and the online share of the nation is the sum of online dossiers over the sum of dossiers: 51 / 114
    from tracker.progress.models import IndicatorValue, Level

    national = IndicatorValue.objects.get(indicator=indicators["share"], level=Level.NATIONAL, period="2025-07")
    assert (national.numerator, national.denominator) == (Decimal(51), Decimal(114))
    kinds = {found.kind for found in contradictions(today=datetime.date(2026, 1, 1))}
    assert not kinds & {"commune_rollup_mismatch", "national_not_sum"}


def test_check_figures_finds_a_province_cell_that_is_not_its_communes_sum(catalogue, units, province_cells):
    # given: An Giang's August cell says 51 dossiers, its communes' approved figures add up to 50
    an_giang, *_rest = units
    from tracker.progress.consistency import contradictions

    province_cells.approved(an_giang, "2025-08", HS_TIEP_NHAN=51, HS_TRUC_TUYEN=30)
    rollups_recompute_all()

    # when
    found = [str(c) for c in contradictions(today=datetime.date(2026, 1, 1)) if c.kind != "late_before_due"]

    # then
    mismatch = "commune_rollup_mismatch: DataValue HS_TIEP_NHAN tỉnh 91 2025-08"
    assert f"{mismatch}: province cell 51, sum of approved commune figures 50" in found
    assert "national_not_sum: IndicatorValue SO_HO_SO 2025-08: national 51, Σ provinces 51, Σ communes 50" in found
    assert len(found) == 2


def test_check_figures_sweeps_the_commune_standings(catalogue, units):
    # given: a commune rated on track without a value, and "achieved" beside a negative share
    _form, indicators = catalogue
    an_giang, _cao_bang, a, _b, _c = units
    from tracker.progress.consistency import contradictions

    common = {
        "indicator": indicators["share"],
        "commune": a,
        "province": an_giang,
        "periodicity": "monthly",
        "computed_at": timezone.now(),
    }
    CommuneStanding.objects.create(
        **common, period="2025-07", period_end=datetime.date(2025, 7, 31), status="substantial_progress", value=None
    )
    CommuneStanding.objects.create(
        **common,
        period="2025-08",
        period_end=datetime.date(2025, 8, 31),
        status="target_achieved",
        value=Decimal(90),
        share_of_way=Decimal("-0.5"),
    )

    # when
    found = {(c.kind, c.table, c.where) for c in contradictions(today=datetime.date(2026, 1, 1))}

    # then
    assert found == {
        ("status_without_value", "CommuneStanding", "TL_TRUC_TUYEN xã 30001 2025-07"),
        ("achieved_negative_share", "CommuneStanding", "TL_TRUC_TUYEN xã 30001 2025-08"),
    }


def test_a_full_run_recomputes_only_the_commune_series_whose_values_changed(
    catalogue, units, reports, targets, monkeypatch
):
    # given: everything computed; then B's September online figure is corrected to 10 of 20 without a
    # dirty row (only the nightly full run sees it)
    _form, indicators = catalogue
    _an_giang, _cao_bang, a, b, _c = units
    rollups_recompute_all()
    a_rows = set(CommuneStanding.objects.filter(commune=a).values_list("id", "computed_at", "status"))
    DataValue.objects.filter(submission__commune=b, submission__period="2025-09", element__code="HS_TRUC_TUYEN").update(
        value=Decimal(10), approved_value=Decimal(10)
    )
    from tracker.progress import commune_standings as module

    measured = []
    original = module.series_standings

    def spy(series, rule, target, key, **kwargs):
        # the end of the first period measured again
        measured.append((rule.id, key.province_id, series.periodicity, series.ends[kwargs["start"]]))
        return original(series, rule, target, key, **kwargs)

    monkeypatch.setattr(module, "series_standings", spy)

    # when
    rollups_recompute_all()

    # then: B's September is 50 %, its quarter (10 + 10) / (10 + 20); A's standings were not rewritten
    september = CommuneStanding.objects.get(
        indicator=indicators["share"], commune=b, target=targets["province_share"], period="2025-09"
    )
    assert (september.period_value, september.status) == (Decimal(50), "deterioration")
    assert values_of(indicators["share"], b)["2025-Q3"] == Decimal("66.6666666667")
    assert set(CommuneStanding.objects.filter(commune=a).values_list("id", "computed_at", "status")) == a_rows
    # only B's online share was measured again (two targets, months and quarters), from September on
    september_end = datetime.date(2025, 9, 30)
    assert sorted(set(measured)) == [
        (indicators["share"].pk, b.pk, "monthly", september_end),
        (indicators["share"].pk, b.pk, "quarterly", september_end),
    ]
    assert len(measured) == 4


def test_a_provinces_communes_are_ranked_by_their_value_for_the_period(catalogue, units, reports):
    # given
    _form, indicators = catalogue
    an_giang, _cao_bang, a, b, _c = units
    rollups_recompute_all()

    # when
    september = commune_ranking(an_giang, indicators["share"], Period.parse("2025-09")).rows
    august = commune_ranking(an_giang, indicators["share"], Period.parse("2025-08")).rows

    # then: A 60 % before B 25 % in September; in August B has no value and comes last, unranked, so
    # only A has a change (none: first among the communes ranked in both months)
    assert [(row.commune_id, row.value, row.rank, row.change) for row in september] == [
        (a.pk, Decimal(60), 1, 0),
        (b.pk, Decimal(25), 2, None),
    ]
    assert [(row.commune_id, row.rank) for row in august] == [(a.pk, 1), (b.pk, None)]
