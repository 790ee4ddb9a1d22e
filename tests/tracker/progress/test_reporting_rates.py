"""Reporting rates: reports owed, received, on time and approved, per unit and period, across the merger."""

import datetime

import pytest

from provinces.models import Province
from tracker.progress.models import DirtyUnit, IndicatorValue, Level, ReportingRate
from tracker.progress.services import reporting_changed, rollups_recompute_all, rollups_recompute_dirty
from tracker.reporting.models import Submission

pytestmark = pytest.mark.django_db


def rate(form, period, *, level=Level.PROVINCE, province=None):
    found = ReportingRate.objects.get(form=form.form, level=level, province=province, period=period)
    return found.expected, found.received, found.on_time, found.approved


@pytest.fixture
def first_quarter_2024(two_provinces, monthly_reports, data_element_factory):
    """Hải Phòng: January on time, February late (due 5 March), March submitted on time and awaiting
    approval. Cao Bằng: January on time, February returned, March never sent."""
    data_element_factory(code="DVC_RECEIVED")
    former = {p.code: p for p in Province.objects.former()}
    monthly_reports.approved(former["31"], "2024-01", submitted_on=datetime.date(2024, 2, 3), DVC_RECEIVED=1)
    monthly_reports.approved(former["31"], "2024-02", submitted_on=datetime.date(2024, 3, 6), DVC_RECEIVED=1)
    monthly_reports.submitted(former["31"], "2024-03", submitted_on=datetime.date(2024, 4, 5), DVC_RECEIVED=1)
    monthly_reports.approved(former["04"], "2024-01", DVC_RECEIVED=1)
    returned = monthly_reports.submitted(former["04"], "2024-02", DVC_RECEIVED=1)
    Submission.objects.filter(pk=returned.pk).update(status=Submission.Status.RETURNED)
    return two_provinces


def test_rates_count_reports_owed_received_on_time_and_approved(first_quarter_2024, monthly_reports):
    # given
    hai_phong, cao_bang = first_quarter_2024

    # when
    rollups_recompute_all()

    # then: (expected, received, on time, approved)
    assert rate(monthly_reports, "2024-02", province=hai_phong) == (1, 1, 0, 1)
    assert rate(monthly_reports, "2024-Q1", province=hai_phong) == (3, 3, 2, 2)
    assert rate(monthly_reports, "2024-Q1", province=cao_bang) == (3, 1, 1, 1)
    assert rate(monthly_reports, "2024-Q1", level=Level.NATIONAL) == (6, 4, 3, 3)
    assert rate(monthly_reports, "2024", level=Level.NATIONAL) == (24, 4, 3, 3)
    hai_phong_former = Province.objects.former().get(code="31")
    assert rate(monthly_reports, "2024-Q1", level=Level.FORMER, province=hai_phong_former) == (3, 3, 2, 2)


def test_the_year_of_the_merger_owes_the_former_units_months_then_the_current_units(
    first_quarter_2024, monthly_reports
):
    rollups_recompute_all()

    # six months from each of the two former units, six from each of the two current ones
    assert rate(monthly_reports, "2025", level=Level.NATIONAL) == (24, 0, 0, 0)
    assert rate(monthly_reports, "2025-Q3", level=Level.NATIONAL) == (6, 0, 0, 0)


def test_a_report_counts_as_received_once_submitted_and_no_more_once_sent_back(first_quarter_2024, monthly_reports):
    # given: rates computed while Cao Bằng's March report was never sent
    _hai_phong, cao_bang = first_quarter_2024
    rollups_recompute_all()
    former_cao_bang = Province.objects.former().get(code="04")
    assert rate(monthly_reports, "2024-03", level=Level.FORMER, province=former_cao_bang) == (1, 0, 0, 0)
    figures = list(IndicatorValue.objects.order_by("id").values_list("id", "value", "computed_at"))

    # when: March is submitted on 3 April (tracker.reporting records the change with it), then the sweep runs
    march = monthly_reports.submitted(former_cao_bang, "2024-03", submitted_on=datetime.date(2024, 4, 3))
    reporting_changed(province_id=former_cao_bang.pk, period_start=march.period_start, period_end=march.period_end)
    assert DirtyUnit.objects.filter(reason="reporting_changed").count() == 1
    rollups_recompute_dirty()

    # then: received and on time, in every roll-up; official figures untouched
    assert rate(monthly_reports, "2024-03", level=Level.FORMER, province=former_cao_bang) == (1, 1, 1, 0)
    assert rate(monthly_reports, "2024-Q1", province=cao_bang) == (3, 2, 2, 1)
    assert rate(monthly_reports, "2024-Q1", level=Level.NATIONAL) == (6, 5, 4, 3)
    assert list(IndicatorValue.objects.order_by("id").values_list("id", "value", "computed_at")) == figures
    assert not DirtyUnit.objects.exists()

    # when: the approver sends it back, then the sweep runs
    Submission.objects.filter(pk=march.pk).update(status=Submission.Status.RETURNED)
    reporting_changed(province_id=former_cao_bang.pk, period_start=march.period_start, period_end=march.period_end)
    rollups_recompute_dirty()

    # then
    assert rate(monthly_reports, "2024-03", level=Level.FORMER, province=former_cao_bang) == (1, 0, 0, 0)
    assert rate(monthly_reports, "2024-Q1", level=Level.NATIONAL) == (6, 4, 3, 3)


def test_a_report_not_yet_due_is_neither_late_nor_missing_until_its_due_day_has_passed(
    two_provinces, monthly_reports, data_element_factory, monkeypatch
):
    # given: March 2026 is due on 5 April; Hải Phòng sent it on 2 April, Cao Bằng has not yet
    from tracker.dashboards.rows import ReportingRow, Unit

    data_element_factory(code="DVC_RECEIVED")
    hai_phong, cao_bang = two_provinces
    monthly_reports.submitted(hai_phong, "2026-03", submitted_on=datetime.date(2026, 4, 2), DVC_RECEIVED=1)

    def counts(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)
        rollups_recompute_all()
        found = ReportingRate.objects.get(form=monthly_reports.form, province=cao_bang, period="2026-03")
        row = ReportingRow(
            unit=Unit(code="04", name="Cao Bằng", pk=cao_bang.pk),
            expected=found.expected,
            received=found.received,
            on_time=found.on_time,
            approved=found.approved,
            not_due=found.not_due,
        )
        return found.expected, found.received, found.not_due, row.late, row.missing

    # when / then: on 3 April Cao Bằng's report is not due yet; on 6 April it is missing
    assert counts(datetime.date(2026, 4, 3)) == (1, 0, 1, 0, 0)
    assert counts(datetime.date(2026, 4, 6)) == (1, 0, 0, 0, 1)
    hai_phong_rate = ReportingRate.objects.get(form=monthly_reports.form, province=hai_phong, period="2026-03")
    assert (hai_phong_rate.received, hai_phong_rate.on_time, hai_phong_rate.not_due) == (1, 1, 0)
