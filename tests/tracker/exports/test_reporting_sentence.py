"""Issue 12, item 7 in the reports: a report whose due day has not passed is "chưa đến hạn",
neither late nor missing, and the on-time rate is of the reports already due."""

import datetime

from django.utils import translation

from kpis.models import ReportForm
from provinces.models import Province
from tracker.exports.report_province import rates_sentence, timeliness
from tracker.exports.selectors import RateLine, SubmissionLine


def rate(expected: int, received: int, on_time: int, approved: int, not_due: int) -> RateLine:
    return RateLine(ReportForm(code="BC_THANG"), None, expected, received, on_time, approved, not_due)


def line(submitted_day: int | None, days_late: int) -> SubmissionLine:
    submitted = datetime.datetime(2026, 12, submitted_day, 9, 0) if submitted_day else None
    return SubmissionLine(
        form=ReportForm(code="BC_THANG"),
        period="2026-11",
        unit=Province(code="91", name="Tỉnh An Giang"),
        status="draft",
        status_label="Nháp",
        submitted_at=submitted,
        approved_at=None,
        due=datetime.date(2026, 12, 5),
        days_late=days_late,
    )


def test_a_period_all_due_gives_both_rates_over_every_report():
    assert rates_sentence([rate(34, 30, 28, 25, 0)]) == (
        "Số báo cáo phải nộp: 34; đã nộp: 30; đúng hạn: 28; đã phê duyệt: 25 (tỷ lệ nộp 88,2%, đúng hạn 82,4%)."
    )


def test_a_period_not_yet_due_counts_only_the_early_reports_in_its_on_time_rate():
    # given: 03/12/2026, November due on 05/12/2026; 12 provinces submitted early
    assert rates_sentence([rate(34, 12, 12, 5, 22)]) == (
        "Số báo cáo phải nộp: 34, trong đó 22 chưa nộp, chưa đến hạn; đã nộp: 12; đúng hạn: 12; đã phê duyệt: 5"
        " (đúng hạn 100% số báo cáo đã nộp hoặc đã quá hạn)."
    )


def test_a_period_not_yet_due_with_nothing_received_says_so():
    assert rates_sentence([rate(34, 0, 0, 0, 34)]) == (
        "Số báo cáo phải nộp: 34; chưa đến hạn nộp, chưa báo cáo nào được nộp."
    )


def test_a_quarter_with_its_last_month_not_due_rates_the_reports_already_due():
    # given: October and November due (68 reports, 60 on time), December's 34 not yet due
    assert rates_sentence([rate(102, 66, 60, 60, 34)]) == (
        "Số báo cáo phải nộp: 102, trong đó 34 chưa nộp, chưa đến hạn; đã nộp: 66; đúng hạn: 60; đã phê duyệt: 60"
        " (đúng hạn 88,2% số báo cáo đã nộp hoặc đã quá hạn)."
    )
    with translation.override("en"):
        assert rates_sentence([rate(102, 66, 60, 60, 34)]) == (
            "Reports due: 102, of which 34 not received and not yet due; received: 66; on time: 60; approved: 60"
            " (on time: 88.2% of the reports received or overdue)."
        )


def test_a_report_states_its_timeliness_as_of_today():
    assert timeliness(line(None, 0)) == "Chưa đến hạn (hạn nộp 05/12/2026)"
    assert timeliness(line(None, 3)) == "Chưa nộp, quá hạn 3 ngày"
    assert timeliness(line(4, 0)) == "Đúng hạn"
    assert timeliness(line(7, 2)) == "Trễ 2 ngày"
    with translation.override("en"):
        assert timeliness(line(None, 0)) == "Not yet due (due 5 December 2026)"
