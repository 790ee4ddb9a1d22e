"""The demo's commune reports: every commune reports, provinces hold the exact roll-up of the approved ones.

Generated once for the module from 08/2026 ("today" 03/12/2026: 08–10/2026 closed, 11/2026 open)
inside a transaction rolled back at the end.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction

from kpis.models import ReportForm, ReportFormElement, ValidationRule
from kpis.periods import Period
from provinces.models import Commune, Province
from seeds.demo import demo_history_create, demo_series, demo_users_create
from seeds.loader import catalogue_load
from tracker.accounts.models import Role, User
from tracker.reporting.models import DataValue, Submission
from tracker.reporting.validation import Rule, ValidationContext, validate_for_submit
from tracker.reporting.validation import _parsed as parsed

TODAY = datetime.date(2026, 12, 3)
FIRST = Period.month(2026, 8)
PAST = "2026-10"
OPEN_MONTH = "2026-11"
COMMUNE_MONTHS = ["2026-08", "2026-09", "2026-10", "2026-11"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        settings.DEMO_MODE = True
        try:
            catalogue_load()
            demo_users_create()
            yield demo_history_create(today=TODAY, first=FIRST)
        finally:
            settings.DEMO_MODE = False
            transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def _commune_codes() -> list[str]:
    rows = ReportFormElement.objects.filter(form__code="BC_THANG", commune_level=True)
    return list(rows.values_list("element__code", flat=True))


def test_every_commune_of_every_province_reports_every_closed_month_and_is_approved(demo_db):
    an_giang = Province.objects.current().get(code="91")
    reports = Submission.objects.filter(form__code="BC_THANG", period=PAST, commune__isnull=False)

    per_province = Counter(reports.values_list("province__code", flat=True))
    expected = Counter(Commune.objects.current().values_list("province__code", flat=True))

    assert per_province == expected
    assert sum(per_province.values()) == 3_321
    assert per_province["91"] == 102
    assert set(reports.values_list("status", flat=True)) == {"approved"}
    assert set(reports.filter(province=an_giang).values_list("commune__province_id", flat=True)) == {an_giang.pk}
    values = DataValue.objects.filter(submission__in=reports, approved_value__isnull=False)
    assert values.count() == 3_321 * 13
    assert set(values.values_list("element__code", flat=True)) == set(_commune_codes())


def test_no_commune_reports_before_the_two_level_forms_first_month_nor_on_other_forms(demo_db):
    communal = Submission.objects.filter(commune__isnull=False)

    assert set(communal.values_list("form__code", flat=True)) == {"BC_THANG"}
    assert sorted(set(communal.values_list("period", flat=True))) == COMMUNE_MONTHS


def _rollup_by_sql() -> dict[tuple[int, str, int], Decimal]:
    """Σ approved figures of the approved commune reports, per (province, period, element), in SQL."""
    sql = """
        SELECT s.province_id, s.period, v.element_id, SUM(v.approved_value)
        FROM reporting_datavalue v JOIN reporting_submission s ON s.id = v.submission_id
        WHERE s.commune_id IS NOT NULL AND s.status = 'approved' AND v.approved_value IS NOT NULL
        GROUP BY s.province_id, s.period, v.element_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {(p, period, e): Decimal(str(total)) for p, period, e, total in cursor.fetchall()}


def test_every_province_cell_of_a_commune_element_is_exactly_the_sum_of_its_approved_communes(demo_db):
    expected = _rollup_by_sql()
    elements = ReportFormElement.objects.filter(form__code="BC_THANG", commune_level=True)
    cells = DataValue.objects.filter(
        submission__commune=None,
        submission__form__code="BC_THANG",
        submission__period__in=COMMUNE_MONTHS,
        element_id__in=elements.values("element_id"),
    ).values_list("submission__province_id", "submission__period", "element_id", "value", "approved_value")

    mismatches = [
        (p, period, e, value, official, expected.get((p, period, e)))
        for p, period, e, value, official in cells
        if value != expected.get((p, period, e)) or official != value
    ]

    assert len(cells) > 33 * 3 * 13
    assert mismatches == []


def test_a_closed_months_roll_up_is_the_provinces_own_demo_figure_unchanged(demo_db):
    series, current, _former = demo_series()
    an_giang = next(p for p in current if p.code == "91")
    figures = series.values(series.facts[an_giang.id], Period.parse(PAST), _commune_codes())

    cells = dict(
        DataValue.objects.filter(
            submission__province=an_giang, submission__commune=None, submission__period=PAST, element__code__in=figures
        ).values_list("element__code", "value")
    )

    assert cells == figures
    assert (cells["HOUSEHOLDS"] or 0) > 1_000_000


def test_the_open_month_has_approved_waiting_draft_and_not_started_communes(demo_db):
    communes = Commune.objects.current().filter(province__code="91").count()
    reports = Submission.objects.filter(period=OPEN_MONTH, commune__isnull=False)
    statuses = Counter(reports.values_list("status", flat=True))
    an_giang = Counter(reports.filter(province__code="91").values_list("status", flat=True))
    not_started = 3_321 - sum(statuses.values())

    assert 0.7 * 3_321 < statuses["approved"] < 0.9 * 3_321
    assert statuses["submitted"] > 100
    assert statuses["draft"] > 100
    assert 50 < not_started < statuses["draft"]
    # An Giang's approver has work today (“73/102 xã đã được duyệt”): the officer consolidates tomorrow.
    assert communes == 102
    assert an_giang == {"approved": 73, "submitted": 7, "draft": 13}


def test_a_province_that_submitted_below_the_coverage_threshold_says_why(demo_db):
    form = ReportForm.objects.get(code="BC_THANG")
    valid = Counter(Commune.objects.current().values_list("province_id", flat=True))
    approved = Counter(
        Submission.objects.filter(period=OPEN_MONTH, commune__isnull=False, status="approved").values_list(
            "province_id", flat=True
        )
    )
    sent = Submission.objects.filter(
        period=OPEN_MONTH, form=form, commune=None, status__in=["submitted", "approved"]
    ).values_list("province_id", "coverage_note")

    below = [p for p, note in sent if approved[p] * 100 < form.commune_coverage_threshold * valid[p] and not note]

    assert len(sent) >= 5
    assert below == []


def test_commune_reports_pass_the_products_submit_validation_against_their_own_history(demo_db):
    form = ReportForm.objects.get(code="BC_THANG")
    rows = list(form.form_elements.filter(commune_level=True).select_related("element").order_by("order"))
    codes = {row.element.code for row in rows}
    rules = [Rule(r, parsed(r.left), parsed(r.right)) for r in ValidationRule.objects.all()]
    rules = [rule for rule in rules if set(rule.codes) <= codes]
    province = Province.objects.current().get(code="91")
    failures = []
    checked = 0

    for submission in Submission.objects.filter(province=province, commune__isnull=False, period=OPEN_MONTH):
        ctx = ValidationContext(province=province, form=form, period=Period.parse(OPEN_MONTH), rows=rows, rules=rules)
        history = DataValue.objects.filter(
            submission__commune=submission.commune_id, submission__status="approved", submission__period__lt=OPEN_MONTH
        ).order_by("submission__period_start")
        for code, period, value in history.values_list("element__code", "submission__period", "approved_value"):
            assert value is not None
            ctx.history.setdefault(code, []).append(value)
            if period == "2026-10":
                ctx.previous[code] = value
        cells = DataValue.objects.filter(submission=submission).values_list("element__code", "value", "comment")
        values = {code: value for code, value, _comment in cells if value is not None}
        comments = {code: comment for code, _value, comment in cells}
        result = validate_for_submit(ctx, values=values, comments=comments)
        checked += 1
        if not result.ok:
            failures.append((submission.commune_id, result.errors, result.form_errors))

    assert len(rules) == 10
    assert checked >= 90
    assert failures == []


def test_most_commune_reports_are_on_time_and_a_few_late(demo_db):
    form = ReportForm.objects.get(code="BC_THANG")
    done = Submission.objects.filter(commune__isnull=False, period__in=COMMUNE_MONTHS[:-1])
    late = 0
    for period_end, first, approved in done.values_list("period_end", "first_submitted_at", "approved_at"):
        assert first is not None and approved is not None
        due = period_end + datetime.timedelta(days=form.due_day)
        late += first.astimezone(datetime.timezone(datetime.timedelta(hours=7))).date() > due
        assert first < approved

    assert done.count() == 3 * 3_321
    assert 0.02 * done.count() < late < 0.06 * done.count()


def test_the_demo_commune_officers_belong_to_a_phuong_of_their_province(demo_db):
    officers = {
        username: (role, code, name, province)
        for username, role, code, name, province in User.objects.filter(role=Role.COMMUNE_OFFICER).values_list(
            "username", "role", "commune__code", "commune__name", "province__code"
        )
    }

    assert officers == {
        "commune_91": ("commune", "30307", "Phường Long Xuyên", "91"),
        "commune_01": ("commune", "00070", "Phường Hoàn Kiếm", "01"),
    }
    assert User.objects.get(username="commune_91").check_password("demo")
