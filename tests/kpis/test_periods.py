import datetime

import pytest

from kpis.periods import InvalidPeriod, Period, Periodicity, months_between


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-10", datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2025-Q4", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_it_parses_months_quarters_and_years(text, start, end):
    period = Period.parse(text)

    assert (period.start, period.end, str(period)) == (start, end, text)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26-10", "2026/10", "", "2026-1", "abcd"])
def test_it_refuses_malformed_periods_in_vietnamese(text):
    with pytest.raises(InvalidPeriod, match="không hợp lệ"):
        Period.parse(text)


def test_it_steps_across_year_boundaries():
    assert str(Period.parse("2025-12").next()) == "2026-01"
    assert str(Period.parse("2026-01").previous()) == "2025-12"
    assert str(Period.parse("2026-Q1").previous()) == "2025-Q4"


def test_it_lists_months_and_containing_periods():
    assert [str(p) for p in Period.parse("2025-Q3").months()] == ["2025-07", "2025-08", "2025-09"]
    assert str(Period.parse("2025-08").quarter_of()) == "2025-Q3"
    assert Period.parse("2025").contains(Period.parse("2025-Q2"))
    assert not Period.parse("2025-Q2").contains(Period.parse("2025-07"))
    assert str(Period.containing(datetime.date(2026, 11, 22), Periodicity.QUARTERLY)) == "2026-Q4"
    assert [str(p) for p in months_between(Period.parse("2024-11"), Period.parse("2025-01"))] == [
        "2024-11",
        "2024-12",
        "2025-01",
    ]
    assert Period.parse("2024-06").decimal_year == 2024.5
