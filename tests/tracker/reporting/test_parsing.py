"""The separator rule of tracker/reporting/parsing.py, case by case."""

from decimal import Decimal

import pytest

from kpis.models import DataElement
from tracker.reporting.formatting import canonical, display, for_input
from tracker.reporting.parsing import ParseError, parse_number, parse_value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234", "1234"),
        ("1.234,5", "1234.5"),  # Vietnamese
        ("1,234.5", "1234.5"),  # English, unambiguous with both marks
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1.234.567,89", "1234567.89"),
        ("1 234 567", "1234567"),
        ("1\u00a0234,5", "1234.5"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("0,234", "0.234"),  # a leading 0 cannot start a thousands group
        ("1234,567", "1234.567"),  # four digits before the mark cannot be a thousands group
        ("12,34", "12.34"),
        ("-1.234,5", "-1234.5"),
        ("+7", "7"),
        ("  42  ", "42"),
        ("1,2340", "1.234"),
    ],
)
def test_it_accepts_unambiguous_numbers(raw, expected):
    assert canonical(parse_number(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1.234", "không rõ nghĩa"),
        ("1,234", "không rõ nghĩa"),
        ("123,456", "không rõ nghĩa"),
        ("-1.000", "không rõ nghĩa"),
        ("1.23.4", "viết sai dấu phân cách hàng nghìn"),
        ("1.234,5.6", "viết sai dấu phân cách hàng nghìn"),
        ("12 34", "viết sai dấu phân cách hàng nghìn"),
        ("1 234.567.890", "viết sai dấu phân cách hàng nghìn"),
        ("abc", "không phải là số"),
        ("1e5", "không phải là số"),
        ("12,", "không phải là số"),
        (",5", "không phải là số"),
        ("--1", "không phải là số"),
        ("5%", "không phải là số"),
        ("", "không phải là số"),
    ],
)
def test_it_refuses_ambiguous_or_malformed_numbers(raw, reason):
    with pytest.raises(ParseError, match=reason):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("có", 1),
        ("Có", 1),
        ("co", 1),
        ("yes", 1),
        ("1", 1),
        ("true", 1),
        ("không", 0),
        ("KHÔNG", 0),
        ("no", 0),
        ("0", 0),
        (True, 1),
        (False, 0),
        (1, 1),
    ],
)
def test_it_reads_booleans_in_vietnamese_and_english(db, raw, expected):
    element = DataElement.objects.create(code="B", name="B", value_type="boolean")
    assert parse_value(raw, element) == Decimal(expected)


def test_percent_sign_is_accepted_only_for_percentages(db):
    percent = DataElement.objects.create(code="P", name="P", value_type="percent")
    count = DataElement.objects.create(code="C", name="C", value_type="integer")

    assert parse_value("87,5 %", percent) == Decimal("87.5")
    with pytest.raises(ParseError, match="không phải là số"):
        parse_value("87%", count)


def test_empty_input_clears_the_value(db):
    element = DataElement.objects.create(code="C", name="C", value_type="integer")
    assert (parse_value("", element), parse_value("  ", element), parse_value(None, element)) == (None, None, None)


def test_too_many_decimals_and_long_input_are_refused(db):
    element = DataElement.objects.create(code="D", name="D", value_type="decimal")
    with pytest.raises(ParseError, match="quá 6 chữ số thập phân"):
        parse_value("0,1234567", element)
    with pytest.raises(ParseError, match="dài quá 60 ký tự"):
        parse_value("1" * 61, element)


@pytest.mark.parametrize(
    ("value", "shown", "typed"),
    [
        (Decimal("1234567.500000"), "1.234.567,5", "1.234.567,5"),
        (Decimal("12.345000"), "12,345", "12,345"),  # read on a Vietnamese page: the comma is decimal
        (Decimal("0.250000"), "0,25", "0,25"),
        (Decimal("-1500"), "-1.500", "-1.500"),
        (Decimal("1500"), "1.500", "1.500"),
        (Decimal("100.000000"), "100", "100"),
    ],
)
def test_figures_are_shown_in_vietnamese_and_round_trip_through_the_input_box(value, shown, typed):
    assert display(value) == shown
    assert for_input(value) == typed
    assert parse_number(typed, locale="vi") == value
