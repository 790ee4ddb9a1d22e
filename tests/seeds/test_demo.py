"""The demo data set: plausible, valid, reproducible, and refused when it would pile up.

The data set is generated once for the module (from 05/2025, so the merger, the 5G baseline
month 10/2025 and a full year of the 34 current units are in it; "today" is 03/12/2026) inside a
transaction rolled back at the end. The full history from 01/2023 is the same generator over
more months; the README states what it gives.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import F

from kpis.models import DataElement, ReportForm, ReportFormElement, Target
from kpis.periods import Period
from provinces.models import Province
from seeds.demo import demo_history_create, demo_users_create
from seeds.demo import demo_series as build_series
from seeds.demo_series import Series
from seeds.loader import DEFAULT_DATA_DIR, catalogue_load
from tracker.accounts.models import User
from tracker.progress.models import IndicatorValue
from tracker.progress.services import rollups_recompute_all
from tracker.reporting import clock
from tracker.reporting.communes import coverage_note_record
from tracker.reporting.models import AuditEntry, DataValue, Submission
from tracker.reporting.services import (
    submission_approve,
    submission_create,
    submission_submit,
    submission_values_update,
)
from tracker.reporting.validation import validate_for_submit, validation_context

TODAY = datetime.date(2026, 12, 3)
OPEN_MONTH = "2026-11"
FIRST = Period.month(2025, 5)


def _reference_rows() -> dict[str, dict[str, str]]:
    lines = (DEFAULT_DATA_DIR / "provinces-2025.csv").read_text(encoding="utf-8").splitlines()
    return {row["code"]: row for row in csv.DictReader(line for line in lines if not line.startswith("#"))}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        settings.DEMO_MODE = True
        try:
            catalogue_load()
            demo_users_create()
            result = demo_history_create(today=TODAY, first=FIRST)
            rollups_recompute_all(reason="demo test")
            yield result
        finally:
            settings.DEMO_MODE = False
            transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def _values(submission: Submission) -> tuple[dict[str, Decimal], dict[str, str]]:
    rows = DataValue.objects.filter(submission=submission).select_related("element")
    return {r.element.code: r.value for r in rows if r.value is not None}, {r.element.code: r.comment for r in rows}


def test_every_approved_demo_report_passes_the_products_submit_validation(demo_db):
    approved = (
        Submission.objects.filter(status="approved", commune=None)
        .select_related("province", "form")
        .order_by("period_start")
    )
    failures = []

    for submission in approved:
        values, comments = _values(submission)
        ctx = validation_context(
            province=submission.province, form=submission.form, period=Period.parse(submission.period)
        )
        result = validate_for_submit(ctx, values=values, comments=comments)
        if not result.ok:
            failures.append((str(submission), result.errors, result.form_errors))

    assert approved.count() > 900
    assert failures == []


def test_a_few_demo_figures_carry_an_outlier_comment(demo_db):
    commented = Submission.objects.filter(values__comment__gt="").distinct().count()
    total = Submission.objects.count()

    assert 0 < commented < total * 0.25


def test_no_computed_rate_exceeds_its_natural_limit_nor_is_negative(demo_db):
    beyond = IndicatorValue.objects.filter(
        indicator__natural_limit__isnull=False, value__gt=F("indicator__natural_limit")
    )
    negative = IndicatorValue.objects.filter(value__lt=0)

    assert IndicatorValue.objects.count() > 10_000
    assert list(beyond.values_list("indicator__code", "period")[:5]) == []
    assert negative.count() == 0


def test_every_current_units_population_and_communes_match_the_reference_file(demo_db):
    reference = _reference_rows()
    population = DataElement.objects.get(code="POPULATION")
    communes = DataElement.objects.get(code="COMMUNES")
    mismatches = []

    for unit in Province.objects.current():
        row = reference[unit.code]
        total = sum(int(row[c]) for c in ("communes_xa", "communes_phuong", "communes_dac_khu"))
        reported = DataValue.objects.filter(submission__province=unit, element__in=[population, communes])
        for value in reported.select_related("element"):
            published = row["population"]
            expected = total if value.element_id == communes.id else int(published) if published else None
            if expected is not None and value.value != expected:
                mismatches.append((unit.code, value.element.code, value.value, expected))
        # A unit without a published population keeps one (estimated, README) figure throughout.
        assert reported.filter(element=population).values("value").distinct().count() == 1

    assert mismatches == []
    an_giang = Province.objects.current().get(code="91")
    assert set(
        DataValue.objects.filter(submission__province=an_giang, element=communes).values_list("value", flat=True)
    ) == {102}


def test_households_follow_the_population_at_a_plausible_household_size(demo_db):
    # The open month's HOUSEHOLDS is the sum of the communes approved so far (commune-level since
    # 2025-07), not yet the province's whole.
    rows = (
        DataValue.objects.filter(element__code__in=["POPULATION", "HOUSEHOLDS"], submission__commune=None)
        .exclude(submission__period=OPEN_MONTH)
        .values_list("submission_id", "element__code", "value")
    )
    by_submission: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for submission_id, code, value in rows:
        assert value is not None
        by_submission[submission_id][code] = value

    sizes = {round(v["POPULATION"] / v["HOUSEHOLDS"], 1) for v in by_submission.values() if "HOUSEHOLDS" in v}

    assert min(sizes) >= Decimal("3.2")
    assert max(sizes) <= Decimal("3.8")


def test_the_commune_code_list_totals_those_of_the_decision_and_of_the_province_file():
    lines = (DEFAULT_DATA_DIR / "communes.csv").read_text(encoding="utf-8").splitlines()
    communes = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    reference = _reference_rows()

    kinds = Counter(row["kind"] for row in communes)
    per_province = Counter((row["province_code"], row["kind"]) for row in communes)

    assert len(communes) == 3_321
    assert kinds == {"xa": 2_621, "phuong": 687, "dac_khu": 13}
    assert len({row["code"] for row in communes}) == 3_321
    for code, row in reference.items():
        for kind in ("xa", "phuong", "dac_khu"):
            assert per_province[(code, kind)] == int(row[f"communes_{kind}"]), (code, kind)
    assert sum(per_province[("91", k)] for k in ("xa", "phuong", "dac_khu")) == 102


def test_national_5g_figures_at_the_catalogues_baseline_month_equal_the_cited_ones(demo_db):
    stations_target = Target.objects.get(indicator__code="BTS_5G_COUNT", province=None)
    coverage_target = Target.objects.get(
        indicator__code="COVER_5G_POP_RATE", province=None, baseline_value__isnull=False
    )

    stations = IndicatorValue.objects.get(
        indicator__code="BTS_5G_COUNT", level="national", period=stations_target.baseline_period
    )
    coverage = IndicatorValue.objects.get(
        indicator__code="COVER_5G_POP_RATE", level="national", period=coverage_target.baseline_period
    )

    assert (stations_target.baseline_period, stations.value) == ("2025-10", Decimal(16_737))
    assert round(coverage.value, 2) == coverage_target.baseline_value == Decimal("39.52")


def test_stocks_never_fall_and_counts_are_whole_numbers(demo_db):
    stocks = ["BTS_5G", "POP_COVERED_5G", "TTHC_SIMPLIFIED", "DATASETS_TOTAL", "IS_TOTAL", "BTS_4G"]
    rows = (
        DataValue.objects.filter(element__code__in=stocks, submission__form__code="BC_THANG")
        .order_by("submission__period_start")
        .values_list("submission__province_id", "element__code", "value")
    )
    last: dict[tuple[int, str], Decimal] = {}
    falls = []
    for province_id, code, value in rows:
        assert value is not None
        if value < last.get((province_id, code), value):
            falls.append((province_id, code, last[(province_id, code)], value))
        last[(province_id, code)] = value
    integers = DataValue.objects.filter(element__value_type="integer", value__isnull=False)
    fractional = [v for v in integers.values_list("value", flat=True) if v is not None and v % 1]

    assert falls == []
    assert fractional == []


def test_most_reports_are_on_time_a_few_late_a_few_returned_once(demo_db):
    forms = {f.id: f for f in ReportForm.objects.all()}
    done = list(Submission.objects.filter(status="approved", commune=None).exclude(period=OPEN_MONTH))
    on_time = 0
    for s in done:
        due = s.period_end + datetime.timedelta(days=forms[s.form_id].due_day)
        first, last, approved = s.first_submitted_at, s.submitted_at, s.approved_at
        assert first is not None and last is not None and approved is not None
        on_time += first.astimezone(datetime.timezone(datetime.timedelta(hours=7))).date() <= due
        assert first <= last < approved <= last + datetime.timedelta(days=5)
    returned = AuditEntry.objects.filter(kind="status", new_value="returned").exclude(reason="").count()

    assert on_time / len(done) >= 0.85
    assert on_time < len(done)
    assert 0.01 * len(done) < returned < 0.1 * len(done)


def test_the_open_month_has_submitted_drafted_and_not_started_units_and_the_demo_officer_has_work(demo_db):
    statuses = Counter(
        Submission.objects.filter(period=OPEN_MONTH, form__code="BC_THANG", commune=None).values_list(
            "status", flat=True
        )
    )

    # An Giang's officer has not started: the draft holds only the cells rolled up from its communes
    an_giang = Submission.objects.get(period=OPEN_MONTH, province__code="91", form__code="BC_THANG", commune=None)
    commune_level = set(
        ReportFormElement.objects.filter(form__code="BC_THANG", commune_level=True).values_list("element_id", flat=True)
    )
    assert an_giang.status == "draft"
    assert set(an_giang.values.values_list("element_id", flat=True)) <= commune_level
    hanoi = Submission.objects.get(period=OPEN_MONTH, province__code="01", form__code="BC_THANG", commune=None)
    assert hanoi.status == "draft"
    assert statuses["submitted"] + statuses["approved"] >= 5
    assert statuses["draft"] >= 3
    assert sum(statuses.values()) == 34  # those not started hold their communes' roll-up


def test_the_same_seed_gives_the_same_figures(demo_db):
    series_a, current, _former = build_series()
    series_b, _c, _f = build_series()
    an_giang = next(p for p in current if p.code == "91")
    codes = list(DataElement.objects.values_list("code", flat=True))

    first = series_a.values(series_a.facts[an_giang.id], Period.month(2026, 3), codes)
    second = series_b.values(series_b.facts[an_giang.id], Period.month(2026, 3), codes)

    assert first == second
    assert first["POPULATION"] == 4_952_238


def _national(period: str) -> dict[str, Decimal]:
    rows = IndicatorValue.objects.filter(level="national", period=period, indicator__factor=100)
    return {code: value for code, value in rows.values_list("indicator__code", "value") if value is not None}


def test_an_giangs_real_figures_for_the_open_month_raise_no_warning_and_move_national_rates_plausibly(
    demo_db, monkeypatch
):
    # given: the approvers of the day have approved everything submitted so far
    monkeypatch.setattr(clock, "now", lambda: datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC))
    waiting = Submission.objects.filter(period=OPEN_MONTH, status="submitted")
    DataValue.objects.filter(submission__in=waiting).update(approved_value=F("value"))
    waiting.update(status="approved", has_official_values=True)
    rollups_recompute_all(reason="test")
    before = _national(OPEN_MONTH)
    officer = User.objects.get(username="officer_91")
    approver = User.objects.get(username="approver_91")
    form = ReportForm.objects.get(code="BC_THANG")
    an_giang = Province.objects.current().get(code="91")
    series: Series = build_series()[0]
    figures = series.values(
        series.facts[an_giang.id],
        Period.parse(OPEN_MONTH),
        list(form.form_elements.values_list("element__code", flat=True)),
    )
    figures.update({"POPULATION": Decimal(4_952_238), "COMMUNES": Decimal(102), "FEE_ZERO_ONLINE": Decimal(1)})
    # the commune-level cells are the communes' roll-up, not typed by the officer
    rolled = set(form.form_elements.filter(commune_level=True).values_list("element__code", flat=True))
    figures = {code: value for code, value in figures.items() if code not in rolled}

    # when: the officer types the province's own figures; fewer communes than the threshold are
    # approved, so the approver records why the report goes now
    submission, _created = submission_create(user=officer, province=an_giang, form=form, period=OPEN_MONTH)
    saved = submission_values_update(
        submission=submission, user=officer, version=submission.version, values={k: str(v) for k, v in figures.items()}
    )
    coverage_note_record(submission=submission.pk, user=approver, note="Các xã còn lại nộp sau ngày 05/12.")
    submitted = submission_submit(submission=submission.pk, user=officer)
    submission_approve(submission=submitted.pk, user=approver)
    rollups_recompute_all(reason="test")
    after = _national(OPEN_MONTH)

    # then
    assert saved.warnings == {}
    moved = {code: abs(after[code] - before[code]) for code in before if code in after}
    assert len(moved) > 20
    assert {code: d for code, d in moved.items() if d > 5} == {}
    assert after["COVER_5G_POP_RATE"] > 60
